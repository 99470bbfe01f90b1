package io.lockbench.jmh;

import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.report.BenchResult;
import io.lockbench.report.Bound;
import io.lockbench.report.DurationLabel;
import io.lockbench.report.JmhJson;
import io.lockbench.report.RoundTrips;
import io.lockbench.report.StepNoise;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a {@link BenchPlan} against servers already started: one JMH run per step, each writing its JMH JSON
 * into the raw directory, then the open-loop sweep. The forks learn where the servers are from a system
 * property ({@link Endpoints}); they start none of their own. Each case's fork also records how noisy the machine
 * was around it ({@link NoiseProbe}) into {@code noise/<step-id>.jsonl} beside the raw directory. JMH's own output
 * goes to a log file; the caller hears of each case through a {@link ProgressListener}.
 */
public final class BenchRunner {

    /** How long one JMH iteration may overrun before JMH interrupts the benchmark threads. */
    private static final TimeValue ITERATION_TIMEOUT = TimeValue.seconds(30);

    /** JVM options for every fork: library logging at WARN, a fixed heap so runs compare. */
    private static final List<String> FORK_JVM_ARGS = List.of("-Xms512m", "-Xmx512m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private final BenchPlan plan;
    private final BenchNodes nodes;
    private final Path rawDir;
    private final Path logFile;
    private final ProgressListener listener;

    private long startNanos;
    private int casesStarted;

    /**
     * @param plan what to run
     * @param nodes the servers to run it against
     * @param rawDir where the JMH JSON files go; created when missing
     * @param logFile where JMH's own text output goes (appended)
     * @param listener told as each case starts and each step ends
     */
    public BenchRunner(BenchPlan plan, BenchNodes nodes, Path rawDir, Path logFile, ProgressListener listener) {
        this.plan = plan;
        this.nodes = nodes;
        this.rawDir = rawDir;
        this.logFile = logFile;
        this.listener = listener;
    }

    /**
     * Runs the plan.
     *
     * @return every result, also written to the raw directory; a case that failed has none
     * @throws IllegalStateException when JMH refuses a step (such as no benchmark matching), with its reason
     * @throws UncheckedIOException when the raw directory or the log cannot be written
     * @throws InterruptedException when interrupted during the open-loop sweep
     */
    public List<BenchResult> run() throws InterruptedException {
        try {
            Files.createDirectories(rawDir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + rawDir, e);
        }
        startNanos = System.nanoTime();
        casesStarted = 0;
        List<BenchResult> results = new ArrayList<>();
        try (PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true,
                StandardCharsets.UTF_8)) {
            for (Duration rtt : plan.rtts()) {
                Endpoints endpoints = nodes.endpoints(rtt);
                for (BenchStep step : plan.steps(rtt)) {
                    Path noise = StepNoise.file(rawDir.toAbsolutePath().getParent(), step.id());
                    List<BenchResult> stepResults = runStep(step, endpoints, noise, log);
                    results.addAll(stepResults);
                    listener.stepFinished(step, stepResults, Files.exists(noise) ? StepNoise.read(noise) : List.of());
                }
                if (plan.openLoop().isPresent()) {
                    results.addAll(runOpenLoop(plan.openLoop().get(), rtt, endpoints, results, log));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + logFile, e);
        }
        return results;
    }

    private List<BenchResult> runStep(BenchStep step, Endpoints endpoints, Path noise, PrintStream log) {
        Path out = rawDir.resolve(step.id() + ".json");
        try {
            // The forks append: a file left by an earlier attempt in this directory must not add its records.
            Files.deleteIfExists(noise);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot replace " + noise, e);
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(step.includePattern())
                .mode(step.mode())
                .timeUnit(step.mode() == Mode.Throughput ? TimeUnit.SECONDS : TimeUnit.MICROSECONDS)
                .threads(step.threads())
                .forks(plan.settings().forks())
                .warmupIterations(plan.settings().warmupIterations())
                .warmupTime(millis(plan.settings().warmupTime()))
                .measurementIterations(plan.settings().measurementIterations())
                .measurementTime(millis(plan.settings().measurementTime()))
                .timeout(ITERATION_TIMEOUT)
                .shouldFailOnError(false)
                .param("rtt", DurationLabel.format(step.rtt()))
                .resultFormat(ResultFormatType.JSON)
                .result(out.toString());
        if (step.benchmark().perImplementation()) {
            options.param("impl", step.implementations().toArray(String[]::new));
        }
        step.params().forEach((name, values) -> options.param(name, values.toArray(String[]::new)));
        List<String> jvmArgs = new ArrayList<>(FORK_JVM_ARGS);
        jvmArgs.add("-D" + Endpoints.PROPERTY + "=" + endpoints.encode());
        jvmArgs.add("-D" + NoiseProbe.PROPERTY + "=" + noise);
        options.jvmArgsAppend(jvmArgs.toArray(String[]::new));

        String previous = System.getProperty(Endpoints.PROPERTY);
        String previousNoise = System.getProperty(NoiseProbe.PROPERTY);
        // With no forks the benchmarks run in this JVM and read the properties here.
        System.setProperty(Endpoints.PROPERTY, endpoints.encode());
        System.setProperty(NoiseProbe.PROPERTY, noise.toString());
        // JMH echoes what the forks print (library warnings, stack traces) to System.out and System.err:
        // into the log with it, so that the console keeps only the progress lines.
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(log);
        System.setErr(log);
        try {
            new Runner(options.build(), new ProgressFormat(log, this::caseStarted)).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH could not run " + step.describe() + ": " + e.getMessage(), e);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            restore(Endpoints.PROPERTY, previous);
            restore(NoiseProbe.PROPERTY, previousNoise);
        }
        return Files.exists(out) ? JmhJson.read(out) : List.of();
    }

    private List<BenchResult> runOpenLoop(OpenLoop.Settings settings, Duration rtt, Endpoints endpoints,
                                          List<BenchResult> earlier, PrintStream log) throws InterruptedException {
        String label = DurationLabel.format(rtt);
        OptionalDouble rttNanos = RoundTrips.from(earlier).nanos(label);
        if (settings.rates().isEmpty() && rttNanos.isEmpty()) {
            log.println("open loop at rtt=" + label + " skipped: no baseline round trip to derive rates from");
            return List.of();
        }
        List<Double> rates = settings.ratesFor(rttNanos.isPresent()
                ? Bound.opsPerSecond(1, 2, rttNanos.getAsDouble(), 0) : 0);
        List<BenchResult> results = new ArrayList<>();
        for (String impl : plan.implementations()) {
            try (LockService service = LockServices.create(impl, endpoints.settings(label))) {
                String key = endpoints.keyPrefix() + "open-loop:" + impl;
                if (!settings.warmup().isZero()) {
                    OpenLoop.run(service, impl, label, key, rates.get(0), settings.warmup(), settings.workers());
                }
                for (double rate : rates) {
                    caseStarted(String.format(Locale.ROOT, "open-loop impl=%s rate=%.0f/s rtt=%s", impl, rate, label));
                    BenchResult result = OpenLoop.run(service, impl, label, key, rate, settings.duration(),
                            settings.workers());
                    log.println(result);
                    results.add(result);
                }
            } catch (RuntimeException e) {
                log.println("open loop of " + impl + " at rtt=" + label + " failed: " + e);
                e.printStackTrace(log);
            }
        }
        JmhJson.write(rawDir.resolve("open-loop-rtt" + label + ".json"), results);
        return results;
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }

    private void caseStarted(BenchmarkParams params) {
        StringBuilder description = new StringBuilder(shortName(params.getBenchmark())).append(' ')
                .append(params.getMode().shortLabel()).append(" t=").append(params.getThreads());
        for (String key : params.getParamsKeys()) {
            description.append(' ').append(key).append('=').append(params.getParam(key));
        }
        caseStarted(description.toString());
    }

    private void caseStarted(String description) {
        casesStarted++;
        int total = plan.totalCases();
        int remaining = total - casesStarted + 1;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        Duration perCase = casesStarted > 1 ? elapsed.dividedBy(casesStarted - 1) : plan.estimate().dividedBy(total);
        listener.caseStarted(casesStarted, total, description, perCase.multipliedBy(remaining));
    }

    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        return benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1);
    }

    private static TimeValue millis(Duration duration) {
        return TimeValue.milliseconds(duration.toMillis());
    }
}
