package io.lockbench.cli;

import io.lockbench.jmh.ProgressListener;

import java.io.PrintWriter;
import java.time.Duration;
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
