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

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One {@code lockbench bench} run: starts the servers, writes {@code env.json}, runs the plan with a progress
 * line per case and a noise line per step (flagging the cases whose round trip drifted or that ran beside other
 * load), and prints the summary. Results go to {@code <out>/<run-id>/}: {@code raw/*.json} (JMH JSON),
 * {@code noise/*.jsonl}, {@code env.json}, {@code summary.md}, and JMH's own log under {@code tmp/}.
 */
final class BenchRun {

    /** Libraries whose versions {@code env.json} records. */
    static final List<String> LIBRARIES = List.of("redis.clients:jedis", "io.lettuce:lettuce-core",
            "org.redisson:redisson", "io.netty:netty-handler", "org.apache.commons:commons-pool2",
            "org.openjdk.jmh:jmh-core", "org.hdrhistogram:HdrHistogram", "com.github.codemonstur:embedded-redis");

    private final BenchPlan plan;
    private final RedisSource source;
    private final Path out;
    private final boolean pin;
    private final String command;
    private final PrintWriter stdout;
    private final PrintWriter stderr;

    BenchRun(BenchPlan plan, RedisSource source, Path out, boolean pin, String command, PrintWriter stdout,
             PrintWriter stderr) {
        this.plan = plan;
        this.source = source;
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
     * @return the exit code: 0, or 1 when some cases produced no result
     * @throws InterruptedException when interrupted
     */
    int execute(boolean dryRun) throws InterruptedException {
        printPlan();
        if (dryRun) {
            for (BenchStep step : plan.steps()) {
                stderr.println("  " + step.describe() + "  (" + step.cases(plan.implementations().size()) + " cases)");
            }
            plan.openLoop().ifPresent(loop -> stderr.println("  open loop at rates " + (loop.rates().isEmpty()
                    ? "0.25x to 1.5x the bound" : loop.rates()) + ", " + loop.duration().toSeconds() + "s each"));
            stderr.flush();
            return 0;
        }
        RunId.Started run = RunId.start(out);
        String runId = run.id();
        Path runDir = run.dir();
        // Before pinning, which leaves this JVM fewer CPUs than the machine has.
        RunEnvironment.Cpu cpu = EnvironmentProbe.cpu();
        stderr.println((source instanceof RedisSource.External ? "Connecting to " : "Starting ") + nodeCount()
                + " Redis servers (" + source.describe() + ") ...");
        stderr.flush();
        List<BenchResult> results;
        try (BenchNodes nodes = BenchNodes.start(source, nodeCount(), pin)) {
            stderr.println("Redis " + nodes.version() + ", " + nodes.size() + " servers; " + nodes.pinning());
            stderr.println("Results: " + runDir);
            stderr.flush();
            RunEnvironment environment = environment(run, cpu, nodes);
            EnvJson.write(runDir, environment);
            List<BenchResult> soFar = new ArrayList<>();
            ProgressListener listener = new ProgressListener() {
                private final ProgressPrinter printer = new ProgressPrinter(stderr);

                @Override
                public void caseStarted(int number, int total, String description, Duration left) {
                    printer.caseStarted(number, total, description, left);
                }

                @Override
                public void stepFinished(BenchStep step, List<BenchResult> stepResults, List<StepNoise> noise) {
                    printer.stepNoise(noise);
                    soFar.addAll(stepResults);
                    if (step.benchmark() == Benchmarks.BASELINE) {
                        EnvJson.write(runDir, environment.withRoundTrips(RoundTrips.from(soFar)));
                    }
                }
            };
            results = new BenchRunner(plan, nodes, runDir.resolve("raw"), runDir.resolve("tmp").resolve("jmh.log"),
                    listener).run();
            EnvJson.write(runDir, environment.withRoundTrips(RoundTrips.from(results)));
        }
        if (results.isEmpty()) {
            stderr.println("No benchmark produced a result: no report (see " + runDir.resolve("tmp") + "/jmh.log)");
        } else {
            RunReport.Written report = RunReport.write(RunReport.withLatestSiblings(runDir));
            stdout.println();
            stdout.print(report.report().summary());
            stdout.println();
            report.report().skipped().forEach(reason -> stderr.println("Skipped " + reason));
            stderr.println("Wrote summary.md, summary.csv, verdict.md and " + report.report().files().stream()
                    .filter(file -> file.toString().endsWith(".png")).count() + " charts into " + runDir);
            stderr.flush();
        }
        stdout.println("Run " + runId + " took " + ProgressPrinter.format(run.elapsed()) + "; results in " + runDir);
        stdout.flush();
        return reportMissing(results);
    }

    private void printPlan() {
        stderr.println("lockbench bench: " + plan.profile().id() + " profile, " + plan.implementations().size()
                + " implementations (" + String.join(", ", plan.implementations()) + "), injected rtt "
                + plan.rtts().stream().map(DurationLabel::format).collect(Collectors.joining(", ")) + "; "
                + plan.totalCases() + " cases, about " + ProgressPrinter.format(plan.estimate()));
        stderr.flush();
    }

    /** Quorum implementations need three servers; an external source may list fewer, and then gets what it has. */
    private int nodeCount() {
        if (source instanceof RedisSource.External external) {
            return Math.min(BenchNodes.QUORUM_NODES, external.uris().size());
        }
        return BenchNodes.QUORUM_NODES;
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
        plan.openLoop().ifPresent(loop -> settings.put("openLoop", Map.of("rates", loop.rates(),
                "durationPerRate", loop.duration().toString(), "workers", loop.workers())));
        return new RunEnvironment(run.id(), run.time().toString(), command, cpu, EnvironmentProbe.os(),
                EnvironmentProbe.jvm(), new RunEnvironment.Redis(nodes.version(), nodes.sourceDescription(),
                nodes.size(), nodes.pinning()), EnvironmentProbe.libraryVersions(LIBRARIES), Map.of(), run.git(),
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
            for (String impl : plan.implementations()) {
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
