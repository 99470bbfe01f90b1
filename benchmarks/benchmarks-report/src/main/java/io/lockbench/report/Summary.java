package io.lockbench.report;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Turns JMH results into the summary table: implementation x scenario, with throughput, its fraction of the
 * round-trip {@link Bound}, and latency percentiles. The throughput and sample-time results of the same
 * benchmark, parameters and thread count make one row.
 *
 * <p>Auxiliary counters read by name: {@code acquired}, {@code failed} and {@code commandsPerSection}
 * (contended and uncontended), {@code handoffs} and {@code handoffP50Us}/{@code handoffP99Us}/
 * {@code handoffP999Us} (handoff, whose latency columns show the handoff time), {@code offeredRate},
 * {@code achievedRate} and {@code abandoned} (open loop).
 */
public final class Summary {

    private static final List<String> BENCHMARK_ORDER = List.of("BaselineBenchmark", "UncontendedBenchmark",
            "ContendedBenchmark", "HandoffBenchmark", "ExtendBenchmark", "OpenLoop");
    private static final List<String> PARAMETER_ORDER = List.of("keys", "hold", "rate");
    private static final String HANDOFF = "HandoffBenchmark";
    private static final String OPEN_LOOP = "OpenLoop";
    private static final Comparator<BenchResult> ORDER = Comparator.comparingInt(Summary::benchmarkRank)
            .thenComparing(Summary::scenario, Summary::compareNatural)
            .thenComparing(result -> DurationLabel.parse(result.param("rtt").orElse("0")))
            .thenComparingInt(BenchResult::threads)
            .thenComparing(Summary::implementation);

    private Summary() {
    }

    /**
     * Builds the rows, ordered by benchmark, scenario, injected latency, threads and implementation.
     *
     * @param results every result of a run, the baseline included (it gives the round-trip time)
     * @return the rows
     */
    public static List<SummaryRow> rows(List<BenchResult> results) {
        RoundTrips roundTrips = RoundTrips.from(results);
        Map<String, List<BenchResult>> byCase = new LinkedHashMap<>();
        for (BenchResult result : results) {
            byCase.computeIfAbsent(caseKey(result), key -> new ArrayList<>()).add(result);
        }
        List<List<BenchResult>> cases = new ArrayList<>(byCase.values());
        cases.sort(Comparator.comparing((List<BenchResult> sameCase) -> sameCase.get(0), ORDER));
        List<SummaryRow> rows = new ArrayList<>();
        for (List<BenchResult> sameCase : cases) {
            rows.add(row(sameCase, roundTrips));
        }
        return rows;
    }

