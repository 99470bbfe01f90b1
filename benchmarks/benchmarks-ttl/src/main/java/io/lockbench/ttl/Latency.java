package io.lockbench.ttl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/**
 * A measured latency (a lock cycle, an extend) as a discrete distribution read off its percentiles: each
 * band between two recorded percentiles counts at its upper end, so the distribution is never shorter than
 * the one measured. The band above the highest recorded percentile counts at that percentile's value, so a
 * table should end with the maximum (JMH's sample-time results record {@code 100.0}). Immutable.
 */
public final class Latency {

    private static final Latency NONE = new Latency(new double[] {0}, new double[] {1}, "none");

    private final double[] millis;
    private final double[] weight;
    private final String description;

    private Latency(double[] millis, double[] weight, String description) {
        this.millis = millis;
        this.weight = weight;
        this.description = description;
    }

    /**
     * No latency: for when nothing was measured.
     *
     * @return a latency that is always zero
     */
    public static Latency none() {
        return NONE;
    }

    /**
     * A latency from its percentiles.
     *
     * @param percentMillis percent (such as 50.0, 99.9, 100.0) to milliseconds; at least one entry
     * @param description what was measured, for the output, such as {@code jedis lock cycle (rtt 0)}
     * @return the latency
     * @throws TtlInputException OUT_OF_RANGE for a percent outside [0, 100], NEGATIVE for a negative or NaN
     *     value, MALFORMED for an empty table
     */
    public static Latency fromPercentiles(Map<Double, Double> percentMillis, String description) {
        TreeMap<Double, Double> sorted = new TreeMap<>(percentMillis);
        if (sorted.isEmpty()) {
            throw new TtlInputException(TtlInputException.Problem.MALFORMED, description + ": no percentiles");
        }
        List<Double> values = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double below = 0;
        double highest = 0;
        for (var entry : sorted.entrySet()) {
            double percent = entry.getKey();
            double value = entry.getValue();
            if (percent < 0 || percent > 100) {
                throw new TtlInputException(TtlInputException.Problem.OUT_OF_RANGE, description + ": percentile "
                        + percent + " is outside 0..100");
            }
            if (!(value >= 0)) {
                throw new TtlInputException(TtlInputException.Problem.NEGATIVE, description + ": the value at "
                        + percent + " % is " + value);
            }
            // A percentile table is monotone; a value below an earlier one (rounding) counts as the earlier one.
            highest = Math.max(highest, value);
            double level = percent / 100;
            if (level > below) {
                values.add(highest);
                weights.add(level - below);
                below = level;
            }
        }
        if (below < 1) {
            values.add(highest);
            weights.add(1 - below);
        }
        return new Latency(values.stream().mapToDouble(Double::doubleValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), description);
    }

    /**
     * @param thresholdMillis a duration
     * @return the probability that the latency is longer than the threshold
     */
    public double exceedance(double thresholdMillis) {
        double p = 0;
        for (int i = 0; i < millis.length; i++) {
            if (millis[i] > thresholdMillis) {
                p += weight[i];
            }
        }
        return Math.min(1, p);
    }

    /**
     * @param level in [0, 1]
     * @return the smallest value the latency stays at or below with at least that probability, in ms
     */
    public double quantile(double level) {
        double cumulative = 0;
        for (int i = 0; i < millis.length; i++) {
            cumulative += weight[i];
            if (cumulative >= level - 1e-12) {
                return millis[i];
            }
        }
        return millis[millis.length - 1];
    }

    /**
     * The expectation of {@code f(latency)}: how the advisor adds a latency to the hold time.
     *
     * @param f a function of the latency in milliseconds
     * @return the weighted sum over the bands
     */
    double expect(DoubleUnaryOperator f) {
        double sum = 0;
        for (int i = 0; i < millis.length; i++) {
            sum += weight[i] * f.applyAsDouble(millis[i]);
        }
        return sum;
    }

    /**
     * @return whether this is {@link #none()}
     */
    public boolean isNone() {
        return this == NONE;
    }

    /**
     * @return what was measured, with its median, p99.9 and maximum
     */
    public String describe() {
        if (isNone()) {
            return "none";
        }
        return description + ": p50 " + DurationText.format(quantile(0.5)) + ", p99.9 "
                + DurationText.format(quantile(0.999)) + ", max " + DurationText.format(quantile(1));
    }
}
