package io.lockbench.chaos;

import java.time.Duration;

/**
 * How much each cell runs.
 *
 * @param sections critical sections per cell (a cell also injects its fault at least {@code minInjections}
 *     times, so it may run more)
 * @param minInjections injections per cell at least (faults that run once excepted)
 * @param maxCell the longest a cell may run; one that hits it says so in its notes
 * @param workers contending workers per cell
 * @param keys lock keys they contend on
 * @param hold how long a section holds the lock after its write
 */
public record ChaosSettings(long sections, int minInjections, Duration maxCell, int workers, int keys,
                            Duration hold) {

    /** @return the quick profile: the whole matrix in a few minutes */
    public static ChaosSettings quick() {
        return new ChaosSettings(150, 2, Duration.ofSeconds(15), 4, 2, Duration.ofMillis(2));
    }

    /** @return the standard profile: at least 10,000 sections per cell */
    public static ChaosSettings standard() {
        return new ChaosSettings(10_000, 4, Duration.ofMinutes(10), 4, 2, Duration.ofMillis(2));
    }

    /**
     * @param n critical sections per cell
     * @return a copy with that count
     */
    public ChaosSettings withSections(long n) {
        return new ChaosSettings(n, minInjections, maxCell, workers, keys, hold);
    }
}