    /**
     * Renders rows as a Markdown table, followed by a line saying what the bound is and the round-trip times
     * it was computed from.
     *
     * @param rows the rows
     * @param roundTrips the round-trip times behind the bounds
     * @return the table, ending with a newline
     */
    public static String render(List<SummaryRow> rows, RoundTrips roundTrips) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"scenario", "rtt", "threads", "implementation", "ops/s", "bound ops/s", "of bound",
            "p50 µs", "p99 µs", "p99.9 µs", "notes"});
        for (SummaryRow row : rows) {
            cells.add(new String[] {row.scenario(), row.rtt(), Integer.toString(row.threads()), row.implementation(),
                (row.opsDerived() ? "~" : "") + count(row.opsPerSecond()), count(row.bound()),
                percent(row.fractionOfBound()), micros(row.p50Micros()), micros(row.p99Micros()),
                micros(row.p999Micros()), row.notes()});
        }
        int[] widths = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            appendLine(table, cells.get(n), widths);
            if (n == 0) {
                String[] rule = new String[widths.length];
                for (int i = 0; i < widths.length; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                appendLine(table, rule, widths);
            }
        }
        table.append('\n').append("rtt = injected round-trip latency; bound = parallel keys / (round trips per op"
                + " x RTT + hold), RTT = median single-thread PING of the fastest client:");
        if (roundTrips.all().isEmpty()) {
            table.append(" not measured (no baseline results)");
        }
        roundTrips.all().forEach((rtt, nanos) -> table.append(String.format(Locale.ROOT, " rtt=%s -> %.1f µs;",
                rtt, nanos / 1e3)));
        table.append(" ~ = derived from sampled time per op (threads / mean).\n");
        return table.toString();
    }

    private static void appendLine(StringBuilder table, String[] line, int[] widths) {
        table.append('|');
        for (int i = 0; i < line.length; i++) {
            table.append(' ').append(line[i]).append(" ".repeat(widths[i] - line[i].length())).append(" |");
        }
        table.append('\n');
    }

    private static SummaryRow row(List<BenchResult> sameCase, RoundTrips roundTrips) {
        Optional<BenchResult> throughput = mode(sameCase, BenchResult.THROUGHPUT);
        Optional<BenchResult> sample = mode(sameCase, BenchResult.SAMPLE_TIME);
        BenchResult any = sameCase.get(0);
        boolean handoff = any.className().equals(HANDOFF);

        double ops = Double.NaN;
        boolean derived = false;
        if (throughput.isPresent()) {
            Metric metric = handoff ? throughput.get().secondary("waiter").orElse(throughput.get().primary())
                    : throughput.get().primary();
            ops = Units.opsPerSecond(metric.score(), metric.unit());
        } else if (sample.isPresent() && !handoff) {
            Metric metric = sample.get().primary();
            ops = any.className().equals(OPEN_LOOP) ? sample.get().secondary("achievedRate").map(Metric::score)
                    .orElse(Double.NaN) : any.threads() * 1e6 / Units.micros(metric.score(), metric.unit());
            derived = !any.className().equals(OPEN_LOOP);
        }

        double[] latency = {Double.NaN, Double.NaN, Double.NaN};
        if (handoff) {
            BenchResult counters = throughput.or(() -> sample).orElseThrow();
            latency[0] = counter(counters, "handoffP50Us");
            latency[1] = counter(counters, "handoffP99Us");
            latency[2] = counter(counters, "handoffP999Us");
        } else if (sample.isPresent()) {
            Metric metric = sample.get().primary();
            double[] percents = {50, 99, 99.9};
            for (int i = 0; i < percents.length; i++) {
                latency[i] = Units.micros(metric.percentile(percents[i]), metric.unit());
            }
        }
        OptionalDouble bound = Bound.of(any, roundTrips);
        return new SummaryRow(scenario(any), any.param("rtt").orElse("0"), any.threads(), implementation(any), ops,
                derived, bound.orElse(Double.NaN), latency[0], latency[1], latency[2],
                notes(throughput.or(() -> sample).orElseThrow()));
    }

    private static String notes(BenchResult result) {
        List<String> notes = new ArrayList<>();
        double acquired = counter(result, "acquired");
        double failed = counter(result, "failed");
        if (failed > 0) {
            double percent = 100 * failed / (acquired + failed);
            notes.add(String.format(Locale.ROOT, percent < 0.1 ? "%.0f failed (%.2f%%)" : "%.0f failed (%.1f%%)",
                    failed, percent));
        }
        double commands = counter(result, "commandsPerSection");
        if (commands > 0) {
            notes.add(String.format(Locale.ROOT, "%.1f cmd/section", commands));
        }
        double handoffs = counter(result, "handoffs");
        if (handoffs > 0) {
            notes.add(String.format(Locale.ROOT, "latency = handoff, %.0f handoffs", handoffs));
        }
        double abandoned = counter(result, "abandoned");
        if (abandoned > 0) {
            notes.add(String.format(Locale.ROOT, "%.0f still queued at the end", abandoned));
        }
        double offered = counter(result, "offeredRate");
        if (offered > 0) {
            notes.add(String.format(Locale.ROOT, "offered %s/s", count(offered)));
        }
        return String.join(", ", notes);
    }

    private static double counter(BenchResult result, String label) {
        return result.secondary(label).map(Metric::score).orElse(Double.NaN);
    }

    private static Optional<BenchResult> mode(List<BenchResult> results, String mode) {
        return results.stream().filter(result -> result.mode().equals(mode)).findFirst();
    }

    private static String caseKey(BenchResult result) {
        return result.benchmark() + " " + new TreeMap<>(result.params()) + " t" + result.threads();
    }

    private static String implementation(BenchResult result) {
        return result.param("impl").or(() -> result.param("client").map(client -> "client:" + client)).orElse("-");
    }

    /** The benchmark's short name and its parameters other than the implementation and injected latency. */
    static String scenario(BenchResult result) {
        String type = result.className();
        String name = type.endsWith("Benchmark") ? type.substring(0, type.length() - "Benchmark".length()) : type;
        StringBuilder scenario = new StringBuilder(name.equals(OPEN_LOOP) ? "open-loop" : name.toLowerCase(Locale.ROOT));
        if (type.equals("BaselineBenchmark")) {
            String method = result.shortName().substring(type.length() + 1);
            scenario.append(' ').append(method.equals("setDel") ? "set+del" : method);
        }
        result.params().keySet().stream()
                .filter(parameter -> !parameter.equals("impl") && !parameter.equals("client") && !parameter.equals("rtt"))
                .sorted(Comparator.comparingInt((String parameter) -> parameterRank(parameter))
                        .thenComparing(Comparator.naturalOrder()))
                .forEach(parameter -> scenario.append(' ').append(parameter).append('=')
                        .append(result.params().get(parameter)));
        return scenario.toString();
    }

    /** Compares text with the numbers in it by value, so that {@code rate=500} sorts before {@code rate=1000}. */
    static int compareNatural(String left, String right) {
        String[] a = left.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        String[] b = right.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean numbers = Character.isDigit(a[i].charAt(0)) && Character.isDigit(b[i].charAt(0));
            int order = numbers ? new BigInteger(a[i]).compareTo(new BigInteger(b[i]))
                    : a[i].compareTo(b[i]);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** Keys before hold, as people say it; any other parameter after them, alphabetically. */
    private static int parameterRank(String parameter) {
        int rank = PARAMETER_ORDER.indexOf(parameter);
        return rank < 0 ? PARAMETER_ORDER.size() : rank;
    }

    private static int benchmarkRank(BenchResult result) {
        int rank = BENCHMARK_ORDER.indexOf(result.className());
        return rank < 0 ? BENCHMARK_ORDER.size() : rank;
    }

    private static String count(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String percent(double fraction) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            return "";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    private static String micros(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }
}
