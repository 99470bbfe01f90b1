package io.lockbench.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisBinariesTest {

    @ParameterizedTest
    @CsvSource({
        "Linux, amd64, redis-server-6.2.6-v5-linux-amd64",
        "Linux, x86_64, redis-server-6.2.6-v5-linux-amd64",
        "Linux, aarch64, redis-server-6.2.7-linux-arm64",
        "Linux, i386, redis-server-6.2.7-linux-386",
        "Mac OS X, x86_64, redis-server-6.2.6-v5-darwin-amd64",
        "Mac OS X, aarch64, redis-server-6.2.6-v5-darwin-arm64",
    })
    void everyPlatformMapsToABinaryTheJarShips(String os, String arch, String resource) {
        assertThat(RedisBinaries.embeddedResource(os, arch)).isEqualTo(resource);
        assertThat(RedisBinaries.class.getResource("/" + resource)).as("resource in the embedded-redis jar").isNotNull();
    }

    @Test
    void windowsHasNoRecentEnoughBinary() {
        assertThatThrownBy(() -> RedisBinaries.embeddedResource("Windows 11", "amd64"))
            .isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("Windows 11/amd64");
    }

    @Test
    void versionComparison() {
        assertThat(RedisBinary.atLeast("6.2.6", 6, 2)).isTrue();
        assertThat(RedisBinary.atLeast("7.0.0", 6, 2)).isTrue();
        assertThat(RedisBinary.atLeast("6.0.16", 6, 2)).isFalse();
        assertThat(RedisBinary.atLeast("5.0.14.1", 6, 2)).isFalse();
        assertThat(RedisBinary.atLeast("x", 6, 2)).isFalse();
    }
}
