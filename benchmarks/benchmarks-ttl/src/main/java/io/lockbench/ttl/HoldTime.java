package io.lockbench.ttl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a holder keeps its lock, as a survival function {@code S(t) = P(hold > t)}, built from a few
 * percentiles (given, or read off samples). Immutable.
 *
 * <p>The model, stated because the advice is only as good as the tail it assumes:
 * <ul>
 *   <li>Below the lowest percentile: the exponential through {@code (0, 1)} and that point. Only risks above
 *       that percentile's complement (0.5 for a p50) depend on it.</li>
 *   <li>Between two given percentiles: the larger of the exponential ({@code log S} linear in {@code t}) and
 *       the Pareto ({@code log S} linear in {@code log t}) interpolation through them; the exponential is the
 *       larger there, so an exponential hold time is reproduced exactly.</li>
 *   <li>Beyond the highest percentile: the heavier of an exponential and a Pareto tail fitted through the two
 *       highest percentiles. From the highest point on, the Pareto tail is the heavier one (in log-log
 *       coordinates the exponential bends down), so it is the Pareto tail that decides. It is conservative:
 *       hold times measured in practice (GC, I/O, queues) have tails between exponential and power law, and
 *       of the two the power law keeps more probability far out, which makes the advised ttl longer, never
 *       shorter, than a lighter tail through the same two points would.</li>
 * </ul>
 * Several sources (percentiles given on the command line and a samples file) combine by taking, at each
 * duration, the largest survival any of them gives.
 */
public final class HoldTime {

