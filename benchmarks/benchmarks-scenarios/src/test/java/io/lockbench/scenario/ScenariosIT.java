package io.lockbench.scenario;

import io.lockbench.fixture.RedisSource;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each story in a short form (short ttls, small stocks) on real Redis: the naive setup shows the story's failure,
 * the correct ones show none. Counts and bounds only, no latency targets.
 */
class ScenariosIT {

    private static final ScenarioEnvironment ENVIRONMENT = new ScenarioEnvironment(RedisSource.fromEnvironment(),
            line -> { });

    /** Every scenario closes what it started: its workers, pods, watchdogs and the services' own threads. */
    @AfterEach
    void leavesNoThreadBehind() {
        Await.until(Duration.ofSeconds(10), () -> lockbenchThreads().isEmpty(),
                "no lockbench thread left after the scenario; still running: " + lockbenchThreads());
    }

    private static String lockbenchThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("lockbench-")).sorted().collect(Collectors.joining(", "));
    }

    @Test
    void bonusIsPaidTwiceByTheNaiveLockAndOnceWithFencingAndAWatchdog() throws InterruptedException {
        BonusScenario bonus = new BonusScenario(new BonusScenario.Timing(Duration.ofMillis(1500), 4));

        List<ScenarioResult> results = bonus.run(List.of("naive-setnx", "jedis", "lettuce", "redisson"), ENVIRONMENT);

        ScenarioResult naive = result(results, "naive-setnx", "");
        assertThat(value(naive, "paid_twice")).as("both stalled tasks paid twice").isEqualTo(2);
        assertThat(value(naive, "tasks_paid")).isEqualTo(4);
        for (String impl : List.of("jedis", "lettuce", "redisson")) {
            ScenarioResult correct = result(results, impl, "");
            assertThat(value(correct, "paid_twice")).as(impl + ": paid twice").isZero();
            assertThat(value(correct, "tasks_paid")).as(impl + ": paid").isEqualTo(4);
            assertThat(value(correct, "stale_refused")).as(impl + ": the frozen holder's late payment, refused")
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(correct, "renewals")).as(impl + ": renewals through the slow GETBIT")
                    .isPositive();
        }
        assertAsExpected(results);
    }

    @Test
    void vouchersAreClaimedTwiceUnlessTheLockCoversTheReadModifyWrite() throws InterruptedException {
        VoucherScenario voucher = new VoucherScenario(new VoucherScenario.Timing(200, 2, Duration.ofMillis(5)));

        List<ScenarioResult> results = voucher.run(List.of("jedis"), ENVIRONMENT);

        assertThat(value(result(results, "jedis", "lock-after-read"), "lock-after-read:claimed_twice")).isPositive();
        assertThat(value(result(results, "jedis", "delayed-release"), "delayed-release:claimed_twice")).isPositive();
        ScenarioResult fixed = result(results, "jedis", "lock-around-rmw");
        assertThat(value(fixed, "lock-around-rmw:claimed_twice")).isZero();
        assertThat(value(fixed, "lock-around-rmw:claimed")).isEqualTo(200);
        assertAsExpected(results);
    }

    @Test
    void anAmbiguousTimeoutLocksTheUserOutForTheWholeTtlOnlyWhenReadAsFailure() throws InterruptedException {
        Duration ttl = Duration.ofSeconds(60);
        LeakScenario leak = new LeakScenario(new LeakScenario.Timing(ttl, Duration.ofMillis(300), Duration.ofSeconds(2)));

        List<ScenarioResult> results = leak.run(List.of("naive-timeout-is-failure", "jedis", "lettuce", "redisson"),
                ENVIRONMENT);

        ScenarioResult naive = result(results, "naive-timeout-is-failure", "");
        assertThat(value(naive, "locked_at_cap")).isEqualTo(1);
        assertThat(value(naive, "locked_out")).as("about the whole ttl, s").isGreaterThan(ttl.toSeconds() - 10)
                .isLessThanOrEqualTo(ttl.toSeconds() + 5);
        for (String impl : List.of("jedis", "lettuce", "redisson")) {
            ScenarioResult correct = result(results, impl, "");
            assertThat(value(correct, "locked_at_cap")).as(impl).isZero();
            assertThat(value(correct, "locked_out")).as(impl + ": far below the ttl, s").isLessThan(2.0);
        }
        assertAsExpected(results);
    }

    @Test
    void aBareRenewalMakesTwoLeadersAndAnOwnerCheckedElectionNone() throws InterruptedException {
        LeaderScenario.Timing timing = new LeaderScenario.Timing(Duration.ofMillis(1500), Duration.ofMillis(500),
                Duration.ofMillis(500), Duration.ofMillis(30), Duration.ofSeconds(1));
        LeaderScenario leader = new LeaderScenario(timing);

        List<ScenarioResult> results = leader.run(List.of("naive-pexpire", "jedis", "lettuce", "redisson"), ENVIRONMENT);

        ScenarioResult naive = result(results, "naive-pexpire", "ttl=1.5s");
        assertThat(value(naive, "ttl=1.5s:two_leaders")).as("s with two leaders").isPositive();
        assertThat(value(naive, "ttl=1.5s:stale_renewals")).as("PEXPIREs of the other pod's lock")
                .isPositive();
        for (String impl : List.of("jedis", "lettuce", "redisson")) {
            ScenarioResult correct = result(results, impl, "ttl=1.5s");
            assertThat(value(correct, "ttl=1.5s:two_leaders")).as(impl).isZero();
            assertThat(value(correct, "ttl=1.5s:stale_messages")).as(impl).isZero();
            assertThat(value(correct, "ttl=1.5s:failover_kill")).as(impl + ": a new leader, s").isPositive()
                    .isLessThan(timing.failoverCap().toSeconds());
        }
        assertAsExpected(results);
    }

    private static void assertAsExpected(List<ScenarioResult> results) {
        assertThat(results).allSatisfy(result -> assertThat(result.problem()).as(result.label()).isEmpty());
    }

    private static ScenarioResult result(List<ScenarioResult> results, String impl, String variant) {
        return results.stream().filter(r -> r.impl().equals(impl) && r.variant().equals(variant)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + impl + " " + variant + " in " + results));
    }

    private static double value(ScenarioResult result, String outcome) {
        return result.outcomes().stream().filter(o -> o.outcome().equals(outcome)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + outcome + " in " + result)).value();
    }
}
