package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = 1_000_000L;
    private final Backoff backoff = new Backoff(MS, 100 * MS);

    @Test
    void delayLiesBetweenHalfTheCapAndTheCap() {
        for (int attempt = 0; attempt < 10; attempt++) {
            long cap = Math.min(100 * MS, MS << attempt);
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delayNanos(attempt, -1, Long.MAX_VALUE)).as("attempt %d", attempt)
                        .isBetween(cap / 2, cap);
            }
        }
    }

    @Test
    void capStopsGrowingAtTheMaximumEvenForHugeAttemptNumbers() {
        for (int attempt : new int[] {7, 20, 31, 62, 63, 64, 1_000, Integer.MAX_VALUE}) {
            assertThat(backoff.delayNanos(attempt, -1, Long.MAX_VALUE)).as("attempt %d", attempt)
                    .isBetween(50 * MS, 100 * MS);
        }
    }

    @Test
    void delayNeverExceedsTheHoldersTtlPlusAMillisecond() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayNanos(10, 3 * MS, Long.MAX_VALUE)).isLessThanOrEqualTo(4 * MS);
            assertThat(backoff.delayNanos(10, 0, Long.MAX_VALUE)).isLessThanOrEqualTo(MS);
        }
    }

    @Test
    void delayNeverExceedsTheWaitersRemainingTime() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayNanos(10, -1, 5 * MS)).isLessThanOrEqualTo(5 * MS);
        }
    }

    @Test
    void delayIsAtLeastAMicrosecond() {
        assertThat(backoff.delayNanos(0, -1, 0)).isEqualTo(1_000L);
        assertThat(backoff.delayNanos(0, 0, 10)).isEqualTo(1_000L);
    }

    @Test
    void defaultGoesFromOneToOneHundredMilliseconds() {
        assertThat(Backoff.DEFAULT.minNanos()).isEqualTo(Duration.ofMillis(1).toNanos());
        assertThat(Backoff.DEFAULT.maxNanos()).isEqualTo(Duration.ofMillis(100).toNanos());
    }
}
