package io.lockbench.chaos;

import org.junit.jupiter.api.Test;

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
}
