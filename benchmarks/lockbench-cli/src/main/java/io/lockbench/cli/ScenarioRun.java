package io.lockbench.cli;

import io.lockbench.fixture.RedisNodes;
import io.lockbench.fixture.RedisSource;
import io.lockbench.report.EnvJson;
import io.lockbench.report.EnvironmentProbe;
import io.lockbench.report.RunEnvironment;
import io.lockbench.scenario.Scenario;
import io.lockbench.scenario.ScenarioEnvironment;
import io.lockbench.scenario.ScenarioResult;
import io.lockbench.scenario.ScenariosCsv;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code lockbench scenario} run: writes {@code env.json}, runs each story with progress lines, prints its
 * outcomes side by side, and writes {@code scenarios.csv} after each story (so an interrupted run keeps what
 * finished). Exit code 1 when a story did not go as it must, or failed to run.
 */
final class ScenarioRun {

    private final List<Scenario> scenarios;
    private final List<String> implementations;
    private final RedisSource source;
    private final Path out;
    private final String command;
    private final PrintWriter stdout;
    private final PrintWriter stderr;

    ScenarioRun(List<Scenario> scenarios, List<String> implementations, RedisSource source, Path out, String command,
                PrintWriter stdout, PrintWriter stderr) {
        this.scenarios = scenarios;
        this.implementations = implementations;
        this.source = source;
        this.out = out;
        this.command = command;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs it.
     *
     * @return the exit code: 0, or 1 when a story went otherwise than it must or could not run
     * @throws InterruptedException when interrupted
     */
    int execute() throws InterruptedException {
        RunId.Started run = RunId.start(out);
        String runId = run.id();
        Path runDir = run.dir();
        long startNanos = run.nanos();
        EnvJson.write(runDir, environment(run));
        say("lockbench scenario: " + String.join(", ", scenarios.stream().map(Scenario::id).toList())
                + "; results in " + runDir);
        stdout.println("FAILS: the story's failure, which the naive setup must show; ok: none, as a correct setup"
                + " must show.");
        ScenarioEnvironment environment = new ScenarioEnvironment(source, line -> say("  " + elapsed(startNanos)
                + " " + line));
        List<ScenarioResult> all = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            say(elapsed(startNanos) + " " + scenario.id() + " ...");
            List<ScenarioResult> results;
            try {
                results = scenario.run(implementations.isEmpty() ? scenario.defaultImplementations() : implementations,
                        environment);
            } catch (RuntimeException e) {
                problems.add(scenario.id() + ": could not run: " + e.getMessage());
                say(scenario.id() + ": could not run: " + e.getMessage());
                continue;
            }
            all.addAll(results);
            ScenariosCsv.write(runDir, all);
            stdout.println();
            stdout.println(scenario.id() + ": " + scenario.description());
            stdout.print(ScenarioTable.render(results));
            stdout.flush();
            results.stream().map(ScenarioResult::problem).flatMap(Optional::stream).forEach(problems::add);
        }
        stdout.println();
        stdout.println("Run " + runId + " took " + ProgressPrinter.format(Duration.ofNanos(System.nanoTime()
                - startNanos)) + "; " + runDir.resolve(ScenariosCsv.FILE_NAME));
        stdout.flush();
        if (problems.isEmpty()) {
            return 0;
        }
        problems.forEach(problem -> stderr.println("NOT AS THE STORY SAYS: " + problem));
        stderr.flush();
        return 1;
    }

    private RunEnvironment environment(RunId.Started run) {
        String version;
        try (RedisNodes probe = RedisNodes.start(1, source)) {
            version = probe.node(0).version();
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("scenarios", scenarios.stream().map(Scenario::id).toList());
        for (Scenario scenario : scenarios) {
            settings.put(scenario.id(), scenario.description());
        }
        return new RunEnvironment(run.id(), run.time().toString(), command, EnvironmentProbe.cpu(), EnvironmentProbe.os(),
                EnvironmentProbe.jvm(), new RunEnvironment.Redis(version, source.describe(), 1,
                "not pinned; one server per implementation and story"),
                EnvironmentProbe.libraryVersions(BenchRun.LIBRARIES), Map.of(), Map.of(), run.git(), implementations.isEmpty()
                ? scenarios.stream().flatMap(s -> s.defaultImplementations().stream()).distinct().toList()
                : implementations, settings);
    }

    private void say(String line) {
        stderr.println(line);
        stderr.flush();
    }

    private static String elapsed(long startNanos) {
        return "[" + ProgressPrinter.format(Duration.ofNanos(System.nanoTime() - startNanos)) + "]";
    }
}
