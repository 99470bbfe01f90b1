package io.lockbench.jmh;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchPlanTest {

    private static final List<String> SIX = List.of("jedis", "lettuce", "naive-pexpire", "naive-setnx", "redisson",
            "redlock");

    @Test
    void quickKeepsEveryImplementationToAFewMinutes() {
        BenchPlan plan = BenchPlan.jmh(Profile.QUICK, Profile.QUICK.settings(), SIX, List.of(), List.of(), Set.of());

        assertThat(plan.rtts()).containsExactly(Duration.ZERO, Duration.ofNanos(500_000));
        assertThat(plan.steps()).extracting(BenchStep::id).containsExactly(
                "baseline-ping-sample-t1-rtt0",
                "baseline-lockCycle-sample-t1-rtt0",
                "uncontended-sample-t1-rtt0",
                "contended-sample-t4-rtt0",
                "handoff-thrpt-t2-rtt0",
                "extend-sample-t1-rtt0",
                "async-thrpt-t1-rtt0",
                "baseline-ping-sample-t1-rtt500us",
                "baseline-lockCycle-sample-t1-rtt500us",
                "uncontended-sample-t1-rtt500us");
        // 2 + 2 + 6 + 12 + 6 + 6 + 2 (lettuce alone, on 1 and 16 keys) + 2 + 2 + 6 cases
        assertThat(plan.totalCases()).isEqualTo(46);
        assertThat(plan.estimate()).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(5));
    }

    @Test
    void theBaselineAlwaysRunsAndThreadsOverrideTheProfile() {
        BenchPlan plan = BenchPlan.jmh(Profile.STANDARD, Profile.STANDARD.settings(), List.of("jedis"), List.of(2, 8),
                List.of(Duration.ZERO), EnumSet.of(Benchmarks.CONTENDED));

        assertThat(plan.steps()).extracting(BenchStep::id).containsExactly(
                "baseline-ping-thrpt-t1-rtt0", "baseline-ping-sample-t1-rtt0",
                "baseline-lockCycle-thrpt-t1-rtt0", "baseline-lockCycle-sample-t1-rtt0",
                "contended-thrpt-t2-rtt0", "contended-sample-t2-rtt0",
                "contended-thrpt-t8-rtt0", "contended-sample-t8-rtt0");
        assertThat(plan.steps().get(4).params()).containsEntry("keys", List.of("1", "16"))
                .containsEntry("hold", List.of("0", "100us", "1ms"));
        assertThat(plan.steps().get(4).cases()).isEqualTo(6);
    }

    @Test
    void keysAndHoldsOverrideTheProfilesContendedShape() {
        BenchPlan plan = BenchPlan.jmh(Profile.QUICK, Profile.QUICK.settings(), List.of("jedis"), List.of(5),
                List.of(Duration.ZERO), EnumSet.of(Benchmarks.CONTENDED), List.of(1), List.of(Duration.ofMillis(50)));

        assertThat(plan.steps()).filteredOn(step -> step.benchmark() == Benchmarks.CONTENDED).isNotEmpty()
                .allSatisfy(step -> assertThat(step.params()).containsEntry("keys", List.of("1"))
                        .containsEntry("hold", List.of("50ms")));
    }

    @Test
    void theLargerProfilesRunEverythingAtEveryLatency() {
        BenchPlan plan = BenchPlan.jmh(Profile.FULL, Profile.FULL.settings(), List.of("jedis"), List.of(),
                List.of(), Set.of());

        assertThat(plan.steps(Duration.ofNanos(500_000))).extracting(step -> step.benchmark().id()).contains(
                "baseline", "uncontended", "contended", "handoff", "extend");
        assertThat(plan.steps()).filteredOn(step -> step.benchmark() == Benchmarks.CONTENDED)
                .extracting(BenchStep::threads).containsOnly(1, 4, 16, 64);
        assertThat(plan.steps()).filteredOn(step -> step.benchmark() == Benchmarks.BASELINE)
                .extracting(BenchStep::method).contains("ping", "lockCycle", "setDel");
    }

    @Test
    void asyncRunsOnlyOnImplementationsThatDeclareItAndNotAtAllWithoutOne() {
        BenchPlan plan = BenchPlan.jmh(Profile.STANDARD, Profile.STANDARD.settings(), List.of("jedis", "lettuce",
                "redisson"), List.of(), List.of(), EnumSet.of(Benchmarks.ASYNC));

        assertThat(plan.steps()).filteredOn(step -> step.benchmark() == Benchmarks.ASYNC)
                .extracting(BenchStep::id).containsExactly("async-thrpt-t1-rtt0", "async-thrpt-t1-rtt500us");
        assertThat(plan.steps()).filteredOn(step -> step.benchmark() == Benchmarks.ASYNC).allSatisfy(step -> {
            assertThat(step.implementations()).containsExactly("lettuce");
            assertThat(step.params()).containsEntry("keys", List.of("1", "16"))
                    .containsEntry("inFlight", List.of("16"));
            assertThat(step.cases()).isEqualTo(2);
        });
        assertThat(BenchPlan.jmh(Profile.STANDARD, Profile.STANDARD.settings(), List.of("jedis", "redisson"),
                List.of(), List.of(), Set.of()).steps()).extracting(BenchStep::benchmark)
                .doesNotContain(Benchmarks.ASYNC).contains(Benchmarks.EXTEND);
    }

    @Test
    void openLoopMeasuresTheBaselineThenTheSweep() {
        OpenLoop.Settings sweep = new OpenLoop.Settings(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(2), 8);
        BenchPlan plan = BenchPlan.openLoop(Profile.QUICK, List.of("jedis", "redisson"), List.of(Duration.ZERO), sweep);

        assertThat(plan.steps()).extracting(BenchStep::id).containsExactly("baseline-ping-sample-t1-rtt0");
        assertThat(plan.totalCases()).isEqualTo(2 + 2 * OpenLoop.Settings.DEFAULT_FRACTIONS.size());
        assertThat(sweep.ratesFor(10_000)).containsExactly(500.0, 1_000.0, 2_500.0, 5_000.0, 10_000.0, 15_000.0);
        assertThat(new OpenLoop.Settings(List.of(100.0), Duration.ZERO, Duration.ofSeconds(1), 1).ratesFor(10_000))
                .containsExactly(100.0);
    }

    @Test
    void aStepSelectsExactlyOneMethod() {
        BenchStep step = new BenchStep(Benchmarks.BASELINE, "setDel", Mode.SampleTime, 1, Duration.ofMillis(2),
                Map.of("client", List.of("jedis")), List.of());

        assertThat(step.id()).isEqualTo("baseline-setDel-sample-t1-rtt2ms");
        assertThat("io.lockbench.jmh.BaselineBenchmark.setDel").matches(step.includePattern());
        assertThat("io.lockbench.jmh.BaselineBenchmark.setDelX").doesNotMatch(step.includePattern());
        assertThat(step.describe()).isEqualTo("baseline-setDel sample, 1 thread, rtt 2ms, client=[jedis]");
        assertThatThrownBy(() -> new BenchStep(Benchmarks.EXTEND, "cycle", Mode.SampleTime, 1, Duration.ZERO,
                Map.of(), List.of("jedis"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BenchStep(Benchmarks.EXTEND, "extend", Mode.SampleTime, 1, Duration.ZERO,
                Map.of(), List.of())).hasMessageContaining("extend runs per implementation");
        assertThatThrownBy(() -> new BenchStep(Benchmarks.BASELINE, "ping", Mode.SampleTime, 1, Duration.ZERO,
                Map.of(), List.of("jedis"))).hasMessageContaining("baseline runs per client library");
        assertThatThrownBy(() -> Benchmarks.byId("nope")).hasMessageContaining("contended");
    }

    @Test
    void refusesAnEmptyPlan() {
        assertThatThrownBy(() -> BenchPlan.jmh(Profile.QUICK, Profile.QUICK.settings(), List.of(), List.of(),
                List.of(), Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchPlan.jmh(Profile.QUICK, Profile.QUICK.settings(), SIX, List.of(),
                List.of(Duration.ZERO, Duration.ZERO), Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onAClusterOnlyImplementationsThatDeclareItRunAndTheOthersSayWhyNot() {
        BenchPlan plan = BenchPlan.jmh(Profile.QUICK, Profile.QUICK.settings(), List.of("jedis", "redlock", "lettuce",
                "naive-setnx"), List.of(), List.of(Duration.ZERO), Set.of()).onCluster();

        assertThat(plan.implementations()).containsExactly("jedis", "lettuce");
        assertThat(plan.skipped()).containsOnlyKeys("redlock", "naive-setnx");
        assertThat(plan.skipped().get("redlock")).startsWith("not on a Redis Cluster: ").contains("independent");
        assertThat(plan.steps()).filteredOn(step -> step.benchmark().perImplementation())
                .allSatisfy(step -> assertThat(step.implementations()).isSubsetOf("jedis", "lettuce"));
        assertThat(plan.steps()).extracting(BenchStep::benchmark).contains(Benchmarks.BASELINE,
                Benchmarks.UNCONTENDED, Benchmarks.CONTENDED, Benchmarks.HANDOFF, Benchmarks.EXTEND, Benchmarks.ASYNC);
    }

    @Test
    void aClusterRunRefusesInjectedLatencyAndAPlanWithNothingToRun() {
        BenchPlan latency = BenchPlan.jmh(Profile.QUICK, Profile.QUICK.settings(), List.of("jedis"), List.of(),
                List.of(), Set.of());
        assertThatThrownBy(latency::onCluster).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rtts: a Redis Cluster run injects no latency");
        BenchPlan redlock = BenchPlan.jmh(Profile.QUICK, Profile.QUICK.settings(), List.of("redlock"), List.of(),
                List.of(Duration.ZERO), Set.of());
        assertThatThrownBy(redlock::onCluster).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none of [redlock] runs on a Redis Cluster").hasMessageContaining("quorum");
    }
}
