package io.lockbench.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns JMH results into the summary table: implementation x scenario, with throughput, its fraction of the
 * round-trip {@link Bound}, and latency percentiles. The throughput and sample-time results of the same
 * benchmark, parameters and thread count make one row.
 *
 * <p>Auxiliary counters read by name: {@code acquired}, {@code failed} and {@code commandsPerSection}
 * (contended, uncontended and async), {@code handoffs} and {@code handoffP50Us}/{@code handoffP99Us}/
 * {@code handoffP999Us} (handoff, whose latency columns show the handoff time), {@code offeredRate},
 * {@code achievedRate} and {@code abandoned} (open loop).
 */
public final class Summary {

    private static final List<String> BENCHMARK_ORDER = List.of("BaselineBenchmark", "UncontendedBenchmark",
            "ContendedBenchmark", "AsyncBenchmark", "HandoffBenchmark", "ExtendBenchmark", "OpenLoop");
    private static final List<String> PARAMETER_ORDER = List.of("keys", "hold", "rate");
    private static final String HANDOFF = "HandoffBenchmark";
    private static final Pattern KEYS = Pattern.compile("\\bkeys=(\\d+)");
    private static final Pattern IN_FLIGHT_PARAM = Pattern.compile("\\binFlight=(\\d+)");
    private static final String OPEN_LOOP = "OpenLoop";
    /** The baseline's hand-written lock cycle, as its scenario names it. */
    static final String HAND_WRITTEN = "hand-written-lock";
    /** The widest a table may be: a 120-column terminal. */
    static final int WIDTH = 120;
    private static final List<String> KEY_COLUMNS = List.of("#", "implementation", "threads");
    /** The header of {@code summary.csv}. */
    public static final String CSV_HEADER = "scenario,rtt,threads,implementation,unsafe,ops_per_s,ops_error,"
            + "ops_derived,bound_ops_per_s,fraction_of_bound,p50_us,p99_us,p999_us,max_us,commands_per_section,"
            + "acquired,failed,notes,ping_start_us,ping_end_us,load_average,steal_percent,flags";
    private static final Comparator<BenchResult> ORDER = Comparator.comparingInt(Summary::benchmarkRank)
            .thenComparing(Summary::scenario, Summary::compareNatural)
            .thenComparing(result -> DurationLabel.parse(result.param("rtt").orElse("0")))
            .thenComparingInt(BenchResult::threads)
            .thenComparing(Summary::implementation);

    private Summary() {
    }

    /**
     * Builds the rows without noise records, ordered by benchmark, scenario, injected latency, threads and
     * implementation.
     *
     * @param results every result of a run, the baseline included (it gives the round-trip time)
     * @return the rows
     */
    public static List<SummaryRow> rows(List<BenchResult> results) {
        return rows(results, List.of());
    }

    /**
     * Builds the rows, ordered by benchmark, scenario, injected latency, threads and implementation, each with
     * the noise records of its case.
     *
     * @param results every result of a run, the baseline included (it gives the round-trip time)
     * @param noise the run's noise records ({@link StepNoise#readRun})
     * @return the rows
     */
    public static List<SummaryRow> rows(List<BenchResult> results, List<StepNoise> noise) {
        RoundTrips roundTrips = RoundTrips.from(results);
        Map<String, List<BenchResult>> byCase = new LinkedHashMap<>();
        for (BenchResult result : results) {
            byCase.computeIfAbsent(caseKey(result), key -> new ArrayList<>()).add(result);
        }
        List<List<BenchResult>> cases = new ArrayList<>(byCase.values());
        cases.sort(Comparator.comparing((List<BenchResult> sameCase) -> sameCase.get(0), ORDER));
        List<SummaryRow> rows = new ArrayList<>();
        for (List<BenchResult> sameCase : cases) {
            rows.add(row(sameCase, roundTrips, noise));
        }
        return rows;
    }

