package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
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

    @Test
    void overflowingTtlsAreIllegalNotArithmetic() {
        assertThatThrownBy(() -> LockArguments.requireTtl(ChronoUnit.FOREVER.getDuration(), MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ttl");
        assertThatThrownBy(() -> LockArguments.requireTtl(Duration.ofSeconds(Long.MIN_VALUE), MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ttl");
    }

    @Test
    void keysWithUnpairedSurrogatesAreIllegal() {
        for (String key : new String[] {"x\uD800", "x\uDBFF", "\uDC00x", "a\uDE00\uD83Db", "\uD800\uD800"}) {
            assertThatThrownBy(() -> LockArguments.requireKey(key)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("key").hasMessageContaining("surrogate");
        }
        assertThat(LockArguments.requireKey("x\uD83D\uDE00")).isEqualTo("x\uD83D\uDE00");
        assertThat(LockArguments.requireKey("\uDBFF\uDFFFx")).isEqualTo("\uDBFF\uDFFFx");
    }
}
