package io.lockbench.ttl;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a user writes them for the advisor: a number, decimals allowed, and a unit ({@code ns},
 * {@code us} or {@code µs}, {@code ms}, {@code s}, {@code min}, {@code h}), such as {@code 20ms},
 * {@code 1.5s}, {@code 800us}. On the command line the unit is required (only {@code 0} may go without);
 * in a samples file a bare number is milliseconds, the unit metrics systems usually export. All values are
 * returned in milliseconds, as doubles: the advisor's maths works on a continuous scale.
 *
 * <p>Not {@code io.lockbench.report.DurationLabel}: that one reads JMH parameter labels (whole numbers, a bare
 * number meaning microseconds), which a hold time such as {@code 2.5ms} or an exported column would not fit.
 */
public final class DurationText {

    private static final Pattern DURATION =
            Pattern.compile("([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[+-]?\\d+)?)\\s*([a-zµ]*)");
    private static final Map<String, Double> MILLIS_PER = Map.of(
            "ns", 1e-6, "us", 1e-3, "µs", 1e-3, "ms", 1.0, "s", 1e3, "min", 60e3, "h", 3600e3);

    private DurationText() {
    }

    /**
     * Reads a duration with its unit.
     *
     * @param what the input's name for messages, such as {@code --pause}
     * @param text such as {@code 500ms} or {@code 1.5s}; {@code 0} needs no unit
     * @return the duration in milliseconds, zero or positive
     * @throws TtlInputException MALFORMED for text that is not a number, UNKNOWN_UNIT for a missing or unknown
     *     unit, NEGATIVE for a negative duration
     */
    public static double parseMillis(String what, String text) {
        return parse(what, text, null);
    }

    /**
     * Reads one line of a samples file: like {@link #parseMillis} but a bare number is milliseconds.
     *
     * @param what where the line is, for messages, such as {@code holds.txt:12}
     * @param text the line, trimmed
     * @return the duration in milliseconds
     * @throws TtlInputException as {@link #parseMillis} does
     */
    public static double parseSampleMillis(String what, String text) {
        return parse(what, text, "ms");
    }

    private static double parse(String what, String text, String bareUnit) {
        String trimmed = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw new TtlInputException(TtlInputException.Problem.MALFORMED, what + ": expected a duration such as"
                    + " 20ms, 1.5s or 800us, got '" + text + "'");
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2).isEmpty() ? bareUnit : matcher.group(2);
        if (unit == null && amount != 0) {
            throw new TtlInputException(TtlInputException.Problem.UNKNOWN_UNIT, what + ": '" + text
                    + "' has no unit; write it with ns, us, ms, s, min or h (such as 20ms)");
        }
        Double millisPer = unit == null ? Double.valueOf(1.0) : MILLIS_PER.get(unit);
        if (millisPer == null) {
            throw new TtlInputException(TtlInputException.Problem.UNKNOWN_UNIT, what + ": unknown unit '"
                    + matcher.group(2) + "' in '" + text + "'; known: ns, us, ms, s, min, h");
        }
        if (amount < 0) {
            throw new TtlInputException(TtlInputException.Problem.NEGATIVE, what + ": must not be negative, got '"
                    + text + "'");
        }
        double millis = amount * millisPer;
        if (!Double.isFinite(millis)) {
            throw new TtlInputException(TtlInputException.Problem.MALFORMED, what + ": too large: '" + text + "'");
        }
        return millis;
    }

    /**
     * Writes a duration for people: three significant digits at most, in the largest unit that keeps the number
     * at 1 or above: {@code 0}, {@code 850 µs}, {@code 20 ms}, {@code 1.25 s}, {@code 2.5 min}, {@code 2 h}.
     *
     * @param millis zero or positive
     * @return the text
     */
    public static String format(double millis) {
        if (millis == 0) {
            return "0";
        }
        if (Double.isInfinite(millis)) {
            return "unbounded";
        }
        if (millis >= 3600e3) {
            return number(millis / 3600e3) + " h";
        }
        if (millis >= 60e3) {
            return number(millis / 60e3) + " min";
        }
        if (millis >= 1e3) {
            return number(millis / 1e3) + " s";
        }
        if (millis >= 1) {
            return number(millis) + " ms";
        }
        return number(millis * 1e3) + " µs";
    }

    private static String number(double value) {
        String text;
        if (value >= 100) {
            text = String.format(Locale.ROOT, "%.0f", value);
        } else if (value >= 10) {
            text = String.format(Locale.ROOT, "%.1f", value);
        } else {
            text = String.format(Locale.ROOT, "%.2f", value);
        }
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
