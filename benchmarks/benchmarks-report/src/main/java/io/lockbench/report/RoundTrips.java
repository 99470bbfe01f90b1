package io.lockbench.report;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The measured round-trip time of each injected-latency setting, taken from the baseline {@code PING}
 * results of one thread: the fastest client's median PING (sample-time results), or its mean time per PING
 * (1 / throughput) when no sample was taken. It is what bounds every lock, since a lock cycle cannot take
 * fewer than two round trips. The median, because the bound is what a typical round trip allows; scheduler
 * hiccups on a busy machine inflate the mean and would make the bound too easy to beat.
 */
public final class RoundTrips {

    /** The benchmark whose single-thread PING results give the round-trip time. */
    public static final String PING = "BaselineBenchmark.ping";

    private final Map<String, Double> nanosByRtt;

    private RoundTrips(Map<String, Double> nanosByRtt) {
        this.nanosByRtt = Collections.unmodifiableMap(new TreeMap<>(nanosByRtt));
    }

    /**
     * Finds the round-trip times among results.
     *
     * @param results any results; the single-thread {@value #PING} ones are used
     * @return the round-trip time per {@code rtt} parameter value; empty when there is no baseline
     */
    public static RoundTrips from(List<BenchResult> results) {
        Map<String, Double> medians = new TreeMap<>();
        Map<String, Double> means = new TreeMap<>();
        for (BenchResult result : results) {
            if (!result.shortName().equals(PING) || result.threads() != 1) {
                continue;
            }
            String rtt = result.param("rtt").orElse("0");
            Metric metric = result.primary();
            if (result.mode().equals(BenchResult.SAMPLE_TIME)) {
                keepLowest(medians, rtt, Units.micros(metric.percentile(50), metric.unit()) * 1e3);
            } else if (result.mode().equals(BenchResult.THROUGHPUT)) {
                keepLowest(means, rtt, 1e9 / Units.opsPerSecond(metric.score(), metric.unit()));
            }
        }
        means.putAll(medians);
        return new RoundTrips(means);
    }

    private static void keepLowest(Map<String, Double> nanos, String rtt, double value) {
        if (value > 0 && !Double.isInfinite(value)) {
            nanos.merge(rtt, value, Math::min);
        }
    }

    /**
     * The round-trip time measured for an injected-latency setting.
     *
     * @param rtt the {@code rtt} parameter value, such as {@code 0} or {@code 500us}
     * @return nanoseconds, or empty when it was not measured
     */
    public OptionalDouble nanos(String rtt) {
        Double value = nanosByRtt.get(rtt);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /**
     * All measured round-trip times.
     *
     * @return nanoseconds by {@code rtt} parameter value
     */
    public Map<String, Double> all() {
        return nanosByRtt;
    }
}
