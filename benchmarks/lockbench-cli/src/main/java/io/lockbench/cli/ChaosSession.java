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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code lockbench chaos} run: a progress line per cell, then {@code safety.csv|json|md} and
 * {@code env.json} in {@code <out>/<run-id>/}, the matrix on stdout, and the expectations the naive rows broke.
 */
final class ChaosSession {

    /** Progress lines stay within this many columns. */
    static final int WIDTH = 120;

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
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        RunEnvironment.Cpu cpu = EnvironmentProbe.cpu();
        RunEnvironment.Git git = EnvironmentProbe.git(Path.of("").toAbsolutePath());
        String runId = RunId.of(started, RunId.hostName(), git.commit());
        Path runDir = out.resolve(runId);
        stderr.println(fit("lockbench chaos: " + implementations.size() + " implementations, " + settings.sections()
                + " sections per cell (" + String.join(", ", implementations) + ")"));
        stderr.println(fit("Starting Redis: " + source.describe() + " ..."));
        stderr.flush();
        Progress progress = new Progress(runDir, runId, started, cpu, git);
        List<SafetyRow> rows = new ChaosRun(implementations, faults, settings).run(source, progress);
        Map<String, String> faultLines = ChaosRun.faultDescriptions();
        SafetyCsv.write(runDir, rows);
        SafetyJson.write(runDir, progress.environment, rows);
        SafetyMarkdown.write(runDir, "lockbench chaos " + runId, rows, faultLines);
        stdout.println();
        stdout.print(SafetyMarkdown.matrix(rows, List.copyOf(faultLines.keySet())));
        stdout.println();
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        stdout.println("Run " + runId + " took " + ProgressPrinter.format(took) + "; results in " + runDir);
        stdout.flush();
        List<String> broken = Expectations.broken(rows);
        broken.forEach(stderr::println);
        stderr.flush();
        return broken.isEmpty() ? 0 : 1;
    }

    /** A progress line cut to {@link #WIDTH} columns. */
    static String fit(String line) {
        return line.length() > WIDTH ? line.substring(0, WIDTH - 3) + "..." : line;
    }

    /** Prints a line before and after each cell, and writes env.json once the servers are up. */
    private final class Progress implements ChaosListener {
        private final ProgressPrinter printer = new ProgressPrinter(stderr);
        private final Path runDir;
        private final String runId;
        private final Instant started;
        private final RunEnvironment.Cpu cpu;
        private final RunEnvironment.Git git;
        private final long startNanos = System.nanoTime();
        private RunEnvironment environment;
        private long cellStartNanos;

        Progress(Path runDir, String runId, Instant started, RunEnvironment.Cpu cpu, RunEnvironment.Git git) {
            this.runDir = runDir;
            this.runId = runId;
            this.started = started;
            this.cpu = cpu;
            this.git = git;
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
            environment = new RunEnvironment(runId, started.toString(), command, cpu, EnvironmentProbe.os(),
                    EnvironmentProbe.jvm(), new RunEnvironment.Redis(redisVersion, source.describe(), 3,
                    "not pinned"), EnvironmentProbe.libraryVersions(BenchRun.LIBRARIES), Map.of(), git,
                    implementations, runSettings);
            EnvJson.write(runDir, environment);
            stderr.println(fit("Redis " + redisVersion + "; results: " + runDir));
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
            double seconds = (System.nanoTime() - cellStartNanos) / 1e9;
            String line = row.skipped() ? "    " + row.notes() : String.format(Locale.ROOT,
                    "    %d sections, %d overlaps, stale plain %d, fenced rejected %d accepted %d, orphan %d ms,"
                            + " no holder %d ms, %.1f s", row.sections(), row.overlaps(), row.staleAcceptedPlain(),
                    row.staleRejectedFenced(), row.staleAcceptedFenced(), row.maxOrphanMs(), row.maxNoHolderMs(),
                    seconds);
            stderr.println(fit(line));
            stderr.flush();
        }
    }
}
