package io.lockbench.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in tests for something to become true, with a deadline on the monotonic clock. */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code condition} every millisecond until it holds. The short interval keeps measured times
     * (failover, handoff) precise; the conditions polled are cheap or a single round trip.
     *
     * @param timeout how long to wait at most
     * @param condition what must become true
     * @param what the condition in words, for the failure message
     * @throws AssertionError when the timeout passes first, or the waiting thread is interrupted
     */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
