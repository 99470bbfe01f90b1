package io.lockbench.core;

import java.time.Duration;

/**
 * A point on the monotonic clock ({@link System#nanoTime()}); never wall-clock arithmetic.
 *
 * @param nanos the deadline as a nanoTime value
 */
public record Deadline(long nanos) {

    /**
     * @param timeout from now
     * @return the deadline {@code timeout} from now (saturating for huge timeouts)
     */
    public static Deadline after(Duration timeout) {
        long now = System.nanoTime();
        long add = saturatedNanos(timeout);
        long sum = now + add;
        return new Deadline(((now ^ sum) & (add ^ sum)) < 0 ? Long.MAX_VALUE : sum);
    }

    /** @return nanoseconds left, never negative */
    public long remainingNanos() {
        return Math.max(0, nanos - System.nanoTime());
    }

    /** @return true once the deadline has passed */
    public boolean expired() {
        return nanos - System.nanoTime() <= 0;
    }

    /**
     * @param duration any duration
     * @return its nanoseconds, capped at Long.MAX_VALUE
     */
    public static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
