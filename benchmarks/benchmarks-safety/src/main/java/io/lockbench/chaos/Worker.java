package io.lockbench.chaos;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.ReplicationNotAcknowledgedException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One contender: takes a random key of a few, reports the section (write first, then one renewal, then a short
 * hold: a worker that pays and keeps its lease alive; after a stall the renewal comes at once, as a renewal timer
 * that fell due while the process was stopped fires the moment it resumes, while the next holder still works),
 * releases, and starts over until stopped. Errors from a faulty server end the attempt, never the worker.
 */
final class Worker implements Runnable {

    /** What the section does just before releasing; the lost-release-message fault hooks in here. */
    interface BeforeRelease {
        void run(String key);
    }

    private final LockService service;
    private final String holder;
    private final List<String> keys;
    private final Duration ttl;
    private final Duration hold;
    private final SectionSink sink;
    private final AtomicLong sectionIds;
    private final BeforeRelease beforeRelease;
    private volatile boolean stopped;
    private final Object wake = new Object();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong notAcknowledged = new AtomicLong();

    Worker(LockService service, String holder, List<String> keys, Duration ttl, Duration hold, SectionSink sink,
           AtomicLong sectionIds, BeforeRelease beforeRelease) {
        this.service = service;
        this.holder = holder;
        this.keys = List.copyOf(keys);
        this.ttl = ttl;
        this.hold = hold;
        this.sink = sink;
        this.sectionIds = sectionIds;
        this.beforeRelease = beforeRelease;
    }

    /**
     * @param ttl the lease ttl
     * @return how long one acquire waits at most before the worker starts over on another random key
     */
    static Duration maxWait(Duration ttl) {
        return ttl.multipliedBy(4);
    }

    /** Ends the loop after the current attempt, cutting a section's hold short. */
    void stop() {
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Holds for {@code hold}, or less when stopped: a cell's end need not wait out long holds. */
    private void holdUnlessStopped() throws InterruptedException {
        long end = System.nanoTime() + hold.toNanos();
        synchronized (wake) {
            long left;
            while (!stopped && (left = end - System.nanoTime()) > 0) {
                wake.wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
    }

    /** @return attempts that ended in a {@link LockBackendException} (a server down, a timeout, no replica ack) */
    long failedAttempts() {
        return failedAttempts.get();
    }

    /** @return of {@link #failedAttempts()}, the acquires released because no replica acknowledged them */
    long notAcknowledged() {
        return notAcknowledged.get();
    }

    @Override
    public void run() {
        while (!stopped && !Thread.currentThread().isInterrupted()) {
            try {
                cycle(keys.get(ThreadLocalRandom.current().nextInt(keys.size())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (LockBackendException e) {
                // A fault at work: a failed attempt, not a violation; the next attempt finds out more.
                failedAttempts.incrementAndGet();
                if (e instanceof ReplicationNotAcknowledgedException) {
                    notAcknowledged.incrementAndGet();
                }
                pauseAfterError();
            } catch (IllegalStateException e) {
                // The service closing at the cell's end.
                pauseAfterError();
            }
        }
    }

    private void cycle(String key) throws InterruptedException {
        Optional<Lease> acquired;
        sink.waiting(holder, key, true);
        try {
            acquired = service.acquire(key, ttl, maxWait(ttl));
        } finally {
            sink.waiting(holder, key, false);
        }
        if (acquired.isEmpty()) {
            return;
        }
        Lease lease = acquired.get();
        long section = sectionIds.incrementAndGet();
        sink.begin(section, holder, key, lease.fencingToken());
        try {
            sink.write(section);
            boolean extended;
            sink.renewing(section);
            try {
                extended = lease.extend(ttl);
            } catch (LockBackendException e) {
                extended = false;
            }
            sink.renewed(section, extended);
            holdUnlessStopped();
        } finally {
            sink.end(section);
            beforeRelease.run(key);
            try {
                lease.release();
            } catch (LockBackendException e) {
                // Left to the ttl; the orphan sampler measures how long the key stays.
            }
        }
    }

    private void pauseAfterError() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
