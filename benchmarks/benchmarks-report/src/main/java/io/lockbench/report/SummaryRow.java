package io.lockbench.report;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One line of the summary: one implementation in one scenario, at one injected latency and thread count.
 *
 * @param scenario the benchmark and its parameters, such as {@code contended keys=1 hold=100us}
 * @param rtt the injected round-trip latency parameter, such as {@code 0} or {@code 500us}
 * @param threads benchmark threads
 * @param implementation the lock implementation, or {@code client:jedis} for baseline rows
 * @param opsPerSecond measured throughput; NaN when not measured
 * @param opsError JMH's error of {@code opsPerSecond}: the half-width of its 99.9 % confidence interval; NaN when
 *     JMH could not compute one (a single iteration)
 * @param opsDerived true when {@code opsPerSecond} was derived from the sampled mean time per operation
 *     (threads / mean) because no throughput run was made
 * @param bound the round-trip bound in operations per second; NaN when the scenario has none
 * @param latencyMicros percentile (such as 50.0, 99.9, 100.0) to latency in microseconds: every percentile of a
 *     sample-time run, the handoff percentiles of a handoff run; empty when no latency was measured
 * @param commandsPerSection Redis commands the server counted per critical section; NaN when not counted
 * @param acquired locks acquired during the measurement; NaN when not counted
 * @param failed acquire attempts that failed (timed out or errored); NaN when not counted
 * @param notes other counters worth a glance: handoffs, still queued, offered rate
 * @param noise what the forks of this case measured around it (one record per fork and mode); empty when the
 *     run recorded none
 */
public record SummaryRow(String scenario, String rtt, int threads, String implementation, double opsPerSecond,
                         double opsError, boolean opsDerived, double bound, NavigableMap<Double, Double> latencyMicros,
                         double commandsPerSection, double acquired, double failed, String notes,
                         List<StepNoise> noise) {

    /** The name prefix of the deliberately broken implementations (module lock-naive). */
    public static final String NAIVE_PREFIX = "naive-";

    /** Copies the percentiles, sorted, and the noise records. */
    public SummaryRow {
        latencyMicros = Collections.unmodifiableNavigableMap(new TreeMap<>(latencyMicros));
        noise = List.copyOf(noise);
    }

    /**
     * A row without noise records.
     *
     * @see #SummaryRow(String, String, int, String, double, double, boolean, double, NavigableMap, double, double,
     *     double, String, List)
     */
    public SummaryRow(String scenario, String rtt, int threads, String implementation, double opsPerSecond,
                      double opsError, boolean opsDerived, double bound, NavigableMap<Double, Double> latencyMicros,
                      double commandsPerSection, double acquired, double failed, String notes) {
        this(scenario, rtt, threads, implementation, opsPerSecond, opsError, opsDerived, bound, latencyMicros,
                commandsPerSection, acquired, failed, notes, List.of());
    }

    /**
     * What makes this row's figures doubtful: every flag of its noise records ({@link StepNoise#flags()}), each
     * kind once, the worst of a kind first.
     *
     * @return such as {@code [rtt +38%, load 3.1/2]}; empty for a quiet case or one without noise records
     */
    public List<String> flags() {
        Map<String, String> byKind = new LinkedHashMap<>();
        worstFirst().forEach(record -> record.flags().forEach(flag -> byKind.putIfAbsent(
                flag.substring(0, flag.indexOf(' ')), flag)));
        return List.copyOf(byKind.values());
    }

    /**
     * The noise record of this row whose round trip drifted most, for the PING columns of the CSV.
     *
     * @return the record, or empty without noise records
     */
    public Optional<StepNoise> worstNoise() {
        return worstFirst().findFirst();
    }

    private java.util.stream.Stream<StepNoise> worstFirst() {
        return noise.stream().sorted(Comparator.comparingDouble((StepNoise record) -> {
            double drift = Math.abs(record.drift());
            return Double.isNaN(drift) ? -1 : drift;
        }).reversed().thenComparing(Comparator.comparingDouble(StepNoise::load).reversed()));
    }

    /**
     * Whether the implementation is a known-unsafe anti-pattern, which tables set apart and never rank.
     *
     * @param implementation a registered implementation name
     * @return true for the {@value #NAIVE_PREFIX} implementations
     */
    public static boolean unsafe(String implementation) {
        return implementation.startsWith(NAIVE_PREFIX);
    }

    /**
     * Whether this row's implementation is a known-unsafe anti-pattern.
     *
     * @return true for the {@value #NAIVE_PREFIX} implementations
     */
    public boolean unsafe() {
        return unsafe(implementation);
    }

    /**
     * Throughput as a fraction of the bound.
     *
     * @return {@code opsPerSecond / bound}, NaN when either is unknown
     */
    public double fractionOfBound() {
        return opsPerSecond / bound;
    }

    /**
     * One latency percentile.
     *
     * @param percent such as 50, 99.9 or 100 (the maximum)
     * @return microseconds, NaN when not measured
     */
    public double latency(double percent) {
        Double value = latencyMicros.get(percent);
        return value == null ? Double.NaN : value;
    }

    /** @return the median latency in microseconds, NaN when not measured */
    public double p50Micros() {
        return latency(50);
    }

    /** @return the 99th percentile latency in microseconds, NaN when not measured */
    public double p99Micros() {
        return latency(99);
    }

    /** @return the 99.9th percentile latency in microseconds, NaN when not measured */
    public double p999Micros() {
        return latency(99.9);
    }

    /** @return the largest latency sampled in microseconds, NaN when not measured (handoff runs keep no maximum) */
    public double maxMicros() {
        return latency(100);
    }

    /**
     * The scenario and its injected latency, which together name one table of the summary.
     *
     * @return such as {@code contended keys=1 hold=100us, rtt 0}
     */
    public String table() {
        return scenario + ", rtt " + rtt;
    }

    /**
     * Copies a map of percentile labels ({@code "99.9"}) to values into one keyed by number.
     *
     * @param labelled JMH's percentile map
     * @param toMicros converts a value to microseconds
     * @return the sorted map
     */
    static NavigableMap<Double, Double> percentiles(Map<String, Double> labelled,
                                                    java.util.function.DoubleUnaryOperator toMicros) {
        NavigableMap<Double, Double> sorted = new TreeMap<>();
        labelled.forEach((label, value) -> sorted.put(Double.parseDouble(label), toMicros.applyAsDouble(value)));
        return sorted;
    }
}
