package io.lockbench.jmh;

import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a lock for the benchmark's hold time. Parks rather than burning CPU: a held lock usually waits on I/O,
 * and on a two-core machine a spinning holder would steal the CPU the other threads and Redis need. Parking
 * overshoots by the OS timer slack (tens of microseconds on Linux), which the bound does not credit.
 */
final class Hold {

    private Hold() {
    }

    /**
     * Holds for about {@code nanos}; returns early when the thread is interrupted (JMH ending the iteration).
     *
     * @param nanos how long; zero returns at once
     */
    static void hold(long nanos) {
        if (nanos <= 0) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted();
             left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
