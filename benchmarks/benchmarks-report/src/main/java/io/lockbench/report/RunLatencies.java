package io.lockbench.report;

import io.lockbench.ttl.DurationText;
import io.lockbench.ttl.Latency;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latencies the advisor needs, read from a {@code lockbench bench} run directory's JMH results
 * ({@code raw/*.json}): the uncontended lock cycle (one acquire and one release, nothing held: what a lease
 * spends on the server beyond the hold) and the extend (one renewal). Both are sample-time results with
 * percentiles from p0 to the maximum. Where the run measured several injected round trips, the slowest
 * (by median) is used: the advice should hold on the slowest network measured.
 *
 * @param cycle the lock cycle latency, or {@link Latency#none()}
 * @param extend the extend latency, or {@link Latency#none()}
 * @param notes what was used, or why nothing was, one line each
 */
public record RunLatencies(Latency cycle, Latency extend, List<String> notes) {

    /** The JMH class and method of the cycle. */
    static final String CYCLE = "UncontendedBenchmark.cycle";
    /** The JMH class and method of the extend. */
    static final String EXTEND = "ExtendBenchmark.extend";

    /** Copies the notes. */
    public RunLatencies {
        notes = List.copyOf(notes);
    }

    /**
     * Nothing measured.
     *
     * @param why one line saying why
     * @return latencies of zero with that note
     */
    public static RunLatencies none(String why) {
        return new RunLatencies(Latency.none(), Latency.none(), List.of(why));
    }

    /**
     * The two latencies in a few words, for a chart's subtitle.
     *
     * @return such as {@code lock cycle p50 1.7 ms, max 6.75 ms; extend not measured (0)}
     */
    public String summary() {
        return "lock cycle " + brief(cycle) + "; extend " + brief(extend);
    }

    private static String brief(Latency latency) {
        return latency.isNone() ? "not measured (0)" : "p50 " + DurationText.format(latency.quantile(0.5)) + ", max "
                + DurationText.format(latency.quantile(1));
    }

    /**
     * Reads a run directory.
     *
     * @param runDir such as {@code results/2026-11-22T04-39-44Z-vm-a256972}
     * @param implementation whose latency to use, such as {@code jedis}
     * @return what was found; latencies of zero, with a note saying so, where nothing usable was
     */
    public static RunLatencies read(Path runDir, String implementation) {
        Path raw = runDir.resolve("raw");
        if (!Files.isDirectory(raw)) {
            return none(runDir + " has no raw/ directory of JMH results: acquire, release and extend latency"
                    + " count as 0");
        }
        List<BenchResult> results;
        try {
            results = JmhJson.readDirectory(raw);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return none("cannot read " + raw + " (" + e.getMessage() + "): acquire, release and extend latency"
                    + " count as 0");
        }
        List<String> notes = new ArrayList<>();
        Latency cycle = latency(results, CYCLE, implementation, "lock cycle (acquire + release)", raw, notes);
        Latency extend = latency(results, EXTEND, implementation, "extend", raw, notes);
        return new RunLatencies(cycle, extend, notes);
    }

    private static Latency latency(List<BenchResult> results, String benchmark, String implementation, String what,
                                   Path raw, List<String> notes) {
        List<BenchResult> candidates = results.stream()
                .filter(result -> result.shortName().equals(benchmark))
                .filter(result -> result.mode().equals(BenchResult.SAMPLE_TIME))
                .filter(result -> !result.primary().percentiles().isEmpty())
                .toList();
        Optional<BenchResult> chosen = candidates.stream()
                .filter(result -> result.param("impl").filter(implementation::equals).isPresent())
                .max(Comparator.comparingDouble(result -> result.primary().percentile(50)));
        if (chosen.isEmpty()) {
            List<String> found = candidates.stream().map(result -> result.param("impl").orElse("?")).distinct()
                    .toList();
            notes.add(what + ": no " + benchmark + " sample-time result for '" + implementation + "' in " + raw
                    + (found.isEmpty() ? "" : " (found: " + String.join(", ", found) + ")") + "; counted as 0");
            return Latency.none();
        }
        BenchResult result = chosen.get();
        Metric metric = result.primary();
        Map<Double, Double> percentMillis = new LinkedHashMap<>();
        metric.percentiles().forEach((percent, value) ->
                percentMillis.put(Double.parseDouble(percent), Units.micros(value, metric.unit()) / 1000));
        String label = implementation + " " + what + ", rtt " + result.param("rtt").orElse("0");
        Latency latency = Latency.fromPercentiles(percentMillis, label);
        notes.add(latency.describe() + " (" + benchmark + " in " + raw + ")");
        return latency;
    }
}
