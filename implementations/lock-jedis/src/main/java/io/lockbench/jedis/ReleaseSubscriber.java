package io.lockbench.jedis;

import io.lockbench.core.Backoff;
import io.lockbench.core.LockKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one subscriber connection of a service: a dedicated thread, started by the first waiter, that
 * PSUBSCRIBEs to every lock's release channel and hands each release to a callback. One connection serves
 * all waiters of all keys; PUBLISH reaches every node of a cluster, so any node will do.
 *
 * <p>While the connection is down (or not yet confirmed) {@link #live()} is false and waiters rely on their
 * backoff; the thread reconnects with a jittered backoff, trying the nodes in turn, and reports each
 * re-subscription because releases published in between were lost.
 */
final class ReleaseSubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseSubscriber.class);

    /**
     * The release channel of every key: LockKeys' own shape with the tag replaced by a glob. The braces
     * are literal characters in a Redis glob, so it matches exactly the channels LockKeys makes.
     */
    static final String PATTERN = LockKeys.of("*").channel();

    private static final Backoff RECONNECT =
            new Backoff(Duration.ofMillis(20).toNanos(), Duration.ofSeconds(1).toNanos());

    private final List<HostAndPort> nodes;
    private final JedisClientConfig config;
    private final Consumer<String> onRelease;
    private final Runnable onResubscribed;
    private final long closeWaitMillis;
    private final Object lock = new Object();
    private Thread thread;
    private Jedis connection;
    private boolean closed;
    private long subscriptions;
    private volatile boolean live;
    /** Confined to the subscriber thread: the node to try next, and failures since the last subscription. */
    private int nodeIndex;
    private int failures;

    /**
     * @param nodes where to subscribe, tried in turn
     * @param config connect and socket timeouts for the connection
     * @param onRelease called on the subscriber thread with the channel of each release
     * @param onResubscribed called on the subscriber thread after a lost subscription is back
     * @param commandTimeout the service's command timeout; bounds how long close waits for the thread
     */
    ReleaseSubscriber(List<HostAndPort> nodes, JedisClientConfig config, Consumer<String> onRelease,
                      Runnable onResubscribed, Duration commandTimeout) {
        this.nodes = List.copyOf(nodes);
        this.config = config;
        this.onRelease = onRelease;
        this.onResubscribed = onResubscribed;
        this.closeWaitMillis = 2 * commandTimeout.toMillis() + 1_000;
    }

    /** @return whether the server has confirmed the subscription and the connection has not failed since */
    boolean live() {
        return live;
    }

    /**
     * Starts the subscriber thread if it is not running and waits until the subscription is live.
     *
     * @param nanos how long to wait at most
     * @return whether it is live
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean awaitLive(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (thread == null) {
                thread = new Thread(this::run, "lockbench-jedis-release-subscriber");
                thread.setDaemon(true);
                thread.start();
            }
            while (!live && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return live;
        }
    }

    private void run() {
        while (true) {
            HostAndPort node = nodes.get(nodeIndex % nodes.size());
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
            nodeIndex++;
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
            live = false;
            connection = null;
        }
    }

    private void subscribed() {
        failures = 0;
        boolean again;
        synchronized (lock) {
            live = true;
            again = subscriptions++ > 0;
            lock.notifyAll();
        }
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
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            live = false;
            running = thread;
            open = connection;
            lock.notifyAll();
        }
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
            onRelease.accept(channel);
        }
    }
}
