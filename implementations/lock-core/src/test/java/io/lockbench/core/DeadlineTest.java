package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @Test
    void zeroTimeoutHasExpired() {
        Deadline deadline = Deadline.after(Duration.ZERO);
        assertThat(deadline.expired()).isTrue();
        assertThat(deadline.remainingNanos()).isZero();
    }

    @Test
    void aDeadlineInTheFutureCountsDown() throws InterruptedException {
        Deadline deadline = Deadline.after(Duration.ofSeconds(10));
        long first = deadline.remainingNanos();
        assertThat(first).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10).toNanos());
        Thread.sleep(5);
        assertThat(deadline.remainingNanos()).isLessThan(first);
        assertThat(deadline.expired()).isFalse();
    }

    @Test
    void aShortDeadlinePasses() throws InterruptedException {
        Deadline deadline = Deadline.after(Duration.ofMillis(5));
        Thread.sleep(20);
        assertThat(deadline.expired()).isTrue();
        assertThat(deadline.remainingNanos()).isZero();
    }

    @Test
    void hugeTimeoutsSaturateInsteadOfWrappingIntoThePast() {
        for (Duration huge : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(365L * 1_000),
                Duration.ofNanos(Long.MAX_VALUE), Duration.ofNanos(Long.MAX_VALUE - 1)}) {
            Deadline deadline = Deadline.after(huge);
            assertThat(deadline.expired()).as("%s expired", huge).isFalse();
            assertThat(deadline.remainingNanos()).as("%s remaining", huge)
                    .isGreaterThan(Duration.ofDays(100 * 365L).toNanos());
        }
    }

    @Test
    void saturatedNanosCapsAtLongMax() {
        assertThat(Deadline.saturatedNanos(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Deadline.saturatedNanos(Duration.ofMillis(3))).isEqualTo(3_000_000L);
    }
}
