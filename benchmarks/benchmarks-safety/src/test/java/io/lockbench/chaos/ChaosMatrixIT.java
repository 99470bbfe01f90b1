package io.lockbench.chaos;

import io.lockbench.fixture.RedisSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short version of every fault for one naive implementation ({@code naive-timeout-is-failure}) and one
 * correct one ({@code jedis}), plus Redlock under the majority kills and {@code naive-pexpire} under the
 * client stall (the "leader" story: its bare PEXPIRE renews the next holder's lock), on real servers: each
 * naive cell the expectation table names shows its violation, and the correct implementation's fenced
 * resource accepts no stale write anywhere; a client killed while its workers wait leaves {@code jedis} (no
 * queue) nothing to wait out ({@link WaiterKillIT} has {@code fifo}'s queue). The failover faults, which only
 * the Sentinel clients run, have a test of their own: {@link FailoverChaosIT}.
 */
class ChaosMatrixIT {

    private static final ChaosSettings SHORT = new ChaosSettings(30, 1, Duration.ofSeconds(12), 4, 2,
            Duration.ofMillis(2));

    private static final ChaosSettings TWO_STALLS = new ChaosSettings(30, 2, Duration.ofSeconds(15), 4, 2,
            Duration.ofMillis(2));

    private static List<SafetyRow> rows;

    @BeforeAll
    static void runMatrix() throws InterruptedException {
        ChaosListener quiet = new ChaosListener() {
            @Override
            public void cellStarted(int number, int total, String impl, String fault) {
            }

            @Override
            public void cellFinished(SafetyRow row) {
            }
        };
        rows = new ArrayList<>(new ChaosRun(List.of("naive-timeout-is-failure", "jedis"), withoutFailover(),
                SHORT).run(RedisSource.fromEnvironment(), quiet));
        rows.addAll(new ChaosRun(List.of("redlock"), List.of("kill-majority", "kill-majority-delayed"), SHORT)
                .run(RedisSource.fromEnvironment(), quiet));
        // Two stalls: the renewal after a stall races nothing now (it comes as the process resumes, while the
        // next holder works), but a loaded machine can still delay the resumed process past that holder's section.
        rows.addAll(new ChaosRun(List.of("naive-pexpire"), List.of("client-pause"), TWO_STALLS)
                .run(RedisSource.fromEnvironment(), quiet));
    }

    private static List<String> withoutFailover() {
        return ChaosRun.faultNames().stream().filter(f -> !f.startsWith("failover")).toList();
    }

    @Test
    void everyFaultRanForBoth() {
        Map<String, List<String>> faultsByImpl = rows.stream().collect(Collectors.groupingBy(SafetyRow::impl,
                Collectors.mapping(SafetyRow::fault, Collectors.toList())));
        List<String> singleNode = withoutFailover().stream().filter(f -> !f.startsWith("kill-majority")).toList();
        assertThat(faultsByImpl.get("jedis")).containsExactlyElementsOf(singleNode);
        assertThat(faultsByImpl.get("naive-timeout-is-failure")).containsExactlyElementsOf(singleNode);
        assertThat(faultsByImpl.get("redlock")).containsExactly("kill-majority", "kill-majority-delayed");
        for (SafetyRow row : rows) {
            if (row.skipped()) {
                assertThat(row.fault()).as(row.toString()).isEqualTo("clock-jump");
            } else {
                assertThat(row.sections()).as(row.toString()).isPositive();
                assertThat(row.notes()).as(row.toString()).doesNotStartWith("0 injections");
            }
        }
    }

    @Test
    void theNaiveCellsShowTheirStories() {
        assertThat(Expectations.broken(rows)).isEmpty();
        SafetyRow leaked = row("naive-timeout-is-failure", "ambiguous-acquire");
        assertThat(leaked.maxOrphanMs()).as(leaked.toString()).isGreaterThanOrEqualTo(Faults.AmbiguousAcquire.LEAK_MS);
        assertThat(leaked.violations()).as("the orphan is story 3's failure: " + leaked).isPositive();
        assertThat(SafetyMarkdown.cell(leaked)).startsWith("**");
        assertThat(row("naive-timeout-is-failure", "client-pause").staleAcceptedPlain()).isPositive();
        assertThat(row("naive-pexpire", "client-pause").staleRenewals()).isPositive();
    }

    @Test
    void theFencedResourceAcceptsNoStaleWriteFromACorrectLock() {
        rows.stream().filter(row -> !row.impl().startsWith("naive-") && !row.skipped()).forEach(row ->
                assertThat(row.staleAcceptedFenced()).as(row.toString()).isZero());
        SafetyRow stalled = row("jedis", "client-pause");
        assertThat(stalled.overlaps()).as(stalled.toString()).isPositive();
        assertThat(stalled.staleRejectedFenced()).as(stalled.toString()).isPositive();
        assertThat(stalled.staleRenewals()).as("an owner-checked renewal fails after the stall").isZero();
    }

    @Test
    void aResolvedAmbiguousAcquireLeavesNoOrphanNearTheTtl() {
        SafetyRow jedis = row("jedis", "ambiguous-acquire");
        assertThat(jedis.maxOrphanMs()).as(jedis.toString()).isLessThan(Faults.AmbiguousAcquire.LEAK_MS);
        assertThat(jedis.keysWithoutTtl()).isZero();
        rows.stream().filter(row -> row.impl().equals("jedis")).forEach(row ->
                assertThat(row.orphanPastBound()).as("a resolved lost reply is no orphan: " + row).isFalse());
    }

    @Test
    void aKilledWaiterLeavesALockWithoutAQueueNothingToWaitOut() {
        SafetyRow killed = row("jedis", "waiter-kill");
        assertThat(killed.notes()).as(killed.toString()).contains("killed the client JVM while its 2 workers waited")
                .doesNotContain("held a lock");
        assertThat(killed.hostageMs()).as(killed.toString()).isNotNegative();
        assertThat(killed.overlaps()).as(killed.toString()).isZero();
    }

    private static SafetyRow row(String impl, String fault) {
        return rows.stream().filter(row -> row.impl().equals(impl) && row.fault().equals(fault)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + impl + " x " + fault + " in " + rows));
    }
}
