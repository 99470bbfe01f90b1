package io.lockbench.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff for waiters: the fallback that bounds the wait when a release message is
 * missed. Jitter (a uniform delay between half the current cap and the cap) keeps waiters from retrying in lockstep.
 *
 * @param minNanos the first cap
 * @param maxNanos the largest cap
 */
public record Backoff(long minNanos, long maxNanos) {

    /** 1 ms doubling up to 100 ms: short enough that a missed message costs little. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(1).toNanos(), Duration.ofMillis(100).toNanos());

    /**
     * The delay before retry number {@code attempt}, never more than the holder's remaining ttl (when known)
     * nor the waiter's remaining time.
     *
     * @param attempt 0 for the first retry
     * @param holderTtlNanos the remaining ttl the server reported for the holder, or a negative value if unknown
     * @param remainingNanos the waiter's remaining time
     * @return the delay in nanoseconds, at least 1 µs when any time remains
     */
    public long delayNanos(int attempt, long holderTtlNanos, long remainingNanos) {
        long cap = minNanos << Math.min(attempt, 30);
        if (cap <= 0 || cap > maxNanos) {
            cap = maxNanos;
        }
        long delay = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        if (holderTtlNanos >= 0) {
            delay = Math.min(delay, holderTtlNanos + 1_000_000L);
        }
        return Math.max(1_000L, Math.min(delay, remainingNanos));
    }
}