    /**
     * Renders rows as Markdown: one section per scenario and injected latency, each a table of the correct
     * implementations ranked by throughput at each thread count, with the naive ones below a line, unranked and
     * marked unsafe. Tables wider than {@value #WIDTH} columns are split, each part repeating the rank,
     * implementation and thread columns. A closing paragraph says what the columns and the bound are, the
     * round-trip times behind the bound and which client's each implementation is held to, why a figure above
     * its bound is there, and what the noise flags mean (or that none were recorded).
     *
     * @param rows the rows
     * @param roundTrips the round-trip times behind the bounds
     * @return the Markdown, ending with a newline
     */
    public static String render(List<SummaryRow> rows, RoundTrips roundTrips) {
        Map<String, List<SummaryRow>> tables = new LinkedHashMap<>();
        rows.forEach(row -> tables.computeIfAbsent(row.table(), key -> new ArrayList<>()).add(row));
        StringBuilder md = new StringBuilder();
        for (Map.Entry<String, List<SummaryRow>> table : tables.entrySet()) {
            md.append("### ").append(table.getKey()).append("\n\n");
            List<SummaryRow> ordered = ranked(table.getValue());
            for (String part : MarkdownTable.render(columns(ordered), KEY_COLUMNS.size(), WIDTH)) {
                md.append(part).append('\n');
            }
        }
        StringBuilder notes = new StringBuilder();
        notes.append("ops/s ± JMH's error at 99.9 % confidence (none where JMH had too few samples for one);"
                + " ~ = derived from the sampled time per op (threads / mean). # = rank by ops/s among the correct"
                + " implementations at that thread count; the naive implementations are unsafe by design (see"
                + " safety.md) and not ranked. failed = acquire attempts that timed out or errored; cmd/sec = Redis commands per"
                + " critical section, counted by the server. bound = parallel keys / (round trips per op x RTT +"
                + " hold), RTT = median single-thread PING of the row's own client library (a Jedis cycle against"
                + " Jedis's PING, a Lettuce cycle against Lettuce's):");
        if (roundTrips.byClient().isEmpty()) {
            notes.append(" not measured (no baseline results).");
        }
        roundTrips.byClient().forEach((rtt, byClient) -> {
            notes.append(" rtt=").append(rtt).append(" ->");
            byClient.forEach((client, nanos) -> notes.append(String.format(Locale.ROOT, " %s %.1f µs,", client,
                    nanos / 1e3)));
            notes.setCharAt(notes.length() - 1, ';');
        });
        if (notes.charAt(notes.length() - 1) == ';') {
            notes.setCharAt(notes.length() - 1, '.');
        }
        notes.append(clients(rows));
        notes.append(againstHandWritten(rows));
        if (rows.stream().anyMatch(row -> roundTrips.nanos(row.rtt()).isPresent() && RoundTrips.clientOf(
                row.implementation()).map(client -> roundTrips.nanos(row.rtt(), client).isEmpty()).orElse(false))) {
            notes.append(" Where a client's PING was not measured at a latency, the fastest client's stands in.");
        }
        for (AboveBound reason : AboveBound.values()) {
            if (rows.stream().anyMatch(row -> row.fractionOfBound() > 1 && AboveBound.of(row) == reason)) {
                notes.append(' ').append(reason.why);
            }
        }
        notes.append(rows.stream().anyMatch(row -> !row.noise().isEmpty()) ? String.format(Locale.ROOT,
                " flags = measured in each case's own fork: its client's PING before the warmup and after the"
                        + " last measured iteration, the 1-minute load average at both moments, CPU steal in between."
                        + " rtt ±N%% = the PING drifted by more than %.0f %%; load L/N = a load average above what"
                        + " the case explains on its own, N: the machine's CPUs, or its benchmark threads plus Redis"
                        + " when more; steal N%% = more than %.0f %% of CPU time"
                        + " stolen by the hypervisor. A flagged figure says as much about the machine as about the"
                        + " lock: rerun it before trusting it.", 100 * StepNoise.MAX_DRIFT, 100 * StepNoise.MAX_STEAL)
                : " Noise (load, CPU steal, PING drift per case) was not recorded in this run.");
        return md.append(MarkdownTable.wrap(notes.toString(), WIDTH)).append('\n').toString();
    }

    /**
     * Each implementation's single-thread uncontended cycle over the hand-written lock cycle of its own client
     * library at the same injected latency: what the implementation's own code costs on top of the two round
     * trips (1.00 = nothing).
     */
    static String againstHandWritten(List<SummaryRow> rows) {
        Map<String, Map<String, Double>> handWritten = new LinkedHashMap<>();
        rows.stream().filter(row -> row.scenario().equals("baseline " + HAND_WRITTEN) && row.threads() == 1
                        && row.implementation().startsWith("client:"))
                .forEach(row -> handWritten.computeIfAbsent(row.rtt(), rtt -> new TreeMap<>())
                        .put(row.implementation().substring("client:".length()), row.opsPerSecond()));
        StringBuilder text = new StringBuilder();
        handWritten.forEach((rtt, byClient) -> {
            StringBuilder ratios = new StringBuilder();
            rows.stream().filter(row -> row.scenario().equals("uncontended") && row.threads() == 1
                            && row.rtt().equals(rtt) && !SummaryRow.unsafe(row.implementation()))
                    .sorted(Comparator.comparing(SummaryRow::implementation))
                    .forEach(row -> RoundTrips.clientOf(row.implementation()).map(byClient::get)
                            .ifPresent(base -> ratios.append(String.format(Locale.ROOT, " %s %.2f,",
                                    row.implementation(), row.opsPerSecond() / base))));
            if (!ratios.isEmpty()) {
                text.append(" rtt=").append(rtt).append(" ->").append(ratios);
                text.setCharAt(text.length() - 1, ';');
            }
        });
        if (text.isEmpty()) {
            return "";
        }
        text.setCharAt(text.length() - 1, '.');
        return " Uncontended, 1 thread, against the hand-written lock of the same client (baseline " + HAND_WRITTEN
                + ": SET NX PX with a fresh token, then compare-and-delete by script; nothing else):" + text;
    }

