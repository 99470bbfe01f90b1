package io.lockbench.report;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as benchmark parameters spell them: {@code 0}, {@code 100us}, {@code 1ms}, {@code 2s}. JMH
 * parameters are strings, and these read well in result tables.
 */
public final class DurationLabel {

    private static final Pattern LABEL = Pattern.compile("(\\d+)\\s*(ns|us|µs|ms|s)?");

    private DurationLabel() {
    }

    /**
     * Reads a label.
     *
     * @param label such as {@code 0}, {@code 500us}, {@code 1ms}; a bare number other than 0 is microseconds
     * @return the duration
     * @throws IllegalArgumentException when the label is not a whole number with one of the units
     */
    public static Duration parse(String label) {
        Matcher matcher = LABEL.matcher(label == null ? "" : label.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("duration: expected a whole number with ns, us, ms or s (such as"
                    + " 500us or 1ms), got '" + label + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "us" : matcher.group(2);
        return switch (unit) {
            case "ns" -> Duration.ofNanos(amount);
            case "us", "µs" -> Duration.ofNanos(amount * 1_000);
            case "ms" -> Duration.ofMillis(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /**
     * Writes the shortest exact label: {@code 0}, {@code 250us}, {@code 1ms}, {@code 2s}, {@code 1500ns}.
     *
     * @param duration zero or positive
     * @return its label
     * @throws IllegalArgumentException when negative
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: must not be negative, got " + duration);
        }
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}
