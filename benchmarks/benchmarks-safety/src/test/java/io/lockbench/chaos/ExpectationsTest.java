package io.lockbench.chaos;

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
    void aSkippedCellBreaksNothing() {
        assertThat(Expectations.broken(List.of(SafetyRow.skipped("naive-setnx", "client-pause", "why")))).isEmpty();
    }

    @Test
    void aKeyWithoutTtlIsNaiveSetnxExpiresStory() {
        SafetyRow withoutTtl = new SafetyRow("naive-setnx-expire", "ambiguous-acquire", 80, 0, 0, 0, 0, 9_000, 9_000,
                -1, 0, 1, "", false);
        assertThat(Expectations.broken(List.of(withoutTtl))).isEmpty();
        assertThat(Expectations.broken(List.of(Rows.orphan("naive-setnx-expire", "ambiguous-acquire", 9_000))))
                .hasSize(1);
    }
}
