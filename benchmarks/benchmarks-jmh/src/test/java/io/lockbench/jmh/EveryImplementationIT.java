package io.lockbench.jmh;

import io.lockbench.api.LockServices;
import io.lockbench.fixture.RedisSource;
import io.lockbench.report.BenchResult;
import io.lockbench.report.RoundTrips;
import io.lockbench.report.StepNoise;
import io.lockbench.report.Summary;
import io.lockbench.report.SummaryRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness check: one short contended run (one fork, one 100 ms warmup, one 200 ms measurement) of every
 * implementation on the classpath, and one async run of those with an async API, through the same runner, servers,
 * proxies and forks as {@code lockbench bench}. It asserts that each implementation produced a result and a noise
 * record, not how fast it was.
 */
class EveryImplementationIT {

    private static final RunSettings TINY = new RunSettings(1, 1, Duration.ofMillis(100), 1, Duration.ofMillis(200));
    private static final Duration INJECTED = Duration.ofNanos(500_000);

    @BeforeAll
    static void runBesideOtherJmhRuns() {
        // JMH refuses to start while another run holds its lock file (a `lockbench bench` beside the build);
        // this smoke test measures nothing, so it may share the machine.
        System.setProperty("jmh.ignoreLock", "true");
    }

    @Test
    void everyRegisteredImplementationComesBackWithResults(@TempDir Path dir) throws InterruptedException {
        List<String> implementations = LockServices.names();
        assertThat(implementations).as("registered implementations").contains("naive-setnx", "naive-pexpire");

        List<String> async = implementations.stream().filter(Benchmarks.ASYNC::runsOn).toList();
        assertThat(async).as("implementations with an async API").contains("lettuce");
        List<BenchStep> steps = List.of(
                new BenchStep(Benchmarks.BASELINE, "ping", Mode.SampleTime, 1, Duration.ZERO,
                        Map.of("client", List.of(RoundTripClient.JEDIS)), List.of()),
                new BenchStep(Benchmarks.BASELINE, "lockCycle", Mode.Throughput, 1, Duration.ZERO,
                        Map.of("client", List.of(RoundTripClient.JEDIS, RoundTripClient.LETTUCE)), List.of()),
                new BenchStep(Benchmarks.CONTENDED, "cycle", Mode.SampleTime, 2, Duration.ZERO,
                        Map.of("keys", List.of("1"), "hold", List.of("100us")), implementations),
                new BenchStep(Benchmarks.ASYNC, "cycle", Mode.Throughput, 1, Duration.ZERO,
                        Map.of("keys", List.of("1"), "inFlight", List.of("16")), async),
                new BenchStep(Benchmarks.BASELINE, "ping", Mode.SampleTime, 1, INJECTED,
                        Map.of("client", List.of(RoundTripClient.JEDIS)), List.of()));
        BenchPlan plan = new BenchPlan(Profile.QUICK, TINY, implementations, List.of(Duration.ZERO, INJECTED), steps,
                Optional.empty());
        List<String> progress = new ArrayList<>();

        List<BenchResult> results;
        try (BenchNodes nodes = BenchNodes.start(RedisSource.fromEnvironment(), BenchNodes.QUORUM_NODES, false)) {
            results = new BenchRunner(plan, nodes, dir.resolve("raw"), dir.resolve("jmh.log"),
                    (number, total, description, left) -> progress.add(number + "/" + total + " " + description))
                    .run();
        }

        assertThat(progress).hasSize(plan.totalCases());
        assertThat(dir.resolve("raw").resolve(steps.get(1).id() + ".json")).exists();
        for (String impl : implementations) {
            assertThat(results).as("contended results of %s (see %s)", impl, dir.resolve("jmh.log"))
                    .filteredOn(result -> result.shortName().equals("ContendedBenchmark.cycle")
                            && result.param("impl").orElse("").equals(impl))
                    .singleElement()
                    .satisfies(result -> {
                        assertThat(result.primary().score()).isPositive();
                        assertThat(result.secondary("acquired").orElseThrow().score()).isPositive();
                        assertThat(result.secondary("commandsPerSection").orElseThrow().score()).isPositive();
                    });
        }
        // One hot key, 16 acquires in flight: the sections queue for it, and each one is counted once it is released.
        assertThat(results).filteredOn(result -> result.shortName().equals("AsyncBenchmark.cycle"))
                .extracting(result -> result.param("impl").orElse("")).containsExactlyInAnyOrderElementsOf(async);
        assertThat(results).filteredOn(result -> result.shortName().equals("AsyncBenchmark.cycle"))
                .allSatisfy(result -> {
                    assertThat(result.primary().score()).isPositive();
                    assertThat(result.secondary("acquired").orElseThrow().score()).isPositive();
                    assertThat(result.secondary("commandsPerSection").orElseThrow().score()).isPositive();
                });
        // The hand-written lock of both clients: each cycle's release found its own token.
        assertThat(results).filteredOn(result -> result.shortName().equals("BaselineBenchmark.lockCycle"))
                .extracting(result -> result.param("client").orElse(""))
                .containsExactlyInAnyOrder(RoundTripClient.JEDIS, RoundTripClient.LETTUCE);
        assertThat(results).filteredOn(result -> result.shortName().equals("BaselineBenchmark.lockCycle"))
                .allSatisfy(result -> assertThat(result.primary().score()).isPositive());
        RoundTrips roundTrips = RoundTrips.from(results);
        assertThat(roundTrips.nanos("0")).isPresent();
        // The proxy adds at least half the injected latency each way; a harness check, not a timing target.
        assertThat(roundTrips.nanos("500us").orElseThrow()).isGreaterThan(400_000);
        for (BenchStep step : steps) {
            // One record per case, written by its fork: a PING at each end through the case's own client.
            assertThat(StepNoise.read(StepNoise.file(dir, step.id()))).as("noise of %s", step.id())
                    .hasSize(step.cases())
                    .allSatisfy(record -> {
                        assertThat(record.pingStartNanos()).isPositive();
                        assertThat(record.pingEndNanos()).isPositive();
                        assertThat(record.client()).isIn(RoundTripClient.JEDIS, RoundTripClient.LETTUCE);
                        if (Files.isReadable(Path.of("/proc/stat"))) {
                            assertThat(record.cpus()).isPositive();
                            assertThat(record.steal()).isBetween(0.0, 1.0);
                        }
                    });
        }
        List<SummaryRow> rows = Summary.rows(results, StepNoise.readRun(dir));
        assertThat(rows).filteredOn(row -> row.scenario().startsWith("contended"))
                .extracting(SummaryRow::implementation).containsExactlyInAnyOrderElementsOf(implementations);
        assertThat(rows).filteredOn(row -> row.scenario().startsWith("contended"))
                .allSatisfy(row -> assertThat(row.noise()).as(row.implementation()).hasSize(1)
                        .allSatisfy(record -> assertThat(record.client()).isEqualTo(NoiseProbe.clientOf(
                                row.implementation()))));
        assertThat(Files.exists(dir.resolve("jmh.log"))).isTrue();
    }
}
