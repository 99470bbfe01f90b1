package io.lockbench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread counts JMH reports next to the score (summed over threads, per iteration): critical sections
 * entered, acquires that gave up after {@link LockServiceState#MAX_WAIT}, and the Redis commands executed per
 * section, counted on the servers.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class SectionCounters {

    /** Critical sections entered in this iteration. */
    public long acquired;

    /** Acquires that returned without the lock in this iteration. */
    public long failed;

    private LockServiceState locks;

    /**
     * Starts the iteration's counts.
     *
     * @param locks the shared state that counts commands on the servers
     */
    @Setup(Level.Iteration)
    public void reset(LockServiceState locks) {
        this.locks = locks;
        acquired = 0;
        failed = 0;
    }

    /**
     * Redis commands (Lua calls included) per critical section in this iteration; JMH sums the threads'
     * shares into the whole figure.
     *
     * @return this thread's share
     */
    public double commandsPerSection() {
        return locks == null ? 0 : locks.commandsPerSectionShare(acquired);
    }

    /** Counts one critical section entered. */
    void acquired() {
        acquired++;
        locks.sectionDone();
    }

    /** Counts one acquire that gave up. */
    void failed() {
        failed++;
    }
}
