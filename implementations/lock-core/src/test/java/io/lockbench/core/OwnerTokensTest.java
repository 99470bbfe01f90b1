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
    void everyHalfOfEveryTokenIsDrawnAfresh() {
        Set<String> firstHalves = new HashSet<>();
        Set<String> secondHalves = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String token = OwnerTokens.next();
            firstHalves.add(token.substring(0, 16));
            secondHalves.add(token.substring(16));
        }
        assertThat(firstHalves).as("no 64 bits are fixed per process").hasSize(10_000);
        assertThat(secondHalves).hasSize(10_000);
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
