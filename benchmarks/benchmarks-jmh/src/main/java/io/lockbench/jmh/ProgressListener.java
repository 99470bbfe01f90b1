package io.lockbench.jmh;

import io.lockbench.report.BenchResult;
import io.lockbench.report.StepNoise;

import java.time.Duration;
import java.util.List;

/** What a {@link BenchRunner} tells its caller as the run goes. */
public interface ProgressListener {

    /**
     * A case (one implementation, parameter combination and mode) is starting.
     *
     * @param number its number, from 1
     * @param total how many cases the run has
     * @param description what runs, such as {@code contended thrpt t=4 impl=jedis keys=1 hold=100us rtt=0}
     * @param left the estimated time until the run ends
     */
    void caseStarted(int number, int total, String description, Duration left);

    /**
     * A step's results are in.
     *
     * @param step the step
     * @param results its results; fewer than its cases when some failed
     * @param noise what each case's fork measured around it ({@link StepNoise#flags()} says which to doubt);
     *     fewer than its cases when some failed
     */
    default void stepFinished(BenchStep step, List<BenchResult> results, List<StepNoise> noise) {
    }
}
