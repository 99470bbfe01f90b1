package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.LockBackendException;
import io.lockbench.api.ReleaseResult;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class BaseLeaseTest {

    private static TestLease failingRelease() {
        return new TestLease("t", () -> {
            throw new LockBackendException("127.0.0.1:1", "scripted timeout", null);
        });
    }

    @Test
    void aReleaseLostOnTheWireIsHandedOnOnceAndStillThrows() {
        TestLease lease = failingRelease();
        assertThatThrownBy(lease::release).isInstanceOf(LockBackendException.class);
        assertThat(lease.outcomesUnknown.get()).isEqualTo(1);
        assertThat(lease.isValid()).isFalse();
        lease.close();
        assertThat(lease.releases.get()).as("close after a failed release sends nothing").isEqualTo(1);
    }

    @Test
    void closeHandsOnALostReleaseAndDoesNotThrow() {
        TestLease lease = failingRelease();
        lease.close();
        assertThat(lease.outcomesUnknown.get()).isEqualTo(1);
        assertThat(lease.isValid()).isFalse();
    }

    @Test
    void anAnsweredReleaseHandsNothingOn() {
        TestLease lease = new TestLease("t", () -> ReleaseResult.EXPIRED);
        assertThat(lease.release()).isEqualTo(ReleaseResult.EXPIRED);
        assertThat(lease.outcomesUnknown.get()).isZero();
    }

    @Test
    void extendRefusesOverflowingTtlsWithIllegalArgument() {
        TestLease lease = new TestLease("t");
        assertThatThrownBy(() -> lease.extend(ChronoUnit.FOREVER.getDuration()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ttl");
        assertThatThrownBy(() -> lease.extend(Duration.ofSeconds(Long.MIN_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ttl");
    }
}
