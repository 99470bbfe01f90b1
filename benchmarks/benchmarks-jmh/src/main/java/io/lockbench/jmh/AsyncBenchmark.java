package io.lockbench.jmh;

import io.lockbench.api.AsyncLease;
import io.lockbench.api.AsyncLockService;
import io.lockbench.api.Capability;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One caller keeping many sections in flight without blocking a thread: {@code inFlight} chains, each an
 * {@code acquireAsync} on a random key of {@code keys} (waiting at most {@link LockServiceState#MAX_WAIT}), then
 * {@code releaseAsync} of the lease, then the next acquire, all started from the completion callbacks. The one
 * benchmark thread only counts what completes: the score is completed sections per second. On 16 keys the
 * sections mostly run side by side; on one key they queue for it and wake on its release messages. Bound:
 * {@code min(keys, inFlight) / (2 * RTT)}; requests in flight at once can beat it on a pipelining client. Counters
 * as in {@link ContendedBenchmark}: sections, acquires that gave up, Redis commands per section.
 *
 * <p>Only implementations whose provider declares {@link Capability#ASYNC} run it ({@link Benchmarks#ASYNC});
 * the others are left out of the step, not failed. Throughput mode only: a sample would time the wait for
 * whichever chain completes next, not a section.
 *
 * <p>Run alone: {@code ./lockbench bench --only async [--impl lettuce]}.
 */
@BenchmarkMode(Mode.Throughput)
@State(Scope.Thread)
public class AsyncBenchmark {

    /** How many sections the runner keeps in flight. */
    static final int IN_FLIGHT = 16;

    /** How long the benchmark thread waits for a completion before calling the chains stuck. */
    private static final long STALL_NANOS = LockServiceState.MAX_WAIT.toNanos() + TimeUnit.SECONDS.toNanos(1);

    /** Sections in flight at once: acquire chains started by one thread. */
    @Param({"16"})
    public int inFlight;

    /** How many keys the chains share. */
    @Param({"1", "16"})
    public int keys;

    private final BlockingQueue<Outcome> completed = new LinkedBlockingQueue<>();
    private final AtomicInteger liveChains = new AtomicInteger();
    private volatile boolean running;
    private String impl;
    private AsyncLockService service;
    private String[] keyNames;

    /** What one chain's section came to. */
    private record Outcome(boolean acquired, Throwable error) {
        static final Outcome ACQUIRED = new Outcome(true, null);
        static final Outcome GAVE_UP = new Outcome(false, null);
    }

    /**
     * Takes the async API of the implementation under test and names the keys.
     *
     * @param locks the implementation under test
     * @throws IllegalStateException when the service does not implement {@link AsyncLockService}
     * @throws IllegalArgumentException when {@code inFlight} or {@code keys} is below 1
     */
    @Setup(Level.Trial)
    public void open(LockServiceState locks) {
        if (!(locks.service() instanceof AsyncLockService async)) {
            throw new IllegalStateException(locks.impl + " does not implement AsyncLockService; the async benchmark"
                    + " runs only on implementations that declare " + Capability.ASYNC);
        }
        if (inFlight < 1 || keys < 1) {
            throw new IllegalArgumentException("inFlight and keys: at least 1 each, got " + inFlight + " and " + keys);
        }
        impl = locks.impl;
        service = async;
        keyNames = new String[keys];
        for (int i = 0; i < keys; i++) {
            keyNames[i] = locks.spreadKey("async-", i);
        }
    }

    /** Starts the chains. */
    @Setup(Level.Iteration)
    public void startChains() {
        completed.clear();
        running = true;
        for (int i = 0; i < inFlight; i++) {
            liveChains.incrementAndGet();
            next();
        }
    }

    /**
     * Waits for the next section to complete and counts it.
     *
     * @param counters sections and failures
     * @return whether that section had the lock
     * @throws IllegalStateException when an acquire or release failed, or nothing completed in
     *     {@link LockServiceState#MAX_WAIT} plus a second
     */
    @Benchmark
    public boolean cycle(SectionCounters counters) {
        Outcome outcome;
        try {
            outcome = completed.poll(STALL_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (outcome == null) {
            throw new IllegalStateException(impl + ": no async section completed in "
                    + TimeUnit.NANOSECONDS.toMillis(STALL_NANOS) + " ms with " + liveChains.get() + " in flight");
        }
        if (outcome.error() != null) {
            throw new IllegalStateException(impl + ": an async acquire or release failed", outcome.error());
        }
        if (outcome.acquired()) {
            counters.acquired();
        } else {
            counters.failed();
        }
        return outcome.acquired();
    }

    /**
     * Lets every chain finish its section and stop, so that no lease is in flight between iterations or when
     * the service closes. Bounded: a chain still out after {@link LockServiceState#MAX_WAIT} plus a second is
     * left to the service's close.
     */
    @TearDown(Level.Iteration)
    public void stopChains() {
        running = false;
        long deadline = System.nanoTime() + STALL_NANOS;
        try {
            while (liveChains.get() > 0) {
                // A chain takes itself off the count before it queues its last outcome.
                if (completed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) == null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completed.clear();
    }

    /** Starts one chain's next section; runs on the benchmark thread at first, then in completion callbacks. */
    private void next() {
        String key = keyNames[ThreadLocalRandom.current().nextInt(keyNames.length)];
        CompletionStage<Optional<AsyncLease>> acquire;
        try {
            acquire = service.acquireAsync(key, LockServiceState.TTL, LockServiceState.MAX_WAIT);
        } catch (RuntimeException e) {
            done(new Outcome(false, e));
            return;
        }
        acquire.whenComplete((lease, error) -> {
            if (error != null) {
                done(new Outcome(false, error));
            } else if (lease.isEmpty()) {
                done(Outcome.GAVE_UP);
            } else {
                lease.get().releaseAsync().whenComplete((result, releaseError) -> done(releaseError == null
                        ? Outcome.ACQUIRED : new Outcome(true, releaseError)));
            }
        });
    }

    /** Hands an outcome to the benchmark thread and starts the chain's next section, unless it stops here. */
    private void done(Outcome outcome) {
        boolean more = running && outcome.error() == null;
        if (!more) {
            liveChains.decrementAndGet();
        }
        completed.add(outcome);
        if (more) {
            next();
        }
    }
}