    /** Percentile levels read off a samples file, each only when at least {@link #MIN_BEYOND} samples exceed it. */
    private static final double[] SAMPLE_LEVELS = {0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999, 0.999999};
    /** How many samples must lie beyond a level for its empirical value to be used. */
    static final int MIN_BEYOND = 5;
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d+(?:\\.\\d+)?)");

    private final List<Curve> curves;

    private HoldTime(List<Curve> curves) {
        this.curves = List.copyOf(curves);
    }

    /**
     * A hold time given as percentiles, such as {@code p50=20ms,p99=200ms,p999=800ms}: {@code p50} is the
     * 50th percentile, {@code p99} the 99th, {@code p999} the 99.9th, {@code p9999} the 99.99th ({@code p99.9}
     * is read the same as {@code p999}); durations as {@link DurationText#parseMillis} reads them.
     *
     * @param spec comma-separated {@code pNN=duration} pairs, at least two
     * @return the hold time
     * @throws TtlInputException MALFORMED for a pair or name it cannot read, OUT_OF_RANGE for a percentile not
     *     strictly between 0 and 100, NEGATIVE for a duration not above zero, UNORDERED when a higher percentile
     *     is not longer than a lower one or one is given twice, UNKNOWN_UNIT for a duration without a known unit
     */
    public static HoldTime parse(String spec) {
        TreeMap<Double, Double> points = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (String pair : (spec == null ? "" : spec).split(",")) {
            String trimmed = pair.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                throw new TtlInputException(TtlInputException.Problem.MALFORMED, "--hold: expected pNN=duration"
                        + " pairs such as p50=20ms,p99=200ms, got '" + trimmed + "'");
            }
            String name = trimmed.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            double level = level(name);
            double millis = DurationText.parseMillis("--hold " + name, trimmed.substring(equals + 1));
            if (points.put(level, millis) != null) {
                throw new TtlInputException(TtlInputException.Problem.UNORDERED, "--hold: " + name
                        + " is given twice");
            }
            names.add(name);
        }
        return new HoldTime(List.of(Curve.of(points, "--hold " + String.join(",", names))));
    }

    /**
     * A hold time read off samples: the empirical (nearest-rank) p50, p90, p99, p99.9 ... each used only while
     * at least {@value #MIN_BEYOND} samples lie beyond it, so that the tail model, not one or two samples,
     * decides what is rarer. Equal values at two levels keep the higher level.
     *
     * @param millis the samples in milliseconds
     * @param source where they came from, for messages and the description
     * @return the hold time
     * @throws TtlInputException EMPTY_SAMPLES when there are none, or too few (under
     *     {@code 2 * MIN_BEYOND / (1 - 0.9)} = 50) for two percentiles; NEGATIVE for a sample below zero, or
     *     percentiles of zero
     */
    public static HoldTime fromSamples(List<Double> millis, String source) {
        if (millis.isEmpty()) {
            throw new TtlInputException(TtlInputException.Problem.EMPTY_SAMPLES, source + ": no samples (one duration"
                    + " per line, such as 20ms or 0.5s; a bare number is milliseconds)");
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted[0] < 0) {
            throw new TtlInputException(TtlInputException.Problem.NEGATIVE, source + ": a sample is negative ("
                    + sorted[0] + " ms)");
        }
        TreeMap<Double, Double> points = new TreeMap<>();
        for (double level : SAMPLE_LEVELS) {
            if (sorted.length * (1 - level) < MIN_BEYOND - 1e-9) {
                break;
            }
            double value = sorted[(int) Math.ceil(level * sorted.length) - 1];
            if (!points.isEmpty() && points.lastEntry().getValue() >= value) {
                points.pollLastEntry();
            }
            points.put(level, value);
        }
        if (points.size() < 2) {
            throw new TtlInputException(TtlInputException.Problem.EMPTY_SAMPLES, source + ": " + sorted.length
                    + " samples give fewer than two distinct percentiles; the tail model needs two (at least 50"
                    + " samples, with p50 below p90)");
        }
        return new HoldTime(List.of(Curve.of(points, source + " (" + sorted.length + " samples)")));
    }

    /**
     * The hold time that is at least as long as both, at every level: {@code S(t) = max(S1(t), S2(t))}.
     *
     * @param other the other source
     * @return the combination
     */
    public HoldTime orLonger(HoldTime other) {
        List<Curve> all = new ArrayList<>(curves);
        all.addAll(other.curves);
        return new HoldTime(all);
    }

    /**
     * The probability that a hold lasts longer than {@code millis}.
     *
     * @param millis a duration in milliseconds; at or below zero gives 1
     * @return {@code S(millis)}, in [0, 1]
     */
    public double survival(double millis) {
        double survival = 0;
        for (Curve curve : curves) {
            survival = Math.max(survival, curve.survival(millis));
        }
        return survival;
    }

    /**
     * The duration that a hold exceeds with probability {@code 1 - level}.
     *
     * @param level in (0, 1), such as 0.999
     * @return the duration in milliseconds
     */
    public double quantile(double level) {
        double target = 1 - level;
        double low = 0;
        double high = 1;
        while (survival(high) > target && high < 1e15) {
            low = high;
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > 1e-9 * high; i++) {
            double middle = (low + high) / 2;
            if (survival(middle) > target) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return high;
    }

    /**
     * The mean of {@code min(hold, limitMillis)}: the integral of the survival function up to the limit.
     *
     * @param limitMillis positive
     * @return the truncated mean in milliseconds
     */
    public double meanUpTo(double limitMillis) {
        // Trapezoids on a logarithmic grid: the survival function spans decades of duration.
        double start = Math.min(limitMillis, lowestGiven()) / 1e4;
        double integral = start;
        int steps = 4000;
        double ratio = Math.pow(limitMillis / start, 1.0 / steps);
        double t = start;
        double s = survival(t);
        for (int i = 0; i < steps; i++) {
            double next = t * ratio;
            double nextS = survival(next);
            integral += (next - t) * (s + nextS) / 2;
            t = next;
            s = nextS;
        }
        return integral;
    }

    /**
     * What each source gave and which tail it was extended with, one line per source.
     *
     * @return the lines
     */
    public List<String> describe() {
        return curves.stream().map(Curve::describe).toList();
    }

    /**
     * The given percentiles of every source, for chart subtitles: {@code p50=20 ms, p99=200 ms}.
     *
     * @return the text
     */
    public String givenPercentiles() {
        return String.join("; ", curves.stream().map(Curve::given).toList());
    }

    private double lowestGiven() {
        return curves.stream().mapToDouble(curve -> curve.millis[0]).min().orElse(1);
    }

    /**
     * Reads a percentile name: {@code p50} 50 %, {@code p999} 99.9 %, {@code p99.9} 99.9 %.
     *
     * @return the level as a fraction
     */
    static double level(String name) {
        Matcher matcher = PERCENTILE.matcher(name);
        if (!matcher.matches()) {
            throw new TtlInputException(TtlInputException.Problem.MALFORMED, "--hold: '" + name + "' is not a"
                    + " percentile name; write p50, p90, p99, p999 (99.9th), p9999 (99.99th) or p99.9");
        }
        String digits = matcher.group(1);
        double percent;
        if (digits.contains(".") || digits.length() <= 2) {
            percent = Double.parseDouble(digits);
        } else {
            percent = Double.parseDouble(digits.substring(0, 2) + "." + digits.substring(2));
        }
        if (digits.equals("100") || percent <= 0 || percent >= 100) {
            throw new TtlInputException(TtlInputException.Problem.OUT_OF_RANGE, "--hold: " + name + " is not a"
                    + " percentile strictly between p0 and p100 (a maximum says nothing about how rare longer"
                    + " holds are)");
        }
        return percent / 100;
    }

    static String name(double level) {
        String percent = String.format(Locale.ROOT, "%.6f", level * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return "p" + percent;
    }

    /** One source's percentiles and the interpolation and tail through them. */
    private static final class Curve {
        private final double[] millis;
        private final double[] logSurvival;
        private final String source;

        private Curve(double[] millis, double[] logSurvival, String source) {
            this.millis = millis;
            this.logSurvival = logSurvival;
            this.source = source;
        }

        static Curve of(TreeMap<Double, Double> points, String source) {
            if (points.size() < 2) {
                throw new TtlInputException(TtlInputException.Problem.MALFORMED, source + ": at least two"
                        + " percentiles are needed to fit the tail, such as p50=20ms,p99=200ms; got "
                        + points.size());
            }
            double[] millis = new double[points.size()];
            double[] logSurvival = new double[points.size()];
            int i = 0;
            double previousLevel = 0;
            for (var point : points.entrySet()) {
                double level = point.getKey();
                double value = point.getValue();
                if (value <= 0) {
                    throw new TtlInputException(TtlInputException.Problem.NEGATIVE, source + ": " + name(level)
                            + " must be a positive duration, got " + DurationText.format(value));
                }
                if (i > 0 && value <= millis[i - 1]) {
                    throw new TtlInputException(TtlInputException.Problem.UNORDERED, source + ": " + name(level)
                            + " (" + DurationText.format(value) + ") must be longer than " + name(previousLevel)
                            + " (" + DurationText.format(millis[i - 1]) + ")");
                }
                millis[i] = value;
                logSurvival[i] = Math.log1p(-level);
                previousLevel = level;
                i++;
            }
            return new Curve(millis, logSurvival, source);
        }

        double survival(double t) {
            if (t <= 0) {
                return 1;
            }
            int last = millis.length - 1;
            if (t <= millis[0]) {
                return Math.exp(logSurvival[0] * t / millis[0]);
            }
            if (t >= millis[last]) {
                return Math.max(Math.exp(logSurvival[last] - exponentialRate(last) * (t - millis[last])),
                        Math.exp(logSurvival[last] - paretoIndex(last) * Math.log(t / millis[last])));
            }
            int i = Arrays.binarySearch(millis, t);
            int lower = i >= 0 ? i : -i - 2;
            int upper = lower + 1;
            double logDrop = logSurvival[upper] - logSurvival[lower];
            double exponential = logSurvival[lower] + logDrop * (t - millis[lower]) / (millis[upper] - millis[lower]);
            double pareto = logSurvival[lower] + logDrop * Math.log(t / millis[lower])
                    / Math.log(millis[upper] / millis[lower]);
            return Math.exp(Math.max(exponential, pareto));
        }

        /** The exponential tail's rate, per millisecond, through points {@code upper - 1} and {@code upper}. */
        private double exponentialRate(int upper) {
            return (logSurvival[upper - 1] - logSurvival[upper]) / (millis[upper] - millis[upper - 1]);
        }

        /** The Pareto tail's index (alpha) through points {@code upper - 1} and {@code upper}. */
        private double paretoIndex(int upper) {
            return (logSurvival[upper - 1] - logSurvival[upper]) / Math.log(millis[upper] / millis[upper - 1]);
        }

        String given() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < millis.length; i++) {
                parts.add(name(-Math.expm1(logSurvival[i])) + "=" + DurationText.format(millis[i]));
            }
            return String.join(", ", parts);
        }

        String describe() {
            int last = millis.length - 1;
            String top = name(-Math.expm1(logSurvival[last]));
            String below = name(-Math.expm1(logSurvival[last - 1]));
            return source + ": " + given() + "; beyond " + top + " a Pareto tail (alpha "
                    + String.format(Locale.ROOT, "%.2f", paretoIndex(last)) + ") through " + below + " and " + top
                    + ", the heavier of it and the exponential through the same points";
        }
    }
}
