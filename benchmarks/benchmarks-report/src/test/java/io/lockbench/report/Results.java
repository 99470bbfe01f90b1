package io.lockbench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds JMH results for tests. */
final class Results {

    private Results() {
    }

    static BenchResult throughput(String benchmark, int threads, double opsPerSecond, Map<String, String> params,
                                  Map<String, Double> counters) {
        Map<String, Metric> secondary = new LinkedHashMap<>();
        counters.forEach((name, value) -> secondary.put(name, Metric.of(value, "#")));
        return new BenchResult("io.lockbench.jmh." + benchmark, BenchResult.THROUGHPUT, threads, params,
                Metric.of(opsPerSecond, "ops/s"), secondary);
    }

    static BenchResult sample(String benchmark, int threads, double meanMicros, double p50, double p99, double p999,
                              Map<String, String> params) {
        Map<String, Double> percentiles = new LinkedHashMap<>();
        percentiles.put("50.0", p50);
        percentiles.put("99.0", p99);
        percentiles.put("99.9", p999);
        return new BenchResult("io.lockbench.jmh." + benchmark, BenchResult.SAMPLE_TIME, threads, params,
                new Metric(meanMicros, Double.NaN, "us/op", percentiles), Map.of());
    }
}
