package io.lockbench.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a request whose outcome is unknown is settled: an acquire or a release that timed out,
 * lost its reply or connection, was interrupted, cancelled or abandoned by a close. Such a request may have
 * written our owner token, or may still write it later (a request queued inside a frozen server runs when the
 * server resumes, with a fresh ttl), so the resolver keeps sending a compare-and-delete by our token until the
 * server has settled it:
 * <ul>
 *   <li>the compare-and-delete found and deleted our token (the request had run, and runs only once); or</li>
 *   <li>the server answered a compare-and-delete that was sent at least the <em>drain time</em> after an
 *       earlier one was answered. The first answer proves the server is processing requests again; what it had
 *       queued before (the lost request included, which reached it before the resolver started) is read from
 *       each connection's backlog in passes of a few kilobytes, so a long backlog takes several passes, and
 *       another connection's request can be answered in between. A backlog was written by the client within
 *       one command timeout (after that the client gives the connection up), and the server drains it much
 *       faster than it was written: with the drain time set to the command timeout (and at least the time a
 *       request may spend on its way, {@code AbstractLockService.MIN_DRAIN}), an answer to a request sent that
 *       long after the first answer comes after the lost request could last have been applied, and any token
 *       it wrote is gone. Until then a compare-and-delete goes out every 5 to 50 ms.</li>
 * </ul>
 * The client's own clock passing the ttl is not a reason to stop: the server applies the ttl from the moment
 * it runs the request. A failed compare-and-delete (timeout, refused connection) is retried with a jittered
 * backoff of 5 to 50 ms, so a token that a resumed server wrote is deleted within about 50 ms and a round trip
 * of its answering again; the resolution itself ends one drain time later.
 * A call may wait for its answer longer than the command timeout: it is off every caller's path, and the Jedis
 * implementations let it wait at least 250 ms ({@code AbstractLockService.resolverPatience}), since Jedis
 * replaces a connection after each timeout and a new one may not be set up and answered within it.
 *
 * <p>Closing bounds it: pending resolutions stop, and whatever they had not deleted expires by its ttl.
 * Compare-and-delete calls run on a small pool of worker threads (at most four, started on demand and
 * stopped when idle), so a blocking client may be used; an asynchronous one returns at once.
 */
public final class OutcomeResolver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeResolver.class);
    /** Retry pacing after a compare-and-delete failed: short, so a resumed server is settled quickly. */
    static final Backoff RETRY = new Backoff(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(50));
    private static final int WORKERS = 4;

    private final String name;
    private final ScheduledExecutorService timers;
    private final long drainNanos;
    private final ThreadPoolExecutor workers;
    /** Resolutions not settled yet: close completes them, since it drops their queued or timed next steps. */
    private final Set<Resolution> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * A resolver that stops at the first answer to a compare-and-delete sent after an earlier answer (a drain
     * time of zero): for a server whose connections never hold a long backlog.
     *
     * @param name the service's name, for thread names and log lines
     * @param timers the service's timer scheduler, used for retry delays (not closed by the resolver)
     */
    public OutcomeResolver(String name, ScheduledExecutorService timers) {
        this(name, timers, Duration.ZERO);
    }

    /**
     * @param name the service's name, for thread names and log lines
     * @param timers the service's timer scheduler, used for retry delays (not closed by the resolver)
     * @param drain how long after the server's first answer a compare-and-delete must have been sent to
     *     settle the request: the service's command timeout
     */
    public OutcomeResolver(String name, ScheduledExecutorService timers, Duration drain) {
        this.name = name;
        this.timers = timers;
        this.drainNanos = Deadline.saturatedNanos(drain);
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Threads.daemon("lockbench-" + name + "-resolver"));
        workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts settling one request whose outcome is unknown. The first compare-and-delete is sent at once.
     *
     * @param what the request, for log lines, such as {@code acquire of lock:{orders}}
     * @param compareAndDelete sends one compare-and-delete by our token (release.lua or the client's own),
     *     completing with its code (1 deleted, 0 gone, -1 another owner) or failing when no answer came; it
     *     may block for up to the command timeout
     * @return completes when the request is settled, or when the resolver was closed first (never fails)
     */
    public CompletableFuture<Void> resolve(String what, Supplier<? extends CompletionStage<Long>> compareAndDelete) {
        Resolution resolution = new Resolution(what, compareAndDelete);
        pending.add(resolution);
        resolution.done.whenComplete((ignored, error) -> pending.remove(resolution));
        resolution.send();
        return resolution.done;
    }

    /** @return how many requests are being settled now */
    public int unsettled() {
        return pending.size();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops every pending resolution and the worker threads, waiting at most {@code bound} for a worker
     * still inside a call. Idempotent.
     *
     * @param bound how long to wait for the workers
     */
    public void close(Duration bound) {
        closed = true;
        workers.shutdownNow();
        pending.forEach(Resolution::stopped);
        try {
            if (!workers.awaitTermination(Math.max(1, bound.toMillis()), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: outcome resolver threads did not stop within {}", name, bound);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes, waiting up to a second for the workers. */
    @Override
    public void close() {
        close(Duration.ofSeconds(1));
    }

    /** One request being settled. One compare-and-delete is in flight or scheduled at a time. */
    private final class Resolution {

        private final String what;
        private final Supplier<? extends CompletionStage<Long>> compareAndDelete;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Touched by one thread at a time: each step starts after the previous one finished. */
        private boolean answeredBefore;
        private long firstAnswerNanos;
        private int failures;
        private int answers;

        private Resolution(String what, Supplier<? extends CompletionStage<Long>> compareAndDelete) {
            this.what = what;
            this.compareAndDelete = compareAndDelete;
        }

        private void send() {
            if (stopped()) {
                return;
            }
            boolean settles = answeredBefore && System.nanoTime() - firstAnswerNanos >= drainNanos;
            try {
                workers.execute(() -> call(settles));
            } catch (RejectedExecutionException closing) {
                stopped();
            }
        }

        private void call(boolean settles) {
            CompletionStage<Long> reply;
            try {
                reply = compareAndDelete.get();
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((code, error) -> answered(settles, code, error));
        }

        private void answered(boolean settles, Long code, Throwable error) {
            if (error == null && code != null) {
                if (code == 1L) {
                    LOG.debug("{}: {} had been applied; deleted our token", name, what);
                    done.complete(null);
                    return;
                }
                if (settles) {
                    done.complete(null);
                    return;
                }
                if (!answeredBefore) {
                    answeredBefore = true;
                    firstAnswerNanos = System.nanoTime();
                }
                failures = 0;
                long drainLeft = firstAnswerNanos + drainNanos - System.nanoTime();
                after(Math.min(RETRY.delayNanos(answers++, -1, Long.MAX_VALUE), Math.max(0, drainLeft)));
                return;
            }
            LOG.debug("{}: {} not settled yet: {}", name, what, error == null ? "no reply" : error.toString());
            after(RETRY.delayNanos(failures++, -1, Long.MAX_VALUE));
        }

        private void after(long delayNanos) {
            if (delayNanos <= 0) {
                send();
                return;
            }
            try {
                timers.schedule(this::send, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                stopped();
            }
        }

        /** @return true (and completes) when the resolver was closed */
        private boolean stopped() {
            if (closed || workers.isShutdown()) {
                LOG.debug("{}: closed before {} was settled; whatever it wrote expires by its ttl", name, what);
                done.complete(null);
                return true;
            }
            return false;
        }
    }
}
