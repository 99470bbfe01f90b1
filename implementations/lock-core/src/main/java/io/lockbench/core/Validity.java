package io.lockbench.core;

import java.time.Duration;

/**
 * How long a lease may be relied on: counted from the moment the request was sent, minus an allowance for
 * the client's and server's clocks running at different rates (1% of the ttl plus 2 ms, as Redlock
 * prescribes; applied to single-node locks too, whose server expires keys on its own clock).
 */
public final class Validity {

    private static final long FIXED_DRIFT_NANOS = 2_000_000L;

    private Validity() {
    }

    /**
     * @param ttl the lock's ttl
     * @return the drift allowance: ttl / 100 + 2 ms
     */
    public static long driftNanos(Duration ttl) {
        return ttl.toNanos() / 100 + FIXED_DRIFT_NANOS;
    }

    /**
     * @param sentNanos {@link System#nanoTime()} taken just before the request was sent
     * @param ttl the ttl asked for
     * @return the nanoTime deadline after which the lease must be presumed lost
     */
    public static long until(long sentNanos, Duration ttl) {
        return sentNanos + ttl.toNanos() - driftNanos(ttl);
    }
}
