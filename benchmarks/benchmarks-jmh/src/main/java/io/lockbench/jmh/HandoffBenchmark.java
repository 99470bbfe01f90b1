package io.lockbench.jmh;

import io.lockbench.api.Lease;
import io.lockbench.report.DurationLabel;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How fast a released lock reaches the next waiter: a holder and a waiter take turns on one key. The holder
 * takes the lock, lets the waiter block in {@code acquire}, keeps the lock a little longer so that the
 * waiter's wake-up (subscription or poll) is in place, then releases; the waiter records the time from that
 * release to holding the lock, releases, and the next round begins. Pub/sub wake-up shows as about one round
 * trip; polling as up to a poll interval (the waiter sleeps through the release). The latency columns of the summary are this handoff time; the
 * throughput is handoff rounds per second (the waiter's score), which the settle time dominates.
 *
 * <p>Run alone: {@code ./lockbench bench --only handoff [--impl jedis,naive-setnx]}.
 */
@BenchmarkMode(Mode.Throughput)
@State(Scope.Group)
public class HandoffBenchmark {

    /** How long either side waits for the other before going on alone, so an iteration's end never hangs. */
    private static final long TURN_TIMEOUT_NANOS = 200_000_000L;
    /** How long the holder keeps the lock once the waiter is waiting, plus four injected round trips. */
    private static final long SETTLE_NANOS = 2_000_000L;
    private static final long POLL_NANOS = 10_000L;
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private static final int HOLDER_TURN = 0;
    private static final int WAITER_TURN = 1;

    private String key;
    private long settleNanos;
    private volatile int turn = HOLDER_TURN;
    private volatile boolean waiterWaiting;
    private volatile long releasedAt;

    /**
     * Names this pair's key.
     *
     * @param locks the implementation under test
     */
    @Setup(Level.Trial)
    public void nameKey(LockServiceState locks) {
        key = locks.key("handoff-" + GROUPS.incrementAndGet());
        settleNanos = SETTLE_NANOS + 4 * DurationLabel.parse(locks.rtt).toNanos();
    }

    /**
     * Takes the lock, waits until the waiter is blocked on it, and releases it.
     *
     * @param locks the implementation under test
     * @return whether a handoff was offered
     */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public boolean holder(LockServiceState locks) {
        awaitTurn(HOLDER_TURN);
        Optional<Lease> lease = locks.acquire(key);
        if (lease.isEmpty()) {
            return false;
        }
        turn = WAITER_TURN;
        long deadline = System.nanoTime() + TURN_TIMEOUT_NANOS;
        while (!waiterWaiting && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        Hold.hold(settleNanos);
        releasedAt = System.nanoTime();
        lease.get().release();
        return true;
    }

    /**
     * Waits for the lock the holder has, records the handoff time, and releases it.
     *
     * @param locks the implementation under test
     * @param counters the handoff times
     * @return whether the lock was taken
     */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public boolean waiter(LockServiceState locks, HandoffCounters counters) {
        awaitTurn(WAITER_TURN);
        long waitStart = System.nanoTime();
        waiterWaiting = true;
        Optional<Lease> lease;
        try {
            lease = locks.acquire(key);
        } finally {
            waiterWaiting = false;
        }
        long held = System.nanoTime();
        if (lease.isEmpty()) {
            return false;
        }
        long released = releasedAt;
        // A release before we started waiting is an earlier round's: this acquire found the lock free.
        if (released - waitStart > 0) {
            counters.record(held - released);
        }
        lease.get().release();
        turn = HOLDER_TURN;
        return true;
    }

    /** Waits, bounded, until it is this side's turn; the other side may have stopped at the iteration's end. */
    private void awaitTurn(int side) {
        long deadline = System.nanoTime() + TURN_TIMEOUT_NANOS;
        while (turn != side && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