    /** Which client library's PING each implementation in the rows is held to, grouped by library. */
    private static String clients(List<SummaryRow> rows) {
        Map<String, List<String>> byClient = new TreeMap<>();
        rows.stream().map(SummaryRow::implementation).filter(impl -> !impl.startsWith("client:")).distinct().sorted()
                .forEach(impl -> byClient.computeIfAbsent(RoundTrips.clientOf(impl).map(client -> client + "'s")
                        .orElse("the fastest client's"), key -> new ArrayList<>()).add(impl));
        if (byClient.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" Held to");
        byClient.forEach((client, impls) -> text.append(' ').append(client).append(": ")
                .append(String.join(", ", impls)).append(';'));
        text.setCharAt(text.length() - 1, '.');
        if (rows.stream().anyMatch(row -> RoundTrips.STAND_INS.contains(row.implementation()))) {
            text.append(" Redisson's own PING is not measured: Lettuce's, the other Netty client, stands in.");
        }
        return text.toString();
    }

    /** Why a figure can pass its bound; the summary explains each kind that occurs under its tables. */
    enum AboveBound {
        HOT_KEY("* above 100 % on a hot key: a release hands the lock to a waiter whose acquire is already in"
                + " flight, so a cycle costs about one round trip plus the hold, not two; the limit there is about"
                + " 1 / (RTT + hold) per key."),
        IN_FLIGHT("* above 100 % with several threads or async requests: their requests are in flight at once,"
                + " and a client that shares one connection (Lettuce, Redisson, Redlock) pipelines them into one"
                + " write and one server read, so a request costs less than a lone round trip."),
        ONE_THREAD("* above 100 % on one thread: the case met shorter round trips than the baseline's median"
                + " PING (see its flags and the ping_* columns of summary.csv); nothing was in flight to beat it.");

        private final String why;

        AboveBound(String why) {
            this.why = why;
        }

        static AboveBound of(SummaryRow row) {
            // What is in flight at once: one request per thread, or an async caller's own count per thread.
            Matcher inFlight = IN_FLIGHT_PARAM.matcher(row.scenario());
            int requests = row.threads() * (inFlight.find() ? Integer.parseInt(inFlight.group(1)) : 1);
            Matcher keys = KEYS.matcher(row.scenario());
            boolean hotKey = keys.find() && requests > Integer.parseInt(keys.group(1));
            if ((row.scenario().startsWith("contended") || row.scenario().startsWith("async")) && hotKey) {
                return HOT_KEY;
            }
            return requests > 1 ? IN_FLIGHT : ONE_THREAD;
        }
    }

