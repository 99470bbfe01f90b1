package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockSettingsTest {

    @Test
    void defaultsAndCopies() {
        LockSettings settings = LockSettings.of(URI.create("redis://127.0.0.1:6379"), URI.create("redis://h2:7000"));
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.firstNode()).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        LockSettings faster = settings.withCommandTimeout(Duration.ofMillis(100));
        assertThat(faster.commandTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(faster.nodes()).isEqualTo(settings.nodes());
        assertThat(settings.commandTimeout()).as("original untouched").isEqualTo(Duration.ofSeconds(2));
        assertThat(LockSettings.address(settings.nodes().get(1))).isEqualTo("h2:7000");
    }

    @Test
    void refusesBadNodesNamingThem() {
        assertThatThrownBy(() -> LockSettings.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodes");
        assertThatThrownBy(() -> LockSettings.of(URI.create("http://h:1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://h:1");
        assertThatThrownBy(() -> LockSettings.of(URI.create("redis://h"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://h");
    }

    @Test
    void refusesNullNodesNamingThem() {
        assertThatThrownBy(() -> LockSettings.of((List<URI>) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodes:");
        assertThatThrownBy(() -> LockSettings.of((URI[]) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodes:");
        assertThatThrownBy(() -> LockSettings.of(URI.create("redis://h:1"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nodes:");
    }

    @Test
    void refusesTimeoutsOutOfRange() {
        LockSettings settings = LockSettings.of(URI.create("redis://h:1"));
        for (Duration timeout : new Duration[] {null, Duration.ZERO, Duration.ofMillis(-1), Duration.ofDays(365),
                LockSettings.MAX_COMMAND_TIMEOUT.plusMillis(1), ChronoUnit.FOREVER.getDuration()}) {
            assertThatThrownBy(() -> settings.withCommandTimeout(timeout)).as("timeout %s", timeout)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("commandTimeout:");
        }
        assertThat(settings.withCommandTimeout(LockSettings.MAX_COMMAND_TIMEOUT).commandTimeout())
                .isEqualTo(LockSettings.MAX_COMMAND_TIMEOUT);
    }
}
