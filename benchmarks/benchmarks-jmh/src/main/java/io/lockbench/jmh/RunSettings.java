package io.lockbench.jmh;

import java.time.Duration;

/**
 * How long JMH measures each case: forks, warmup and measurement iterations.
 *
 * @param forks JVM forks per case; 0 runs in this JVM (tests only: no isolation between implementations)
 * @param warmupIterations warmup iterations per fork
 * @param warmupTime length of one warmup iteration
 * @param measurementIterations measured iterations per fork
 * @param measurementTime length of one measured iteration
 */
public record RunSettings(int forks, int warmupIterations, Duration warmupTime, int measurementIterations,
                          Duration measurementTime) {

    /**
     * What starting a fork, connecting an implementation and the noise record's PINGs (a warmup of 0.3 s to 1.5 s
     * by client library) cost, for the time estimates.
     */
    static final Duration FORK_OVERHEAD = Duration.ofMillis(3_000);

    /** @throws IllegalArgumentException for negative counts, no measurement, or non-positive times */
    public RunSettings {
        if (forks < 0 || warmupIterations < 0 || measurementIterations < 1 || warmupTime.isNegative()
                || warmupTime.isZero() || measurementTime.isNegative() || measurementTime.isZero()) {
            throw new IllegalArgumentException("settings: forks=" + forks + ", warmup=" + warmupIterations + "x"
                    + warmupTime + ", measurement=" + measurementIterations + "x" + measurementTime + " out of range");
        }
    }

    /**
     * About how long one case (one implementation, one parameter combination, one mode) takes.
     *
     * @return the estimate
     */
    public Duration estimatePerCase() {
        Duration iterations = warmupTime.multipliedBy(warmupIterations)
                .plus(measurementTime.multipliedBy(measurementIterations));
        return forks == 0 ? iterations : iterations.plus(FORK_OVERHEAD).multipliedBy(forks);
    }
}
