package io.lockbench.cli;

import io.lockbench.fixture.RedisSource;
import io.lockbench.jmh.BenchNodes;
import io.lockbench.jmh.BenchPlan;
import io.lockbench.jmh.BenchRunner;
import io.lockbench.jmh.BenchStep;
import io.lockbench.jmh.Benchmarks;
import io.lockbench.jmh.ProgressListener;
import io.lockbench.report.BenchResult;
import io.lockbench.report.DurationLabel;
import io.lockbench.report.EnvJson;
import io.lockbench.report.EnvironmentProbe;
import io.lockbench.report.RoundTrips;
import io.lockbench.report.RunEnvironment;
import io.lockbench.report.StepNoise;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One {@code lockbench bench} run: starts the servers, writes {@code env.json}, runs the plan with a progress
 * line per case and a noise line per step (flagging the cases whose round trip drifted or that ran beside other
 * load), and prints the summary. Results go to {@code <out>/<run-id>/}: {@code raw/*.json} (JMH JSON),
 * {@code noise/*.jsonl}, {@code env.json}, {@code summary.md}, and JMH's own log under {@code tmp/}. Ctrl-C stops
 * it after the steps that finished: the servers stop (external ones lose the run's keys), the step in progress
 * leaves no raw file, and the summary of the finished steps is written and printed.
 */
final class BenchRun {

    /** Libraries whose versions {@code env.json} records. */
    static final List<String> LIBRARIES = List.of("redis.clients:jedis", "io.lettuce:lettuce-core",
            "org.redisson:redisson", "io.netty:netty-handler", "org.apache.commons:commons-pool2",
            "org.openjdk.jmh:jmh-core", "org.hdrhistogram:HdrHistogram", "com.github.codemonstur:embedded-redis");

    private final BenchPlan plan;
    private final RedisSource source;
    private final int nodeCount;
    private final Path out;
    private final boolean pin;
    private final String command;
    private final PrintWriter stdout;
    private final PrintWriter stderr;

    BenchRun(BenchPlan plan, RedisSource source, int nodeCount, Path out, boolean pin, String command,
             PrintWriter stdout, PrintWriter stderr) {
        this.plan = plan;
        this.source = source;
        this.nodeCount = nodeCount;
        this.out = out;
        this.pin = pin;
        this.command = command;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs it.
     *
     * @param dryRun print the plan and stop
     * @return the exit code: 0, or 1 when some cases produced no result or Ctrl-C stopped the run
     * @throws InterruptedException when interrupted other than by Ctrl-C
     * @throws CommandFailure when another benchmark run holds JMH's lock
     */
    int execute(boolean dryRun) throws InterruptedException {
        printPlan();
        if (dryRun) {
            stderr.println(ConsoleText.wrapped("", "Dry run, nothing is started; a run would begin: " + startingLine()));
            for (BenchStep step : plan.steps()) {
                stderr.println("  " + step.describe() + "  (" + step.cases() + " cases)");
            }
            plan.openLoop().ifPresent(loop -> stderr.println("  open loop at rates " + (loop.rates().isEmpty()
                    ? "0.25x to 1.5x the bound" : loop.rates()) + ", " + loop.duration().toSeconds() + "s each"));
            stderr.flush();
            return 0;
        }
        RunId.Started run = RunId.start(out);
        String runId = run.id();
        Path runDir = run.dir();
        Path rawDir = runDir.resolve("raw");
        // Before pinning, which leaves this JVM fewer CPUs than the machine has.
        RunEnvironment.Cpu cpu = EnvironmentProbe.cpu();
        stderr.println(ConsoleText.wrapped("", startingLine()));
        stderr.flush();
        List<BenchResult> soFar = new CopyOnWriteArrayList<>();
        Set<String> finishedFiles = ConcurrentHashMap.newKeySet();
        Set<String> filesAtPress = ConcurrentHashMap.newKeySet();
        List<BenchResult> results = List.of();
        boolean stopped = false;
        try (CtrlC ctrlC = new CtrlC(() -> {
            filesAtPress.addAll(fileNames(rawDir));
            stopForks();
        })) {
            try {
                // Closing the servers deletes the run's keys from external ones, after Ctrl-C as well.
                try (BenchNodes nodes = BenchNodes.start(source, nodeCount, pin)) {
                    // Before the run directory exists, so that a run refused for it leaves none.
                    JmhLock.checkFree();
                    stderr.println("Redis " + nodes.version() + ", " + (nodes.cluster() ? nodes.topology()
                            : nodes.size() + " servers") + "; " + nodes.pinning());
                    stderr.println("Results: " + runDir);
                    stderr.flush();
                    RunEnvironment environment = environment(run, cpu, nodes);
                    EnvJson.write(runDir, environment);
                    ProgressListener listener = new ProgressListener() {
                        private final ProgressPrinter printer = new ProgressPrinter(stderr);

                        @Override
                        public void caseStarted(int number, int total, String description, Duration left) {
                            // Thrown inside JMH, which gives up the step without writing it; no next case starts.
                            if (ctrlC.pressed()) {
                                throw new CancellationException("stopped by Ctrl-C");
                            }
                            printer.caseStarted(number, total, description, left);
                        }

                        @Override
                        public void stepFinished(BenchStep step, List<BenchResult> stepResults,
                                                 List<StepNoise> noise) {
                            // A step that ends after Ctrl-C lost its case in progress: it did not finish.
                            if (ctrlC.pressed()) {
                                throw new CancellationException("stopped by Ctrl-C");
                            }
                            printer.stepNoise(noise);
                            soFar.addAll(stepResults);
                            finishedFiles.add(step.id() + ".json");
                            if (step.benchmark() == Benchmarks.BASELINE) {
                                EnvJson.write(runDir, environment.withRoundTrips(RoundTrips.from(soFar)));
                            }
                        }
                    };
                    results = new BenchRunner(plan, nodes, rawDir, runDir.resolve("tmp").resolve("jmh.log"),
                            listener).run();
                    EnvJson.write(runDir, environment.withRoundTrips(RoundTrips.from(results)));
                }
            } catch (InterruptedException | RuntimeException e) {
                // After Ctrl-C, whatever failed as the servers went (or as JMH was stopped) is no result.
                if (!ctrlC.pressed()) {
                    throw e;
                }
            }
            if (ctrlC.pressed()) {
                stopped = true;
                results = List.copyOf(soFar);
                // An interrupted thread cannot write files (FileChannel closes on interrupt): clear it first.
                Thread.interrupted();
                deleteUnfinished(rawDir, finishedFiles, filesAtPress);
                stderr.println();
                stderr.println("Stopped: writing the summary of the " + finishedFiles.size() + " of "
                        + plan.steps().size() + " steps that finished");
                stderr.flush();
            }
            report(runDir, results, stopped);
            // Still inside: after a Ctrl-C the JVM exits once this closes.
            stdout.println("Run " + runId + (stopped ? " stopped after " : " took ")
                    + ProgressPrinter.format(run.elapsed()) + "; results in " + runDir);
            stdout.flush();
        }
        return stopped ? 1 : reportMissing(results);
    }

    /** Writes and prints the summary of the results in the run directory, when there are any. */
    private void report(Path runDir, List<BenchResult> results, boolean stopped) {
        if (results.isEmpty()) {
            stderr.println(stopped ? "No step finished: no report"
                    : "No benchmark produced a result: no report (see " + runDir.resolve("tmp") + "/jmh.log)");
            stderr.flush();
            return;
        }
        RunReport.Written report = RunReport.write(RunReport.withLatestSiblings(runDir));
        stdout.println();
        stdout.print(report.report().summary());
        stdout.println();
        report.report().skipped().forEach(reason -> stderr.println("Skipped " + reason));
        stderr.println("Wrote summary.md, summary.csv, verdict.md and " + report.report().files().stream()
                .filter(file -> file.toString().endsWith(".png")).count() + " charts into " + runDir);
        stderr.flush();
    }

    /**
     * After Ctrl-C, raw/ keeps only what finished: the JSON of the steps that finished and the open-loop files
     * written before (each is written whole, at the end of its sweep). JMH creates a step's file empty when the
     * step starts, and fills it when it ends, even with the cases before the interrupted one.
     */
    private void deleteUnfinished(Path rawDir, Set<String> finishedFiles, Set<String> filesAtPress) {
        Set<String> stepFiles = plan.steps().stream().map(step -> step.id() + ".json").collect(Collectors.toSet());
        for (String name : fileNames(rawDir)) {
            boolean keep = stepFiles.contains(name) ? finishedFiles.contains(name) : filesAtPress.contains(name);
            if (!keep) {
                try {
                    Files.deleteIfExists(rawDir.resolve(name));
                } catch (IOException e) {
                    stderr.println("Could not delete the unfinished " + rawDir.resolve(name) + ": " + e.getMessage());
                }
            }
        }
    }

    private static Set<String> fileNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    /**
     * Ends the benchmark JVMs JMH forked. Interrupted, JMH stops waiting for the fork in progress and closes the
     * files its output goes to; a fork left running would go on writing into them, and JMH would print a stack
     * trace for each write. The forks are this JVM's only {@code java} children (the servers are
     * {@code redis-server}).
     */
    private static void stopForks() {
        ProcessHandle.current().children()
                .filter(child -> child.info().command().map(command -> Path.of(command).getFileName().toString()
                        .equals("java")).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private void printPlan() {
        stderr.println(ConsoleText.wrapped("", "lockbench bench: " + plan.profile().id() + " profile, "
                + plan.implementations().size() + " implementations (" + String.join(", ", plan.implementations())
                + "), injected rtt " + plan.rtts().stream().map(DurationLabel::format).collect(Collectors.joining(", "))
                + "; " + plan.totalCases() + " cases, about " + ProgressPrinter.format(plan.estimate())));
        if (source.isCluster()) {
            stderr.println(ConsoleText.wrapped("", "On a Redis Cluster: every benchmark of the plan runs; the contended"
                    + " and async keys are spread over the masters round-robin, the baseline runs on the first master,"
                    + " commands are counted on every master, no latency is injected"));
        }
        plan.skipped().forEach((impl, reason) ->
                stderr.println(ConsoleText.wrapped("  skipped " + impl + ": ", reason)));
        stderr.flush();
    }

    private String startingLine() {
        if (source instanceof RedisSource.ExternalCluster) {
            return "Connecting to the Redis Cluster (" + source.describe() + ") ...";
        }
        if (source instanceof RedisSource.Cluster) {
            return "Starting a " + source.describe() + " ...";
        }
        return (source instanceof RedisSource.External ? "Connecting to " : "Starting ") + nodeCount
                + " Redis servers (" + source.describe() + ") ...";
    }


    private RunEnvironment environment(RunId.Started run, RunEnvironment.Cpu cpu, BenchNodes nodes) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("profile", plan.profile().id());
        settings.put("forks", plan.settings().forks());
        settings.put("warmup", plan.settings().warmupIterations() + " x " + plan.settings().warmupTime());
        settings.put("measurement", plan.settings().measurementIterations() + " x "
                + plan.settings().measurementTime());
        settings.put("injectedRtt", plan.rtts().stream().map(DurationLabel::format).toList());
        settings.put("steps", plan.steps().stream().map(BenchStep::describe).toList());
        if (!plan.skipped().isEmpty()) {
            settings.put("skipped", plan.skipped());
        }
        plan.openLoop().ifPresent(loop -> settings.put("openLoop", Map.of("rates", loop.rates(),
                "durationPerRate", loop.duration().toString(), "workers", loop.workers())));
        return new RunEnvironment(run.id(), run.time().toString(), command, cpu, EnvironmentProbe.os(),
                EnvironmentProbe.jvm(), new RunEnvironment.Redis(nodes.version(), nodes.sourceDescription(),
                nodes.size(), nodes.pinning(), nodes.topology()), EnvironmentProbe.libraryVersions(LIBRARIES), Map.of(), Map.of(), run.git(),
                plan.implementations(), settings);
    }

    /** Says which implementations are missing from which benchmarks; 1 when any are. */
    private int reportMissing(List<BenchResult> results) {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (BenchStep step : plan.steps()) {
            if (!step.benchmark().perImplementation()) {
                continue;
            }
            String benchmark = step.benchmark().type().getName() + "." + step.method();
            Set<String> present = results.stream().filter(result -> result.benchmark().equals(benchmark)
                            && result.threads() == step.threads()
                            && result.mode().equals(step.mode().shortLabel())
                            && result.param("rtt").orElse("").equals(DurationLabel.format(step.rtt())))
                    .map(result -> result.param("impl").orElse("")).collect(Collectors.toSet());
            for (String impl : step.implementations()) {
                if (!present.contains(impl)) {
                    missing.computeIfAbsent(impl, key -> new TreeSet<>()).add(step.describe());
                }
            }
        }
        if (missing.isEmpty()) {
            return 0;
        }
        stderr.println();
        missing.forEach((impl, steps) -> stderr.println("No results for " + impl + " in: " + String.join("; ", steps)
                + " (see tmp/jmh.log)"));
        stderr.flush();
        return 1;
    }
}
