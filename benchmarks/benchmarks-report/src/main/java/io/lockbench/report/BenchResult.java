package io.lockbench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One JMH result record: a benchmark method, in one mode, with one set of parameters and thread count.
 *
 * @param benchmark the fully qualified method, such as {@code io.lockbench.jmh.ContendedBenchmark.cycle}
 * @param mode JMH's short mode name: {@code thrpt}, {@code sample}, {@code avgt}, {@code ss}
 * @param threads how many benchmark threads ran
 * @param params the {@code @Param} values, such as {@code impl=jedis}, {@code keys=16}
 * @param primary the primary metric
 * @param secondary the secondary metrics by label: auxiliary counters, and each thread group's own score
 */
public record BenchResult(String benchmark, String mode, int threads, Map<String, String> params,
                          Metric primary, Map<String, Metric> secondary) {

    /** The JMH mode name of throughput results. */
    public static final String THROUGHPUT = "thrpt";
    /** The JMH mode name of sample-time results. */
    public static final String SAMPLE_TIME = "sample";

    /** Copies the maps, keeping their order. */
    public BenchResult {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        secondary = Collections.unmodifiableMap(new LinkedHashMap<>(secondary));
    }

    /**
     * The class and method without the package: {@code ContendedBenchmark.cycle}.
     *
     * @return the short name
     */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /**
     * The benchmark class without its package: {@code ContendedBenchmark}.
     *
     * @return the simple class name
     */
    public String className() {
        String name = shortName();
        return name.substring(0, name.indexOf('.'));
    }

    /**
     * A parameter's value.
     *
     * @param name the parameter, such as {@code impl}
     * @return its value, or empty when the benchmark has no such parameter
     */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /**
     * A secondary metric.
     *
     * @param label its label, such as {@code acquired}
     * @return the metric, or empty when absent
     */
    public Optional<Metric> secondary(String label) {
        return Optional.ofNullable(secondary.get(label));
    }
}
