package io.lockbench.safety;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FencedResourceTest {

    @Test
    void fencedAcceptsOnlyIncreasingTokens() {
        FencedResource resource = FencedResource.fenced();
        assertThat(resource.write(1, "a")).isTrue();
        assertThat(resource.write(3, "b")).isTrue();
        assertThat(resource.write(2, "a")).as("lower token after a higher one").isFalse();
        assertThat(resource.write(3, "c")).as("equal token").isFalse();
        assertThat(resource.write(4, "c")).isTrue();
        assertThat(resource.highestToken()).isEqualTo(4);
        assertThat(resource.accepted()).isEqualTo(3);
        assertThat(resource.rejected()).isEqualTo(2);
        assertThat(resource.writes()).extracting(FencedResource.Write::writer).containsExactly("a", "b", "a", "c", "c");
    }

    @Test
    void zeroTokensPassAFencedResourceOnlyOnce() {
        FencedResource resource = FencedResource.fenced();
        assertThat(resource.write(0, "a")).as("0 is not above the initial 0").isFalse();
    }

    @Test
    void unfencedAcceptsEverythingButRecordsIt() {
        FencedResource resource = FencedResource.unfenced();
        assertThat(resource.write(5, "a")).isTrue();
        assertThat(resource.write(1, "b")).isTrue();
        assertThat(resource.accepted()).isEqualTo(2);
        assertThat(resource.highestToken()).isEqualTo(5);
    }
}
