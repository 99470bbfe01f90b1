package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
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
    void refusesNonPositiveTimeout() {
        LockSettings settings = LockSettings.of(URI.create("redis://h:1"));
        assertThatThrownBy(() -> settings.withCommandTimeout(Duration.ZERO)).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> settings.withCommandTimeout(null)).hasMessageContaining("commandTimeout");
    }
}
