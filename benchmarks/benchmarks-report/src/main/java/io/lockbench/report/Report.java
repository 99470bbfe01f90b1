package io.lockbench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a run's report into its directory: {@code summary.md} and {@code summary.csv} (from {@code raw/}, the
 * JMH JSON, and {@code noise/}, what each case's fork measured around it), {@code charts/*.png} (with the ttl
 * risk curves of the four stories at the run's latency), and
 * {@code verdict.md}. Everything is regenerated from the data each time;
 * nothing in it is edited by hand.
 */
public final class Report {

    /** The summary tables. */
    public static final String SUMMARY_MD = "summary.md";
    /** The summary rows as CSV. */
    public static final String SUMMARY_CSV = "summary.csv";
    /** The decision table. */
    public static final String VERDICT_MD = "verdict.md";
    /** The charts' directory. */
    public static final String CHARTS = "charts";
    /** The JMH JSON results' directory. */
    public static final String RAW = "raw";
    /** The file name of the safety heat map. */
    public static final String SAFETY_CHART = "safety-matrix.png";
    /** The scenario run's results. */
    public static final String SCENARIOS_CSV = "scenarios.csv";

    private Report() {
    }

    /**
     * What a report wrote.
     *
     * @param files the files written, in order
     * @param skipped one line per chart not drawn, saying why
     * @param summary the summary tables, as {@code summary.md} holds them, for printing; empty without bench data
     */
    public record Written(List<Path> files, List<String> skipped, String summary) {
        /** Copies the lists. */
        public Written {
            files = List.copyOf(files);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Writes the report of a run from its own data only: the call {@code bench} makes at its end.
     *
     * @param runDir the run's directory, holding {@code raw/} and {@code env.json}
     * @return what was written
     * @throws IllegalArgumentException when the directory has no results to report
     * @throws UncheckedIOException when a file cannot be read or written
     */
    public static Written write(Path runDir) {
        return write(runDir, Optional.empty(), Optional.empty());
    }

    /**
     * Writes the report of a run, with the safety and scenario results of other runs where given.
     *
     * @param runDir the run's directory: the report goes here; its {@code raw/} and {@code env.json} are read
     *     when present
     * @param safety the safety matrix of a chaos run, when there is one
     * @param scenarios a scenario run's {@code scenarios.csv}, when there is one
     * @return what was written
     * @throws IllegalArgumentException when there is nothing to report: no JMH results and no safety matrix
     * @throws UncheckedIOException when a file cannot be read or written
     */
    public static Written write(Path runDir, Optional<SafetyMatrix> safety, Optional<Path> scenarios) {
        return write(runDir, List.of(), safety, scenarios);
    }

    /**
     * Writes the report of a run together with the cases of other bench runs that it lacks: a benchmark run
     * alone later ({@code bench --only async}) joins the tables, charts and verdict of the main run. A case
     * (benchmark, parameters, threads) the main run has is taken from it; of the others, each case comes from the
     * first run listed that has it. The summary and the verdict name every run a figure comes from; bounds use the
     * round trips of the main run.
     *
     * @param runDir the main run's directory: the report goes here
     * @param moreRuns other bench runs' directories, in order of preference
     * @param safety the safety matrix of a chaos run, when there is one
     * @param scenarios a scenario run's {@code scenarios.csv}, when there is one
     * @return what was written
     * @throws IllegalArgumentException when there is nothing to report: no JMH results and no safety matrix
     * @throws UncheckedIOException when a file cannot be read or written
     */
    public static Written write(Path runDir, List<Path> moreRuns, Optional<SafetyMatrix> safety,
                                Optional<Path> scenarios) {
        List<BenchResult> results = new ArrayList<>(readResults(runDir));
        if (results.isEmpty() && safety.isEmpty()) {
            throw new IllegalArgumentException("no results in " + runDir + ": no JMH JSON under raw/ and no"
                    + " safety run given");
        }
        Optional<RunEnvironment> environment = EnvJson.read(runDir);
        String runId = environment.map(RunEnvironment::runId).orElse(runDir.getFileName().toString());
        String where = environment.map(RunEnvironment::where).orElse("environment unknown (no env.json)");
        List<StepNoise> noise = new ArrayList<>(StepNoise.readRun(runDir));
        List<String> joined = new ArrayList<>();
        Set<String> mainBenchmarks = results.stream().map(Report::benchmarkName).collect(Collectors.toSet());
        Map<String, String> joinedWhere = new LinkedHashMap<>();
        for (Path more : moreRuns) {
            Set<String> have = results.stream().map(Summary::caseKey).collect(Collectors.toSet());
            List<BenchResult> added = readResults(more).stream().filter(r -> !have.contains(Summary.caseKey(r)))
                    .toList();
            if (added.isEmpty()) {
                continue;
            }
            results.addAll(added);
            StepNoise.readRun(more).stream().filter(record -> added.stream().anyMatch(record::describes))
                    .forEach(noise::add);
            Optional<RunEnvironment> env = EnvJson.read(more);
            String moreId = env.map(RunEnvironment::runId).orElse(more.getFileName().toString());
            String moreWhere = env.map(RunEnvironment::where).orElse("environment unknown");
            List<String> names = added.stream().map(Report::benchmarkName).distinct().toList();
            joined.add("bench run " + moreId + " (" + moreWhere + "): " + String.join(", ", names));
            // A chart of a benchmark only another run has says where that run measured it; one mixing runs, both.
            names.forEach(name -> joinedWhere.merge(name, mainBenchmarks.contains(name) ? where + "; and run "
                    + moreId : moreWhere + " · run " + moreId, (first, second) -> first + "; and run " + moreId));
        }
        List<Path> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<SummaryRow> rows = Summary.rows(results, noise);
        String summary = "";
        if (!results.isEmpty()) {
            String also = joined.isEmpty() ? "" : MarkdownTable.wrap("With the cases this run lacks from: "
                    + String.join("; ", joined) + ".", Summary.WIDTH) + "\n\n";
            summary = "# lockbench run " + runId + "\n\n" + MarkdownTable.wrap(where, Summary.WIDTH) + "\n\n"
                    + environment.map(env -> "`" + env.command() + "`\n\n").orElse("") + also
                    + Summary.render(rows, RoundTrips.from(results));
            files.add(writeText(runDir.resolve(SUMMARY_MD), summary));
            files.add(writeText(runDir.resolve(SUMMARY_CSV), Summary.csv(rows)));
        }
        files.addAll(charts(runDir.resolve(CHARTS), rows, scenario -> joinedWhere.getOrDefault(
                scenario.split(" ", 2)[0], where), where, safety, skipped));
        if (results.isEmpty()) {
            skipped.add("ttl risk chart of the four stories: no JMH results under raw/ to take the lock's latency"
                    + " from");
        } else {
            RunLatencies latencies = RunLatencies.read(runDir, TtlGuidance.IMPLEMENTATION);
            files.add(TtlCharts.writeStories(TtlGuidance.examples(latencies), where + "; latency ("
                    + TtlGuidance.IMPLEMENTATION + "): " + latencies.summary(), runDir.resolve(CHARTS)));
        }
        List<Verdict.ScenarioOutcome> outcomes = scenarios.map(Verdict.ScenarioOutcome::read).orElse(List.of());
        List<String> sources = new ArrayList<>();
        if (!results.isEmpty()) {
            sources.add("bench run " + runId + " (" + where + ")");
        }
        sources.addAll(joined);
        safety.ifPresent(matrix -> sources.add("chaos run " + matrix.runId() + matrix.environment().map(env -> " ("
                + env.where() + ")").orElse("")));
        scenarios.ifPresent(file -> sources.add("scenario run " + file.toAbsolutePath().getParent().getFileName()));
        files.add(writeText(runDir.resolve(VERDICT_MD), Verdict.render("Which lock for which need: " + runId, rows,
                safety, outcomes, sources)));
        return new Written(files, skipped, summary);
    }

    private static List<Path> charts(Path dir, List<SummaryRow> rows, UnaryOperator<String> whereOf, String where,
                                     Optional<SafetyMatrix> safety,
                                     List<String> skipped) {
        ChartStyle style = ChartStyle.DEFAULT;
        clearCharts(dir);
        Map<String, List<SummaryRow>> tables = new LinkedHashMap<>();
        rows.stream().filter(row -> !row.scenario().startsWith("baseline"))
                .forEach(row -> tables.computeIfAbsent(row.table(), key -> new ArrayList<>()).add(row));
        List<Path> files = new ArrayList<>();
        boolean handoff = false;
        for (Map.Entry<String, List<SummaryRow>> table : tables.entrySet()) {
            List<SummaryRow> sameTable = Summary.ranked(table.getValue());
            String slug = Charts.slug(table.getKey());
            if (sameTable.get(0).scenario().startsWith("handoff")) {
                handoff = true;
                files.add(style.write(Charts.spectrum("Handoff latency, release to the next holder's grant: rtt "
                        + sameTable.get(0).rtt(), sameTable, whereOf.apply(sameTable.get(0).scenario()), style),
                        dir.resolve("handoff-latency-" + slug + ".png")));
                continue;
            }
            if (sameTable.stream().anyMatch(row -> !Double.isNaN(row.bound()) && !Double.isNaN(row.opsPerSecond()))) {
                files.add(style.write(Charts.throughput(sameTable, whereOf.apply(sameTable.get(0).scenario()), style),
                        dir.resolve("throughput-" + slug + ".png")));
            }
            if (sameTable.stream().anyMatch(row -> row.latencyMicros().size() > 3)) {
                files.add(style.write(Charts.spectrum("Latency percentiles: " + table.getKey(), sameTable,
                        whereOf.apply(sameTable.get(0).scenario()),
                        style), dir.resolve("latency-" + slug + ".png")));
            }
        }
        if (rows.isEmpty()) {
            skipped.add("throughput and latency charts: no JMH results under raw/");
        } else if (files.isEmpty()) {
            skipped.add("throughput and latency charts: only baseline results under raw/");
        }
        if (!handoff) {
            skipped.add("handoff latency chart: the run has no handoff benchmark");
        }
        if (safety.isPresent()) {
            SafetyMatrix matrix = safety.get();
            String chaosWhere = matrix.environment().map(RunEnvironment::where).orElse("environment unknown");
            files.add(style.write(Charts.safetyHeatMap(matrix, chaosWhere, style), dir.resolve(SAFETY_CHART)));
        } else {
            skipped.add("safety heat map: no safety run given");
        }
        return files;
    }

    /** A chart of an earlier report whose data is gone must not linger beside the new ones. */
    private static void clearCharts(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> old = Files.list(dir)) {
            for (Path png : old.filter(path -> path.getFileName().toString().endsWith(".png")).toList()) {
                Files.delete(png);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear " + dir, e);
        }
    }

    /** The benchmark's name as the summary's scenarios start with it: {@code async}, {@code contended}. */
    private static String benchmarkName(BenchResult result) {
        return Summary.scenario(result).split(" ", 2)[0];
    }

    private static List<BenchResult> readResults(Path runDir) {
        Path raw = runDir.resolve(RAW);
        return hasJson(raw) ? JmhJson.readDirectory(raw) : List.of();
    }

    private static boolean hasJson(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(path -> path.getFileName().toString().endsWith(".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    /**
     * Whether a directory holds JMH results for a report.
     *
     * @param runDir a run's directory
     * @return whether {@code raw/} has a JSON file
     */
    public static boolean hasBenchResults(Path runDir) {
        return hasJson(runDir.resolve(RAW));
    }

    static Path writeText(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }
}
