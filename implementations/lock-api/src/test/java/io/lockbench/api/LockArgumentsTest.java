package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockArgumentsTest {

    private static final Duration MAX = Duration.ofHours(1);

    @Test
    void acceptsGoodInput() {
        assertThat(LockArguments.requireKey("k")).isEqualTo("k");
        assertThat(LockArguments.requireTtl(Duration.ofMillis(1), MAX)).isEqualTo(Duration.ofMillis(1));
        assertThat(LockArguments.requireTtl(MAX, MAX)).isEqualTo(MAX);
        assertThat(LockArguments.requireWait(Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void namesTheBadArgument() {
        assertThatThrownBy(() -> LockArguments.requireKey(null)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("key");
        assertThatThrownBy(() -> LockArguments.requireKey(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("key");
        assertThatThrownBy(() -> LockArguments.requireTtl(null, MAX)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ttl");
        assertThatThrownBy(() -> LockArguments.requireTtl(Duration.ofNanos(999_999), MAX)).hasMessageStartingWith("ttl");
        assertThatThrownBy(() -> LockArguments.requireTtl(MAX.plusMillis(1), MAX)).hasMessageStartingWith("ttl").hasMessageContaining("at most");
        assertThatThrownBy(() -> LockArguments.requireWait(Duration.ofMillis(-1))).hasMessageStartingWith("maxWait");
        assertThatThrownBy(() -> LockArguments.requireWait(null)).hasMessageStartingWith("maxWait");
        assertThatThrownBy(() -> LockArguments.requireOpen(true, "jedis")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
