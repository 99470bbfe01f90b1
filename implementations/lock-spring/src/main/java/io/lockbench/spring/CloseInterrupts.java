package io.lockbench.spring;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The callers blocked inside the registry's {@code tryLock}, which close ends by interrupting them: the
 * registry waits on the calling thread (a sleep, a future, its local lock) and offers no other way out. An
 * interrupt reaches only a thread still inside the call, and the interrupt flag it leaves is cleared when
 * the call ends, so a caller never returns with an interrupt that was not its own.
 */
final class CloseInterrupts {

    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /**
     * Notes that the current thread enters a blocking registry call; close it when the call ends.
     *
     * @return the call
     */
    Call enter() {
        Call call = new Call(Thread.currentThread());
        calls.add(call);
        if (closing) {
            call.interrupt();
        }
        return call;
    }

    /**
     * Interrupts every caller inside a registry call, and any that enters one from now on, then waits for
     * them to leave.
     *
     * @param bound how long to wait at most
     */
    void interruptAllAndAwait(Duration bound) {
        closing = true;
        calls.forEach(Call::interrupt);
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (this) {
            long left;
            while (!calls.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One caller inside a registry call. */
    final class Call implements AutoCloseable {
        private final Thread thread;
        private boolean inside = true;
        private boolean interrupted;

        private Call(Thread thread) {
            this.thread = thread;
        }

        private synchronized void interrupt() {
            if (inside) {
                interrupted = true;
                thread.interrupt();
            }
        }

        /** @return whether close interrupted this call */
        synchronized boolean interruptedByClose() {
            return interrupted;
        }

        /** Leaves the call; clears the interrupt close may have left on the thread. */
        @Override
        public void close() {
            synchronized (this) {
                inside = false;
                if (interrupted) {
                    Thread.interrupted();
                }
            }
            calls.remove(this);
            synchronized (CloseInterrupts.this) {
                CloseInterrupts.this.notifyAll();
            }
        }
    }
}
