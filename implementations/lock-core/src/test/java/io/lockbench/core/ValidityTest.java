package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValidityTest {

    @Test
    void driftIsOnePercentOfTheTtlPlusTwoMilliseconds() {
        assertThat(Validity.driftNanos(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(102).toNanos());
        assertThat(Validity.driftNanos(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(3).toNanos());
    }

    @Test
    void validityIsCountedFromTheSendMinusDrift() {
        long sent = 123_456_789L;
        assertThat(Validity.until(sent, Duration.ofSeconds(10)))
                .isEqualTo(sent + Duration.ofSeconds(10).toNanos() - Duration.ofMillis(102).toNanos());
    }

    @Test
    void validityWorksAcrossNanoTimeWraparound() {
        long sent = Long.MAX_VALUE - 1_000;
        long until = Validity.until(sent, Duration.ofSeconds(1));
        assertThat(until - sent).isEqualTo(Duration.ofMillis(1_000 - 12).toNanos());
    }

    @Test
    void aTtlShorterThanTheDriftIsAlreadyInvalid() {
        long sent = System.nanoTime();
        assertThat(Validity.until(sent, Duration.ofMillis(1)) - sent).isNegative();
    }
}
