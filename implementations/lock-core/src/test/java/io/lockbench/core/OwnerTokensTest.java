package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OwnerTokensTest {

    @Test
    void tokensAre32LowerCaseHexCharacters() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(OwnerTokens.next()).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void tokensAreDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(OwnerTokens.next())).as("token %d is new", i).isTrue();
        }
    }

    @Test
    void tokensFromManyThreadsAreDistinct() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 8).parallel().forEach(thread -> {
            for (int i = 0; i < 10_000; i++) {
                seen.add(OwnerTokens.next());
            }
        });
        assertThat(seen).hasSize(80_000);
    }
}
