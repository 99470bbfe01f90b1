package io.lockbench.report;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The measured round-trip time of each injected-latency setting and client library, taken from the baseline
 * {@code PING} results of one thread: each client's median PING (sample-time results), or its mean time per PING
 * (1 / throughput) when no sample was taken. It is what bounds every lock, since a lock cycle cannot take fewer
 * than two round trips, and each implementation is held to the round trip of its own client library (a Lettuce
 * cycle against Lettuce's PING, a Jedis cycle against Jedis's): {@link #clientOf}. The median, because the bound
 * is what a typical round trip allows; scheduler hiccups on a busy machine inflate the mean and would make the
 * bound too easy to beat.
 */
public final class RoundTrips {

    /** The benchmark whose single-thread PING results give the round-trip time. */
    public static final String PING = "BaselineBenchmark.ping";
    /** The Jedis client library, as the baseline's {@code client} parameter names it. */
    public static final String JEDIS = "jedis";
    /** The Lettuce client library, as the baseline's {@code client} parameter names it. */
    public static final String LETTUCE = "lettuce";

    /**
     * The client library under each registered implementation whose own PING the baseline does not time.
     * fifo runs on Jedis; Redlock's nodes are Lettuce connections; Redisson runs on Netty as Lettuce does, and its own
     * PING is not measured, so Lettuce's stands in for it. Spring's registry runs on Spring Data Redis over Lettuce.
     */
    private static final Map<String, String> CLIENTS = Map.of(JEDIS, JEDIS, LETTUCE, LETTUCE, "redlock", LETTUCE,
            "redisson", LETTUCE, "spring-spin", LETTUCE, "spring-pubsub", LETTUCE, "fifo", JEDIS);
    /** Implementations whose client library's PING stands in for one the baseline does not time. */
    public static final List<String> STAND_INS = List.of("redisson");

    /** rtt parameter -> client -> nanoseconds. */
    private final Map<String, Map<String, Double>> nanos;

    private RoundTrips(Map<String, Map<String, Double>> nanos) {
        Map<String, Map<String, Double>> copy = new TreeMap<>();
        nanos.forEach((rtt, byClient) -> copy.put(rtt, Collections.unmodifiableMap(new TreeMap<>(byClient))));
        this.nanos = Collections.unmodifiableMap(copy);
    }

    /**
     * Finds the round-trip times among results.
     *
     * @param results any results; the single-thread {@value #PING} ones are used
     * @return the round-trip times per {@code rtt} parameter value and client; empty when there is no baseline
     */
    public static RoundTrips from(List<BenchResult> results) {
        Map<String, Map<String, Double>> medians = new TreeMap<>();
        Map<String, Map<String, Double>> means = new TreeMap<>();
        for (BenchResult result : results) {
            if (!result.shortName().equals(PING) || result.threads() != 1) {
                continue;
            }
            String rtt = result.param("rtt").orElse("0");
            String client = result.param("client").orElse("");
            Metric metric = result.primary();
            if (result.mode().equals(BenchResult.SAMPLE_TIME)) {
                keepLowest(medians, rtt, client, Units.micros(metric.percentile(50), metric.unit()) * 1e3);
            } else if (result.mode().equals(BenchResult.THROUGHPUT)) {
                keepLowest(means, rtt, client, 1e9 / Units.opsPerSecond(metric.score(), metric.unit()));
            }
        }
        medians.forEach((rtt, byClient) -> means.computeIfAbsent(rtt, key -> new TreeMap<>()).putAll(byClient));
        return new RoundTrips(means);
    }

    private static void keepLowest(Map<String, Map<String, Double>> nanos, String rtt, String client, double value) {
        if (value > 0 && !Double.isInfinite(value)) {
            nanos.computeIfAbsent(rtt, key -> new TreeMap<>()).merge(client, value, Math::min);
        }
    }

    /**
     * The client library whose PING bounds an implementation.
     *
     * @param implementation a registered implementation name
     * @return {@value #JEDIS} or {@value #LETTUCE}; empty for an implementation this report does not know (a
     *     user's own), which is held to the fastest client's round trip
     */
    public static Optional<String> clientOf(String implementation) {
        if (SummaryRow.unsafe(implementation)) {
            // The naive anti-patterns are written on Jedis.
            return Optional.of(JEDIS);
        }
        return Optional.ofNullable(CLIENTS.get(implementation));
    }

    /**
     * The round-trip time of the fastest client measured for an injected-latency setting.
     *
     * @param rtt the {@code rtt} parameter value, such as {@code 0} or {@code 500us}
     * @return nanoseconds, or empty when it was not measured
     */
    public OptionalDouble nanos(String rtt) {
        return nanos.getOrDefault(rtt, Map.of()).values().stream().mapToDouble(Double::doubleValue).min();
    }

    /**
     * The round-trip time of one client library.
     *
     * @param rtt the {@code rtt} parameter value
     * @param client such as {@value #JEDIS}
     * @return nanoseconds, or empty when that client's PING was not measured at that setting
     */
    public OptionalDouble nanos(String rtt, String client) {
        Double value = nanos.getOrDefault(rtt, Map.of()).get(client);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /**
     * The round-trip time that bounds a result: a baseline result's own client's, else the implementation's
     * client's ({@link #clientOf}), else (an unknown implementation, or its client not measured) the fastest
     * client's.
     *
     * @param result a result with an {@code rtt} parameter and a {@code client} or {@code impl} parameter
     * @return nanoseconds, or empty when no PING was measured at its setting
     */
    public OptionalDouble nanos(BenchResult result) {
        String rtt = result.param("rtt").orElse("0");
        Optional<String> client = result.param("client").or(() -> result.param("impl").flatMap(RoundTrips::clientOf));
        if (client.isPresent()) {
            OptionalDouble own = nanos(rtt, client.get());
            if (own.isPresent()) {
                return own;
            }
        }
        return nanos(rtt);
    }

    /**
     * The fastest client's round-trip time of every setting measured.
     *
     * @return nanoseconds by {@code rtt} parameter value
     */
    public Map<String, Double> all() {
        Map<String, Double> fastest = new TreeMap<>();
        nanos.keySet().forEach(rtt -> nanos(rtt).ifPresent(value -> fastest.put(rtt, value)));
        return fastest;
    }

    /**
     * Every client's round-trip time.
     *
     * @return nanoseconds by {@code rtt} parameter value, then by client
     */
    public Map<String, Map<String, Double>> byClient() {
        return nanos;
    }
}
