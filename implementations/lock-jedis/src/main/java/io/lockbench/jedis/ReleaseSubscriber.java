package io.lockbench.jedis;

import io.lockbench.core.Backoff;
import io.lockbench.core.LockKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * How a Jedis service listens on release channels: one connection and a dedicated thread, started by the
 * first waiter, that PSUBSCRIBE to every lock's release channel and hand each release to a callback. One
 * connection serves all waiters of all keys (on a Redis Cluster, one per master: {@link EveryMasterSubscriber}).
 * Subscribing to a channel therefore only makes sure that this one subscription is live, and unsubscribing
 * does nothing.
 *
 * <p>While the connection is down the thread reconnects with a jittered backoff, asking for the node to try
 * each time (the nodes in turn, or the current primary that Jedis's Sentinel support tracks),
 * and reports each re-subscription because releases published in between were lost.
 *
 * <p>Public for the implementations built on Jedis (lock-fifo), whose grant messages use the same channels.
 */
public final class ReleaseSubscriber implements ReleaseListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseSubscriber.class);

    /**
     * The release channel of every key: LockKeys' own shape with the tag replaced by a glob. The braces
     * are literal characters in a Redis glob, so it matches exactly the channels LockKeys makes.
     */
    public static final String PATTERN = LockKeys.of("*").channel();

    private static final Backoff RECONNECT =
            new Backoff(Duration.ofMillis(20).toNanos(), Duration.ofSeconds(1).toNanos());

    private final Supplier<HostAndPort> nodes;
    private final JedisClientConfig config;
    private final BiConsumer<String, String> onRelease;
    private final Runnable onResubscribed;
    private final long closeWaitMillis;
    private final Object lock = new Object();
    private Thread thread;
    private Jedis connection;
    private boolean closed;
    private long subscriptions;
    private boolean live;
    /** Completes when the subscription is next confirmed; a new one after each lost connection. */
    private CompletableFuture<Void> nextLive = new CompletableFuture<>();
    /** Confined to the subscriber thread: failures since the last subscription. */
    private int failures;

    /**
     * @param nodes where to subscribe: asked before each connection, see {@link #inTurn}
     * @param config connect and socket timeouts for the connection
     * @param onRelease called on the subscriber thread with the channel and the message (the releasing
     *     owner token) of each release
     * @param onResubscribed called on the subscriber thread after a lost subscription is back
     * @param commandTimeout the service's command timeout; bounds how long close waits for the thread
     */
    public ReleaseSubscriber(Supplier<HostAndPort> nodes, JedisClientConfig config, BiConsumer<String, String> onRelease,
                      Runnable onResubscribed, Duration commandTimeout) {
        this.nodes = nodes;
        this.config = config;
        this.onRelease = onRelease;
        this.onResubscribed = onResubscribed;
        this.closeWaitMillis = 2 * commandTimeout.toMillis() + 1_000;
    }

    /**
     * Starts the subscriber thread if it is not running.
     *
     * @param channel any release channel: the one pattern subscription covers them all
     * @return completes once the subscription is live; fails when the subscriber was closed first
     */
    @Override
    public CompletionStage<Void> subscribe(String channel) {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("release subscriber closed"));
            }
            if (thread == null) {
                thread = new Thread(this::run, "lockbench-jedis-release-subscriber");
                thread.setDaemon(true);
                thread.start();
            }
            return live ? CompletableFuture.completedFuture(null) : nextLive.minimalCompletionStage();
        }
    }

    /**
     * @param nodes fixed nodes, such as a cluster's seeds
     * @return a supplier that hands them out in turn, starting with the first
     */
    public static Supplier<HostAndPort> inTurn(List<HostAndPort> nodes) {
        List<HostAndPort> copy = List.copyOf(nodes);
        AtomicInteger next = new AtomicInteger();
        return () -> copy.get(Math.floorMod(next.getAndIncrement(), copy.size()));
    }

    /** Nothing to do: the pattern subscription stays for the service's lifetime. */
    @Override
    public void unsubscribe(String channel) {
    }

    /** @return true: one pattern subscription covers every key's channel, so waiters join before attempting */
    @Override
    public boolean listensToEveryChannel() {
        return true;
    }

    private void run() {
        while (true) {
            HostAndPort node = nodes.get();
            try (Jedis jedis = new Jedis(node, config)) {
                if (!attach(jedis)) {
                    return;
                }
                jedis.psubscribe(new Listener(), PATTERN);
            } catch (JedisException e) {
                if (isClosed()) {
                    return;
                }
                LOG.debug("release subscription on {} failed; waiters fall back to backoff until it is back", node, e);
            } finally {
                detach();
            }
            if (!pauseBeforeReconnect(RECONNECT.delayNanos(failures++, -1, Long.MAX_VALUE))) {
                return;
            }
        }
    }

    private boolean attach(Jedis jedis) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            connection = jedis;
            return true;
        }
    }

    private void detach() {
        synchronized (lock) {
            if (live) {
                nextLive = new CompletableFuture<>();
            }
            live = false;
            connection = null;
        }
    }

    private void subscribed() {
        failures = 0;
        boolean again;
        CompletableFuture<Void> confirmed;
        synchronized (lock) {
            live = true;
            again = subscriptions++ > 0;
            confirmed = nextLive;
        }
        // Outside the lock: completing runs the waiters' callbacks, which take the registry's lock.
        confirmed.complete(null);
        if (again) {
            onResubscribed.run();
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** @return false when the subscriber was closed during the pause */
    private boolean pauseBeforeReconnect(long nanos) {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return false;
        }
    }

    /** Stops the thread and closes the connection; idempotent. */
    @Override
    public void close() {
        Thread running;
        Jedis open;
        CompletableFuture<Void> pending;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            live = false;
            running = thread;
            open = connection;
            pending = nextLive;
            lock.notifyAll();
        }
        pending.completeExceptionally(new IllegalStateException("release subscriber closed"));
        if (open != null) {
            // Closing the socket ends the blocking read even when the server no longer answers.
            open.disconnect();
        }
        if (running != null) {
            try {
                running.join(closeWaitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (running.isAlive()) {
                LOG.warn("release subscriber thread did not stop within {} ms", closeWaitMillis);
            }
        }
    }

    /** Receives the pattern messages on the subscriber thread. */
    private final class Listener extends JedisPubSub {

        @Override
        public void onPSubscribe(String pattern, int subscribedChannels) {
            subscribed();
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            onRelease.accept(channel, message);
        }
    }
}
