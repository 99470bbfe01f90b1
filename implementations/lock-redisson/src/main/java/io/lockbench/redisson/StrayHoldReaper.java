package io.lockbench.redisson;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases holds that an acquire may have written but never handed to its caller: the reply was lost
 * (timeout), the caller was interrupted, or it gave up waiting. Such a hold can appear on the server after
 * the acquire returned (a request stuck in a frozen connection lands when it thaws), so one release attempt
 * is not enough.
 *
 * <p>Each stray hold is released by its thread id, in the background, until one of:
 * <ul>
 *   <li>the release deleted it (the hold had landed);</li>
 *   <li>the server has answered "not ours" for longer than the settle time: by then a request the client
 *       gave up on a command timeout ago has long been delivered or dropped;</li>
 *   <li>the hold's ttl has passed since the acquire was sent (any hold it wrote has expired);</li>
 *   <li>the service is closed (the hold then expires by its ttl).</li>
 * </ul>
 * Attempts back off from 50 ms to 1 s; no answer (a timeout) never counts as "not ours".
 */
final class StrayHoldReaper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StrayHoldReaper.class);
    private static final long FIRST_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HoldScripts scripts;
    private final long settleNanos;
    private final ScheduledThreadPoolExecutor scheduler;

    /**
     * @param scripts the release script runner
     * @param commandTimeout the service's command timeout; the settle time is twice that
     * @param threadName the name of the one scheduler thread (started only when something is reaped)
     */
    StrayHoldReaper(HoldScripts scripts, Duration commandTimeout, String threadName) {
        this.scripts = scripts;
        this.settleNanos = commandTimeout.toNanos() * 2;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Starts releasing a hold that may exist now or later. The first attempt is sent at once.
     *
     * @param key the lock's name
     * @param threadId the synthetic thread id the acquire used
     * @param sentNanos nanoTime before the acquire was sent
     * @param ttl the ttl the acquire asked for
     */
    void reap(String key, long threadId, long sentNanos, Duration ttl) {
        new Reaping(key, threadId, sentNanos + ttl.toNanos()).run();
    }

    /** Stops the scheduler; pending reapings are dropped (their holds expire by their ttl). */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One stray hold's release attempts; runs one attempt at a time, so its fields need no locking. */
    private final class Reaping implements Runnable {

        private final String key;
        private final long threadId;
        private final long expiresNanos;
        private long delayNanos = FIRST_DELAY_NANOS;
        private boolean answered;
        private long firstAnswerNanos;

        Reaping(String key, long threadId, long expiresNanos) {
            this.key = key;
            this.threadId = threadId;
            this.expiresNanos = expiresNanos;
        }

        @Override
        public void run() {
            if (scheduler.isShutdown() || expiresNanos - System.nanoTime() <= 0) {
                return;
            }
            try {
                scripts.release(key, threadId).whenComplete(this::answer);
            } catch (RuntimeException e) {
                answer(null, e);
            }
        }

        private void answer(Long code, Throwable error) {
            long now = System.nanoTime();
            if (error == null && code == 1) {
                LOG.debug("released hold {} on '{}' left by an acquire that did not return it", threadId, key);
                return;
            }
            if (error == null || !Replies.unanswered(error)) {
                if (!answered) {
                    answered = true;
                    firstAnswerNanos = now;
                } else if (now - firstAnswerNanos >= settleNanos) {
                    return;
                }
            }
            schedule();
        }

        private void schedule() {
            long delay = delayNanos;
            delayNanos = Math.min(MAX_DELAY_NANOS, delayNanos * 2);
            try {
                scheduler.schedule(this, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
                LOG.debug("service closed; hold {} on '{}' is left to its ttl", threadId, key);
            }
        }
    }
}
