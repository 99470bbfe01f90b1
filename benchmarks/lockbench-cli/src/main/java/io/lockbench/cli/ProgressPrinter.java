package io.lockbench.cli;

import io.lockbench.jmh.ProgressListener;
import io.lockbench.report.StepNoise;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

/** Prints one progress line per benchmark case to the console's error stream. */
final class ProgressPrinter implements ProgressListener {

    private final PrintWriter out;

    ProgressPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void caseStarted(int number, int total, String description, Duration left) {
        int width = Integer.toString(total).length();
        out.printf(Locale.ROOT, "[%" + width + "d/%d] %s  (about %s left)%n", number, total, description,
                format(left));
        out.flush();
    }

    /**
     * Prints what a step's forks measured around its cases: one line for the step, then one per case to doubt,
     * saying why ({@link StepNoise#flags()}).
     *
     * @param noise the step's noise records; nothing is printed when there are none
     */
    void stepNoise(List<StepNoise> noise) {
        if (noise.isEmpty()) {
            return;
        }
        DoubleSummaryStatistics drift = noise.stream().mapToDouble(record -> 100 * record.drift())
                .filter(value -> !Double.isNaN(value)).summaryStatistics();
        double load = noise.stream().mapToDouble(StepNoise::load).filter(value -> !Double.isNaN(value)).max()
                .orElse(Double.NaN);
        double steal = noise.stream().mapToDouble(record -> 100 * record.steal()).filter(value -> !Double.isNaN(value))
                .max().orElse(Double.NaN);
        int cpus = noise.stream().mapToInt(StepNoise::cpus).max().orElse(0);
        List<StepNoise> flagged = noise.stream().filter(record -> !record.flags().isEmpty()).toList();
        out.printf(Locale.ROOT, "    noise: %d case%s, PING drift %s, load <= %.1f on %d CPUs, steal <= %.1f %%; %s%n",
                noise.size(), noise.size() == 1 ? "" : "s", drift.getCount() == 0 ? "not measured"
                        : String.format(Locale.ROOT, "%+.0f%% to %+.0f%%", drift.getMin(), drift.getMax()),
                load, cpus, steal, flagged.isEmpty() ? "no flags" : flagged.size() + " flagged:");
        flagged.forEach(record -> out.printf(Locale.ROOT, "    ! %s: %s (PING %.1f -> %.1f µs)%n", record.label(),
                String.join(", ", record.flags()), record.pingStartNanos() / 1e3, record.pingEndNanos() / 1e3));
        out.flush();
    }

    /**
     * A duration as people read it: {@code 45s}, {@code 3m 05s}, {@code 1h 02m}.
     *
     * @param duration the duration
     * @return the text
     */
    static String format(Duration duration) {
        long seconds = Math.max(0, Math.round(duration.toMillis() / 1000.0));
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
