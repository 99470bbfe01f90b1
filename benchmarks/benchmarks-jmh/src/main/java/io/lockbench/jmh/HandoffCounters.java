package io.lockbench.jmh;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The waiter's handoff times in one iteration: from the holder's release to the waiter holding the lock.
 * Only the waiter thread has these counters, so JMH's sum over threads is the waiter's own figure; the
 * runner runs one holder-waiter pair.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class HandoffCounters {

    /** Handoffs timed in this iteration. */
    public long handoffs;

    private final Histogram nanos = new Histogram(3);

    /** Starts the iteration's histogram. */
    @Setup(Level.Iteration)
    public void reset() {
        handoffs = 0;
        nanos.reset();
    }

    /**
     * Median handoff time.
     *
     * @return microseconds, 0 when there was no handoff
     */
    public double handoffP50Us() {
        return micros(50);
    }

    /**
     * 99th percentile handoff time.
     *
     * @return microseconds, 0 when there was no handoff
     */
    public double handoffP99Us() {
        return micros(99);
    }

    /**
     * 99.9th percentile handoff time.
     *
     * @return microseconds, 0 when there was no handoff
     */
    public double handoffP999Us() {
        return micros(99.9);
    }

    /** Records one handoff. */
    void record(long handoffNanos) {
        handoffs++;
        nanos.recordValue(Math.max(0, handoffNanos));
    }

    private double micros(double percentile) {
        return handoffs == 0 ? 0 : nanos.getValueAtPercentile(percentile) / 1e3;
    }
}