    /**
     * The rows as CSV, one header line, one line per row, numbers unformatted (empty when not measured).
     *
     * @param rows the rows
     * @return the CSV text
     */
    public static String csv(List<SummaryRow> rows) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (SummaryRow row : rows) {
            csv.append(String.join(",", quote(row.scenario()), quote(row.rtt()), Integer.toString(row.threads()),
                    quote(row.implementation()), Boolean.toString(row.unsafe()), number(row.opsPerSecond()),
                    number(row.opsError()), Boolean.toString(row.opsDerived()), number(row.bound()),
                    number(row.fractionOfBound()), number(row.p50Micros()), number(row.p99Micros()),
                    number(row.p999Micros()), number(row.maxMicros()), number(row.commandsPerSection()),
                    number(row.acquired()), number(row.failed()), quote(row.notes()),
                    number(row.worstNoise().map(noise -> noise.pingStartNanos() / 1e3).orElse(Double.NaN)),
                    number(row.worstNoise().map(noise -> noise.pingEndNanos() / 1e3).orElse(Double.NaN)),
                    number(row.noise().stream().mapToDouble(StepNoise::load).filter(load -> !Double.isNaN(load))
                            .max().orElse(Double.NaN)),
                    number(row.noise().stream().mapToDouble(noise -> 100 * noise.steal())
                            .filter(steal -> !Double.isNaN(steal)).max().orElse(Double.NaN)),
                    quote(String.join("; ", row.flags())))).append('\n');
        }
        return csv.toString();
    }

    /**
     * The order of a scenario's rows in tables and charts: the correct implementations first, by thread count,
     * fastest first; then the naive ones by thread count and name.
     */
    static List<SummaryRow> ranked(List<SummaryRow> rows) {
        Comparator<SummaryRow> fastestFirst = Comparator.comparingDouble(
                (SummaryRow row) -> Double.isNaN(row.opsPerSecond()) ? Double.NEGATIVE_INFINITY : row.opsPerSecond())
                .reversed();
        List<SummaryRow> ordered = new ArrayList<>(rows.stream().filter(row -> !row.unsafe())
                .sorted(Comparator.comparingInt(SummaryRow::threads).thenComparing(fastestFirst)).toList());
        ordered.addAll(rows.stream().filter(SummaryRow::unsafe)
                .sorted(Comparator.comparingInt(SummaryRow::threads).thenComparing(SummaryRow::implementation))
                .toList());
        return ordered;
    }

    /**
     * The columns of one scenario's table, rows in the given order with a separator line before the first naive
     * row; a column nobody in the table has a value for is left out.
     */
    private static List<MarkdownTable.Column> columns(List<SummaryRow> ordered) {
        List<String> ranks = new ArrayList<>();
        int rank = 0;
        int threads = -1;
        for (SummaryRow row : ordered) {
            if (row.threads() != threads) {
                threads = row.threads();
                rank = 0;
            }
            ranks.add(row.unsafe() ? "-" : Integer.toString(++rank));
        }
        int firstNaive = (int) ordered.stream().filter(row -> !row.unsafe()).count();
        List<MarkdownTable.Column> columns = new ArrayList<>();
        columns.add(column("#", ordered, firstNaive, row -> ranks.get(ordered.indexOf(row))));
        columns.add(column("implementation", ordered, firstNaive,
                row -> row.unsafe() ? row.implementation() + " (unsafe)" : row.implementation()));
        columns.add(column("threads", ordered, firstNaive, row -> Integer.toString(row.threads())));
        columns.add(column("ops/s ± 99.9 %", ordered, firstNaive, Summary::opsWithError));
        columns.add(column("bound ops/s", ordered, firstNaive, row -> count(row.bound())));
        columns.add(column("of bound", ordered, firstNaive, row -> percent(row.fractionOfBound())
                + (row.fractionOfBound() > 1 ? " *" : "")));
        columns.add(column("p50 µs", ordered, firstNaive, row -> micros(row.p50Micros())));
        columns.add(column("p99 µs", ordered, firstNaive, row -> micros(row.p99Micros())));
        columns.add(column("p99.9 µs", ordered, firstNaive, row -> micros(row.p999Micros())));
        columns.add(column("max µs", ordered, firstNaive, row -> micros(row.maxMicros())));
        columns.add(column("cmd/sec", ordered, firstNaive, row -> Double.isNaN(row.commandsPerSection()) ? ""
                : String.format(Locale.ROOT, "%.1f", row.commandsPerSection())));
        columns.add(column("failed", ordered, firstNaive, Summary::failed));
        columns.add(column("notes", ordered, firstNaive, SummaryRow::notes));
        columns.add(column("flags", ordered, firstNaive, row -> String.join(", ", row.flags())));
        return columns.stream().filter(column -> column.cells().stream().anyMatch(cell -> !cell.isEmpty()
                && !cell.startsWith("*"))).toList();
    }

    private static MarkdownTable.Column column(String header, List<SummaryRow> ordered, int firstNaive,
                                               Function<SummaryRow, String> cell) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (i == firstNaive) {
                cells.add(header.equals("implementation") ? "*naive: unsafe, not ranked*" : "");
            }
            cells.add(cell.apply(ordered.get(i)));
        }
        return new MarkdownTable.Column(header, cells);
    }

    private static String opsWithError(SummaryRow row) {
        if (Double.isNaN(row.opsPerSecond())) {
            return "";
        }
        String ops = (row.opsDerived() ? "~" : "") + count(row.opsPerSecond());
        return Double.isNaN(row.opsError()) ? ops : ops + " ± " + count(row.opsError());
    }

    private static String failed(SummaryRow row) {
        if (Double.isNaN(row.failed())) {
            return "";
        }
        if (row.failed() == 0) {
            return "0";
        }
        double percent = 100 * row.failed() / (row.acquired() + row.failed());
        return String.format(Locale.ROOT, percent < 0.1 ? "%.0f (%.2f%%)" : "%.0f (%.1f%%)", row.failed(), percent);
    }

    private static SummaryRow row(List<BenchResult> sameCase, RoundTrips roundTrips, List<StepNoise> noise) {
        Optional<BenchResult> throughput = mode(sameCase, BenchResult.THROUGHPUT);
        Optional<BenchResult> sample = mode(sameCase, BenchResult.SAMPLE_TIME);
        BenchResult any = sameCase.get(0);
        BenchResult counters = throughput.or(() -> sample).orElseThrow();
        boolean handoff = any.className().equals(HANDOFF);

        double ops = Double.NaN;
        double opsError = Double.NaN;
        boolean derived = false;
        if (throughput.isPresent()) {
            Metric metric = handoff ? throughput.get().secondary("waiter").orElse(throughput.get().primary())
                    : throughput.get().primary();
            ops = Units.opsPerSecond(metric.score(), metric.unit());
            opsError = Units.opsPerSecond(metric.scoreError(), metric.unit());
        } else if (sample.isPresent() && !handoff) {
            Metric metric = sample.get().primary();
            if (any.className().equals(OPEN_LOOP)) {
                ops = sample.get().secondary("achievedRate").map(Metric::score).orElse(Double.NaN);
            } else {
                // The rate follows from the mean time per op, and its relative error from the mean's.
                ops = any.threads() * 1e6 / Units.micros(metric.score(), metric.unit());
                opsError = ops * metric.scoreError() / metric.score();
                derived = true;
            }
        }

        NavigableMap<Double, Double> latency = new TreeMap<>();
        if (handoff) {
            putIfMeasured(latency, 50.0, perIteration(counters, "handoffP50Us"));
            putIfMeasured(latency, 99.0, perIteration(counters, "handoffP99Us"));
            putIfMeasured(latency, 99.9, perIteration(counters, "handoffP999Us"));
        } else if (sample.isPresent()) {
            Metric metric = sample.get().primary();
            latency = SummaryRow.percentiles(metric.percentiles(), value -> Units.micros(value, metric.unit()));
        }
        OptionalDouble bound = Bound.of(any, roundTrips);
        return new SummaryRow(scenario(any), any.param("rtt").orElse("0"), any.threads(), implementation(any), ops,
                opsError, derived, bound.orElse(Double.NaN), latency, perIteration(counters, "commandsPerSection"),
                counter(counters, "acquired"), counter(counters, "failed"), notes(counters),
                noise.stream().filter(record -> record.describes(any)).toList());
    }

    private static void putIfMeasured(Map<Double, Double> latency, double percent, double micros) {
        if (!Double.isNaN(micros)) {
            latency.put(percent, micros);
        }
    }

    private static String notes(BenchResult result) {
        List<String> notes = new ArrayList<>();
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

    /** A count over the whole measurement, such as sections entered: JMH's score, the iterations' sum. */
    private static double counter(BenchResult result, String label) {
        return result.secondary(label).map(Metric::score).orElse(Double.NaN);
    }

    /** A figure that holds per iteration (a ratio, a percentile): the mean over the measured iterations. */
    private static double perIteration(BenchResult result, String label) {
        return result.secondary(label).map(Metric::iterationMean).orElse(Double.NaN);
    }

    private static Optional<BenchResult> mode(List<BenchResult> results, String mode) {
        return results.stream().filter(result -> result.mode().equals(mode)).findFirst();
    }

    /**
     * @param result a JMH result
     * @return what identifies its case across runs: benchmark, parameters and threads (its modes share it)
     */
    static String caseKey(BenchResult result) {
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
            scenario.append(' ').append(switch (method) {
                case "setDel" -> "set+del";
                case "lockCycle" -> HAND_WRITTEN;
                default -> method;
            });
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

    private static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** RFC 4180: a field with a comma, quote or line break goes in quotes, its quotes doubled. */
    private static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }

    /**
     * A count with thousands separators, as the tables print it.
     *
     * @param value the value
     * @return such as {@code 12,345}; empty for NaN
     */
    static String count(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /**
     * A fraction as a whole percentage.
     *
     * @param fraction such as 0.42
     * @return such as {@code 42%}; empty for NaN or infinity
     */
    static String percent(double fraction) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            return "";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    /**
     * Microseconds to at most three decimals of precision, as the tables print them.
     *
     * @param value microseconds
     * @return such as {@code 61.5} or {@code 1,327}; empty for NaN
     */
    static String micros(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }
}
