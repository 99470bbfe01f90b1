package io.lockbench.cli;

import io.lockbench.chaos.ChaosListener;
import io.lockbench.chaos.ChaosRun;
import io.lockbench.chaos.ChaosSettings;
import io.lockbench.chaos.Expectations;
import io.lockbench.chaos.SafetyCsv;
import io.lockbench.chaos.SafetyJson;
import io.lockbench.chaos.SafetyMarkdown;
import io.lockbench.chaos.SafetyRow;
import io.lockbench.fixture.RedisSource;
import io.lockbench.report.EnvJson;
import io.lockbench.report.EnvironmentProbe;
import io.lockbench.report.RunEnvironment;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One {@code lockbench chaos} run: a progress line per cell, then {@code safety.csv|json|md} and
 * {@code env.json} in {@code <out>/<run-id>/}, the matrix on stdout, and the expectations the naive rows broke and
 * the bounds the implementations exceeded.
 */
final class ChaosSession {

    /** Progress lines stay within this many columns. */
    static final int WIDTH = ConsoleText.WIDTH;

    private final List<String> implementations;
    private final List<String> faults;
    private final ChaosSettings settings;
    private final RedisSource source;
    private final Path out;
    private final String command;
    private final PrintWriter stdout;
    private final PrintWriter stderr;

