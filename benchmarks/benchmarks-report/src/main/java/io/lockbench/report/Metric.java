package io.lockbench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One metric of a JMH result, primary or secondary, as the JMH JSON format stores it.
 *
 * @param score the score, in {@code unit}
 * @param scoreError the half-width of the 99.9% confidence interval, NaN when there were too few iterations
 * @param unit JMH's unit string, such as {@code ops/s}, {@code us/op} or {@code #}
 * @param percentiles for sample-time metrics: percentile ({@code "99.9"}) to value in {@code unit}; else empty
 * @param iterations the value of each measured iteration, fork after fork (JMH's {@code rawData}); empty when
 *     the file gave none
 */
public record Metric(double score, double scoreError, String unit, Map<String, Double> percentiles,
                     List<Double> iterations) {

    /** Copies the percentiles and iterations. */
    public Metric {
        percentiles = Map.copyOf(percentiles);
        iterations = List.copyOf(iterations);
    }

    /**
     * A metric without its iterations' values.
     *
     * @param score the score
     * @param scoreError the error, NaN when unknown
     * @param unit the unit
     * @param percentiles the percentiles, empty when none
     */
    public Metric(double score, double scoreError, String unit, Map<String, Double> percentiles) {
        this(score, scoreError, unit, percentiles, List.of());
    }

    /**
     * The mean of the iterations' values, for a figure that holds per iteration (a ratio, a percentile). JMH
     * sums an {@code EVENTS} counter over the iterations in {@link #score()}, which is right for a count
     * (sections, failures) and wrong for such a figure: with 3 iterations a median handoff of 200 µs scores
     * 600.
     *
     * @return the mean of {@link #iterations()}, or {@link #score()} when there are none
     */
    public double iterationMean() {
        return iterations.isEmpty() ? score
                : iterations.stream().mapToDouble(Double::doubleValue).average().orElse(score);
    }

    /**
     * A metric without percentiles or error, such as an event count.
     *
     * @param score the score
     * @param unit the unit
     * @return the metric
     */
    public static Metric of(double score, String unit) {
        return new Metric(score, Double.NaN, unit, Map.of());
    }

    /**
     * A percentile of a sample-time metric, in {@link #unit()}.
     *
     * @param percent such as 50, 99 or 99.9
     * @return the value, or NaN when the metric has no such percentile
     */
    public double percentile(double percent) {
        Double value = percentiles.get(percentileKey(percent));
        return value == null ? Double.NaN : value;
    }

    /**
     * The key JMH uses for a percentile: {@code 50.0}, {@code 99.9}, {@code 99.99}.
     *
     * @param percent the percentile
     * @return its key
     */
    public static String percentileKey(double percent) {
        String key = String.format(Locale.ROOT, "%.4f", percent).replaceAll("0+$", "");
        return key.endsWith(".") ? key + "0" : key;
    }
}
