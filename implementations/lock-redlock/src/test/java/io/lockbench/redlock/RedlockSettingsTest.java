package io.lockbench.redlock;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.LockSettings;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What Redlock refuses before it opens any connection. */
class RedlockSettingsTest {

    @Test
    void refusesSentinelNodesNamingTheProblem() {
        LockSettings settings = LockSettings.of(URI.create("redis://127.0.0.1:1"),
                URI.create("redis-sentinel://127.0.0.1:2,127.0.0.1:3/lockbench"), URI.create("redis://127.0.0.1:4"));
        assertThatThrownBy(() -> new RedlockLockService(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redlock").hasMessageContaining("redis-sentinel://127.0.0.1:2,127.0.0.1:3/lockbench")
                .hasMessageContaining("quorum of Sentinel groups");
    }

    @Test
    void refusesReplicaAcknowledgement() {
        LockSettings settings = LockSettings.of(URI.create("redis://127.0.0.1:1"), URI.create("redis://127.0.0.1:2"),
                URI.create("redis://127.0.0.1:3")).withReplicaAck(1, Duration.ofMillis(100));
        assertThatThrownBy(() -> new RedlockLockService(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redlock").hasMessageContaining("replica acknowledgement");
    }
}
