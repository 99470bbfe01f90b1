package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.LockSettings;
import io.lockbench.api.ReplicaAck;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicaAcksTest {

    private static final ReplicaAck TWO = new ReplicaAck(2, Duration.ofMillis(50));

    @Test
    void offOrEnoughIsNoShortfall() {
        assertThat(ReplicaAcks.shortfall(ReplicaAck.OFF, -1, "k", "h:1")).isNull();
        assertThat(ReplicaAcks.shortfall(TWO, 2, "k", "h:1")).isNull();
        assertThat(ReplicaAcks.shortfall(TWO, 3, "k", "h:1")).isNull();
    }

    @Test
    void fewerIsAShortfallNamingKeyAndCounts() {
        assertThat(ReplicaAcks.shortfall(TWO, 1, "orders", "m@h:1"))
                .hasMessageContaining("'orders'").hasMessageContaining("1 of 2").hasMessageContaining("m@h:1");
    }

    @Test
    void requireOffRefusesWhenOn() {
        LockSettings settings = LockSettings.of(URI.create("redis://h:1"));
        ReplicaAcks.requireOff(settings, "x", "why");
        assertThatThrownBy(() -> ReplicaAcks.requireOff(settings.withReplicaAck(1, Duration.ofMillis(5)), "x", "why"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("x: replica acknowledgement");
    }
}
