package io.lockbench.chaos;

import io.lockbench.fifo.FifoLockService;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectationsTest {

    @Test
    void everyNaiveImplementationHasItsStoryUnderTheAmbiguousAcquireAndTheClientStall() {
        for (String naive : List.of("naive-setnx", "naive-pexpire", "naive-setnx-expire", "naive-timeout-is-failure")) {
            assertThat(Expectations.of(naive, "ambiguous-acquire")).as(naive).isPresent();
            assertThat(Expectations.of(naive, "client-pause")).as(naive).isPresent();
        }
        assertThat(Expectations.table()).allSatisfy(e -> {
            assertThat(e.impl()).startsWith("naive-");
            assertThat(ChaosRun.faultNames()).contains(e.fault());
        });
    }

    @Test
    void correctImplementationsAreExpectedNothing() {
        assertThat(Expectations.of("jedis", "ambiguous-acquire")).isEmpty();
        assertThat(Expectations.broken(List.of(Rows.clean("jedis", "ambiguous-acquire")))).isEmpty();
    }

    @Test
    void aNaiveCellWithoutItsViolationIsAHarnessBug() {
        List<String> broken = Expectations.broken(List.of(
                Rows.orphan("naive-timeout-is-failure", "ambiguous-acquire", 120),
                Rows.orphan("naive-setnx", "ambiguous-acquire", 2_950),
                Rows.stalled("naive-pexpire", 3, 0, 0),
                Rows.stalled("naive-setnx", 3, 0, 0)));

        assertThat(broken).hasSize(2);
        assertThat(broken.get(0)).startsWith("harness bug: naive-timeout-is-failure under ambiguous-acquire must show"
                + " an orphan lock of >= 2400 ms");
        assertThat(broken.get(1)).startsWith("harness bug: naive-pexpire under client-pause must show renewals");
    }

    @Test
    void theOrphanTheNaiveLocksMustShowIsAViolation() {
        assertThat(Faults.AmbiguousAcquire.LEAK_MS).isGreaterThan(SafetyRow.ORPHAN_BOUND_MS);
        SafetyRow leaked = Rows.orphan("naive-timeout-is-failure", "ambiguous-acquire", Faults.AmbiguousAcquire.LEAK_MS);
        assertThat(Expectations.broken(List.of(leaked))).isEmpty();
        assertThat(leaked.violations()).isEqualTo(1);
        assertThat(Expectations.of("naive-setnx", "ambiguous-acquire").orElseThrow().must())
                .endsWith("counted as a violation");
    }

    @Test
    void anOrphanWithinTheBoundIsNoViolation() {
        assertThat(Rows.orphan("redisson", "server-pause", 487).violations()).isZero();
        assertThat(Rows.orphan("jedis", "ambiguous-acquire", SafetyRow.ORPHAN_BOUND_MS).violations()).isZero();
        assertThat(Rows.orphan("jedis", "ambiguous-acquire", SafetyRow.ORPHAN_BOUND_MS + 1).violations()).isEqualTo(1);
    }

    @Test
    void fifosHostageBoundIsItsQueueWindowPlusTheTtlPlusOnePoll() {
        // Pinned against the implementation: the harness names the window without depending on lock-fifo's code.
        assertThat(Faults.WaiterKill.FIFO_QUEUE_WINDOW_MS).isEqualTo(FifoLockService.QUEUE_WINDOW.toMillis());
        assertThat(Faults.WaiterKill.FIFO_POLL_MAX_MS).isEqualTo(FifoLockService.POLL_MAX_MILLIS);
        assertThat(Expectations.hostageBound("fifo", "waiter-kill").orElseThrow().maxMs()).isEqualTo(2_628);
        assertThat(Expectations.hostageBound("jedis", "waiter-kill").orElseThrow().maxMs()).isEqualTo(250);
        assertThat(Expectations.hostageBound("fifo", "client-pause")).isEmpty();
    }

    @Test
    void aHostagePastTheBoundIsAFindingAndAViolationNotAHarnessBug() {
        List<SafetyRow> rows = List.of(Rows.hostage("fifo", 640), Rows.hostage("fifo", 3_100),
                Rows.hostage("jedis", 12), Rows.hostage("redisson", 700));

        assertThat(Expectations.broken(rows)).isEmpty();
        assertThat(Expectations.findings(rows)).containsExactly(
                "finding: fifo under waiter-kill kept a key from the surviving workers for 3100 ms, past its bound of"
                        + " 2628 ms (queue window 2000 ms + ttl 500 ms + one poll 128 ms)",
                "finding: redisson under waiter-kill kept a key from the surviving workers for 700 ms, past its bound"
                        + " of 250 ms (no queue: a dead waiter leaves nothing on the server; half the ttl)");
        assertThat(rows).extracting(SafetyRow::violations).containsExactly(0L, 1L, 0L, 1L);
    }

    @Test
    void underWaiterKillALockGrantedToTheDeadWaitersIsJudgedByTheHostageBoundNotTheOrphanBound() {
        // Two dead waiters on one key, granted the lock one after the other: 2 x ttl held by nobody.
        SafetyRow twoGrants = new SafetyRow("fifo", "waiter-kill", 150, 0, 0, 0, 0, 1_001, 1_379, -1, 1_005, 0, 0,
                "1 injections", false);
        assertThat(twoGrants.orphanPastBound()).isFalse();
        assertThat(twoGrants.violations()).isZero();
        assertThat(Rows.orphan("fifo", "server-pause", 1_001).orphanPastBound()).isTrue();
    }

    @Test
    void aWaiterKillCellThatKilledNothingIsAHarnessBug() {
        List<String> broken = Expectations.broken(List.of(Rows.hostage("jedis", -1)));

        assertThat(broken).singleElement().asString()
                .startsWith("harness bug: jedis under waiter-kill must kill a waiting client but killed none");
    }

    @Test
    void aSkippedCellBreaksNothing() {
        assertThat(Expectations.broken(List.of(SafetyRow.skipped("naive-setnx", "client-pause", "why")))).isEmpty();
    }

    @Test
    void aKeyWithoutTtlIsNaiveSetnxExpiresStory() {
        SafetyRow withoutTtl = new SafetyRow("naive-setnx-expire", "ambiguous-acquire", 80, 0, 0, 0, 0, 9_000, 9_000,
                -1, -1, 0, 1, "", false);
        assertThat(Expectations.broken(List.of(withoutTtl))).isEmpty();
        assertThat(Expectations.broken(List.of(Rows.orphan("naive-setnx-expire", "ambiguous-acquire", 9_000))))
                .hasSize(1);
    }
}
