package io.lockbench.jedis;

import io.lockbench.core.Backoff;
import io.lockbench.core.LockKeys;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Resolves acquires whose outcome is unknown (story 3: the request may have been executed although no reply
 * came back): deletes our token by compare-and-delete, at once on the caller's thread and, when that does
 * not settle it, on a small background scheduler until it does.
 *
 * <p>Settled means release.lua found and deleted our token: the request was executed and cannot run again.
 * Until then the scheduler keeps trying while the server is unreachable, and keeps looking for a while after
 * the server answered "not there", because the request may still be travelling (a frozen link that thaws);
 * it stops once the key would have expired anyway, or when the service closes.
 */
final class AmbiguousAcquires implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AmbiguousAcquires.class);
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(10).toNanos(), Duration.ofMillis(250).toNanos());
    /** How long, in command timeouts, a request that did not arrive yet is still looked for. */
    private static final int STRAGGLER_TIMEOUTS = 5;

    private final JedisScripts scripts;
    private final long stragglerNanos;
    private final long closeWaitMillis;
    private final Object lock = new Object();
    private ScheduledThreadPoolExecutor scheduler;
    private boolean closed;

    /**
     * @param scripts the calls to the server
     * @param commandTimeout the service's command timeout
     */
    AmbiguousAcquires(JedisScripts scripts, Duration commandTimeout) {
        this.scripts = scripts;
        this.stragglerNanos = STRAGGLER_TIMEOUTS * commandTimeout.toNanos();
        this.closeWaitMillis = 2 * commandTimeout.toMillis() + 1_000;
    }

    /**
     * Removes whatever an acquire with {@code token} may have written. Makes one attempt before returning
     * (bounded by the command timeout) and leaves the rest to the background.
     *
     * @param keys the lock's names
     * @param token the owner token the acquire sent; never to be used again
     * @param expiresNanos the nanoTime after which the key, if written, has expired on the server
     * @return whether the server answered that attempt (the token is gone from the server for now)
     */
    boolean resolve(LockKeys keys, String token, long expiresNanos) {
        Resolution resolution = new Resolution(keys, token, expiresNanos, System.nanoTime() + stragglerNanos);
        if (!resolution.settled()) {
            schedule(resolution);
        }
        return resolution.answered;
    }

    private void schedule(Resolution resolution) {
        long now = System.nanoTime();
        if (now - resolution.expiresNanos >= 0 || resolution.answered && now - resolution.stragglerUntilNanos >= 0) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                LOG.warn("service closed before the ambiguous acquire of {} was resolved; "
                        + "it may stay held until its ttl", resolution.keys.lock());
                return;
            }
            if (scheduler == null) {
                scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
                    Thread thread = new Thread(runnable, "lockbench-jedis-resolver");
                    thread.setDaemon(true);
                    return thread;
                });
                scheduler.setRemoveOnCancelPolicy(true);
                scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            }
            long delay = RETRY.delayNanos(resolution.attempts++, -1, resolution.expiresNanos - now);
            scheduler.schedule(() -> {
                if (!resolution.settled()) {
                    schedule(resolution);
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the background retries; idempotent. */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor running;
        synchronized (lock) {
            closed = true;
            running = scheduler;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            if (!running.awaitTermination(closeWaitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("ambiguous-acquire resolver did not stop within {} ms", closeWaitMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One acquire being resolved. Touched by one thread at a time: the caller, then the scheduler. */
    private final class Resolution {

        private final LockKeys keys;
        private final String token;
        private final long expiresNanos;
        private final long stragglerUntilNanos;
        private int attempts;
        private boolean answered;

        private Resolution(LockKeys keys, String token, long expiresNanos, long stragglerUntilNanos) {
            this.keys = keys;
            this.token = token;
            this.expiresNanos = expiresNanos;
            this.stragglerUntilNanos = stragglerUntilNanos;
        }

        /** @return true once our token was found and deleted */
        private boolean settled() {
            try {
                long code = scripts.release(keys, token);
                answered = true;
                if (code == 1) {
                    LOG.debug("ambiguous acquire of {} had landed; released it", keys.lock());
                    return true;
                }
            } catch (JedisException e) {
                LOG.debug("ambiguous acquire of {} not resolved yet: {}", keys.lock(), e.getMessage());
            }
            return false;
        }
    }
}