    ChaosSession(List<String> implementations, List<String> faults, ChaosSettings settings, RedisSource source,
                 Path out, String command, PrintWriter stdout, PrintWriter stderr) {
        this.implementations = implementations;
        this.faults = faults;
        this.settings = settings;
        this.source = source;
        this.out = out;
        this.command = command;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs it.
     *
     * @return 0, or 1 when a naive row lacks its story's violation (a harness bug)
     * @throws InterruptedException when interrupted
     */
    int execute() throws InterruptedException {
        RunId.Started run = RunId.start(out);
        String runId = run.id();
        Path runDir = run.dir();
        stderr.println(fit("lockbench chaos: " + implementations.size() + " implementations, " + settings.sections()
                + " sections per cell (" + String.join(", ", implementations) + ")"));
        stderr.println(fit("Starting Redis: " + source.describe() + " ..."));
        stderr.flush();
        Progress progress = new Progress(run);
        List<SafetyRow> rows;
        boolean stopped = false;
        ChaosRun chaos = new ChaosRun(implementations, faults, settings);
        try (CtrlC ctrlC = new CtrlC(chaos::stop)) {
            try {
                rows = chaos.run(source, progress);
            } catch (InterruptedException e) {
                if (!ctrlC.pressed()) {
                    throw e;
                }
                stopped = true;
                rows = List.copyOf(progress.finished);
                stderr.println();
                stderr.println("Stopped: writing the " + rows.size() + " cells that finished");
            }
            if (progress.environment != null) {
                write(runDir, runId, progress.environment, rows);
                report(runDir);
            }
            // Still inside: after a Ctrl-C the JVM exits once this closes.
            stdout.println();
            stdout.print(SafetyMarkdown.matrix(rows, List.copyOf(ChaosRun.faultDescriptions().keySet())));
            stdout.println();
            stdout.println("Run " + runId + (stopped ? " stopped after " : " took ")
                    + ProgressPrinter.format(run.elapsed()) + "; results in " + runDir);
            stdout.flush();
        }
        if (stopped) {
            return 1;
        }
        // A bound an implementation exceeded is a finding about it, in the matrix and here; not a failed run.
        Expectations.findings(rows).forEach(stderr::println);
        List<String> broken = Expectations.broken(rows);
        broken.forEach(stderr::println);
        stderr.flush();
        return broken.isEmpty() ? 0 : 1;
    }

    private static void write(Path runDir, String runId, RunEnvironment environment, List<SafetyRow> rows) {
        Map<String, String> faultLines = ChaosRun.faultDescriptions();
        SafetyCsv.write(runDir, rows);
        SafetyJson.write(runDir, environment, rows);
        SafetyMarkdown.write(runDir, "lockbench chaos " + runId, rows, faultLines);
    }

    /** The heat map and the verdict from this run and the newest scenario run beside it. */
    private void report(Path runDir) {
        try {
            RunReport.Written report = RunReport.write(RunReport.withLatestSiblings(runDir));
            stderr.println(fit("Wrote " + report.report().files().size() + " report files (" + String.join(", ",
                    report.report().files().stream().map(file -> file.getFileName().toString()).toList())
                    + ") into " + report.runDir()));
        } catch (RuntimeException e) {
            stderr.println(fit("No report: " + e.getMessage()));
        }
        stderr.flush();
    }

    /** A progress line cut to {@link #WIDTH} columns. */
    static String fit(String line) {
        return line.length() > WIDTH ? line.substring(0, WIDTH - 3) + "..." : line;
    }

    /** Prints a line before and after each cell, and writes env.json once the servers are up. */
    private final class Progress implements ChaosListener {
        private final ProgressPrinter printer = new ProgressPrinter(stderr);
        private final RunId.Started run;
        private final RunEnvironment.Cpu cpu = EnvironmentProbe.cpu();
        private final long startNanos = System.nanoTime();
        private final List<SafetyRow> finished = new CopyOnWriteArrayList<>();
        private volatile RunEnvironment environment;
        private long cellStartNanos;

        Progress(RunId.Started run) {
            this.run = run;
        }

        @Override
        public void serversStarted(String redisVersion) {
            Map<String, Object> runSettings = new LinkedHashMap<>();
            runSettings.put("sectionsPerCell", settings.sections());
            runSettings.put("minInjectionsPerCell", settings.minInjections());
            runSettings.put("maxCell", settings.maxCell().toString());
            runSettings.put("workers", settings.workers());
            runSettings.put("keys", settings.keys());
            runSettings.put("hold", settings.hold().toString());
            runSettings.put("faults", faults.isEmpty() ? ChaosRun.faultNames() : faults);
            environment = new RunEnvironment(run.id(), run.time().toString(), command, cpu, EnvironmentProbe.os(),
                    EnvironmentProbe.jvm(), new RunEnvironment.Redis(redisVersion, source.describe(), 3,
                    "not pinned"), EnvironmentProbe.libraryVersions(BenchRun.LIBRARIES), Map.of(), Map.of(), run.git(),
                    implementations, runSettings);
            EnvJson.write(run.dir(), environment);
            stderr.println(fit("Redis " + redisVersion + "; results: " + run.dir()));
            stderr.flush();
        }

        @Override
        public void cellStarted(int number, int total, String impl, String fault) {
            long elapsed = System.nanoTime() - startNanos;
            Duration left = number == 1 ? Duration.ZERO
                    : Duration.ofNanos(elapsed / (number - 1) * (total - number + 1));
            cellStartNanos = System.nanoTime();
            printer.caseStarted(number, total, impl + " x " + fault, left);
        }

        @Override
        public void cellFinished(SafetyRow row) {
            finished.add(row);
            double seconds = (System.nanoTime() - cellStartNanos) / 1e9;
            String line = row.skipped() ? "    " + row.notes() : String.format(Locale.ROOT,
                    "    %d sections, %d overlaps, stale plain %d, fenced rejected %d accepted %d, orphan %d ms,"
                            + " no holder %d ms, %.1f s", row.sections(), row.overlaps(), row.staleAcceptedPlain(),
                    row.staleRejectedFenced(), row.staleAcceptedFenced(), row.maxOrphanMs(), row.maxNoHolderMs(),
                    seconds);
            stderr.println(fit(line));
            if (!row.skipped() && row.hostageMs() >= 0) {
                stderr.println(fit("    hostage " + row.hostageMs() + " ms after the kill (bound "
                        + Expectations.hostageBound(row.impl(), row.fault()).map(b -> b.maxMs() + " ms").orElse("none")
                        + ")"));
            }
            stderr.flush();
        }
    }
}
