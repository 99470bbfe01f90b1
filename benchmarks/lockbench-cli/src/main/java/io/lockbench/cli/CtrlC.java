package io.lockbench.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a command write what it has when the user presses Ctrl-C (or the process gets SIGTERM). The JVM runs its
 * shutdown hooks and then exits, whatever the main thread is doing; this hook interrupts the thread that opened
 * it and holds the exit until that thread {@linkplain #close() closes} it, at most {@link #GRACE}. The command
 * catches the {@link InterruptedException}, checks {@link #pressed()}, writes the steps that finished, and
 * closes. Meanwhile the fixture's own hook stops the Redis servers the run started, so the step in progress
 * fails and is dropped.
 */
final class CtrlC implements AutoCloseable {

    /** How long the exit waits for the results to be written. */
    static final Duration GRACE = Duration.ofSeconds(15);

    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean pressed = new AtomicBoolean();
    private final Thread hook;

    /**
     * Registers the hook for the calling thread.
     *
     * @param onPress tells the work to stop (before the thread is interrupted), so that what fails as the
     *     servers go is not taken for a result
     */
    CtrlC(Runnable onPress) {
        Thread worker = Thread.currentThread();
        hook = new Thread(() -> {
            pressed.set(true);
            onPress.run();
            worker.interrupt();
            try {
                closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lockbench-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** @return whether the process is shutting down because of a signal */
    boolean pressed() {
        return pressed.get();
    }

    /** Lets the exit go on, or removes the hook when the command ended by itself. */
    @Override
    public void close() {
        closed.countDown();
        if (!pressed.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (a signal came just now): the hook runs and returns at once.
            }
        }
    }
}
