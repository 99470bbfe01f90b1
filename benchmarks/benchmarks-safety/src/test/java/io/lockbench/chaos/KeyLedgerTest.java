package io.lockbench.chaos;

import io.lockbench.testkit.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KeyLedgerTest {

    @Test
    void aSectionThatSeveralLaterOnesEnteredDuringCountsOnce() {
        KeyLedger key = new KeyLedger();
        KeyLedger.Open lost = key.begin("worker-0", 1);
        KeyLedger.Open second = key.begin("worker-1", 2);
        key.end(second);
        KeyLedger.Open third = key.begin("worker-2", 3);
        key.end(third);
        key.end(lost);

        KeyLedger.Overlaps overlaps = key.overlaps();
        assertThat(overlaps.sections()).isEqualTo(1);
        assertThat(overlaps.pairs()).isEqualTo(2);
        assertThat(overlaps.longestNanos()).isPositive();
    }

    @Test
    void sectionsOneAfterTheOtherDoNotOverlap() {
        KeyLedger key = new KeyLedger();
        for (int i = 0; i < 3; i++) {
            key.end(key.begin("worker-" + i, i + 1));
        }

        assertThat(key.overlaps()).isEqualTo(new KeyLedger.Overlaps(0, 0, 0));
    }

    @Test
    void twoLostHoldersCountTwice() {
        KeyLedger key = new KeyLedger();
        KeyLedger.Open first = key.begin("worker-0", 1);
        KeyLedger.Open second = key.begin("worker-1", 2);
        key.end(first);
        KeyLedger.Open third = key.begin("worker-2", 3);
        key.end(second);
        key.end(third);

        assertThat(key.overlaps().sections()).isEqualTo(2);
        assertThat(key.overlaps().pairs()).isEqualTo(2);
    }

    @Test
    void hostageTimeCountsAfterTheKillWhileAWorkerWantsTheFreeKey() {
        KeyLedger key = new KeyLedger();
        key.waiting(true);
        assertThat(key.maxHostageNanos()).as("wanted and free, but before any kill").isZero();

        key.markKill(System.nanoTime());
        Await.until(Duration.ofSeconds(10), () -> key.maxHostageNanos() > 0, "hostage time to count from the kill");
        key.waiting(false);
        KeyLedger.Open taken = key.begin("worker-0", 1);
        long hostage = key.maxHostageNanos();
        key.end(taken);

        assertThat(hostage).as("the stretch that the section ended").isPositive();
        assertThat(key.begunSinceKill()).isTrue();
        assertThat(key.maxHostageNanos()).as("free again, but wanted by nobody: no new stretch").isEqualTo(hostage);
    }

    @Test
    void aKeyFreeButWantedByNobodyIsNoHostage() {
        KeyLedger key = new KeyLedger();
        key.end(key.begin("worker-0", 1));
        key.markKill(System.nanoTime());

        assertThat(key.maxHostageNanos()).isZero();
        assertThat(key.begunSinceKill()).isFalse();
    }
}
