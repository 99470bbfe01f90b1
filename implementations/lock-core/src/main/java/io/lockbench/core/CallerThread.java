package io.lockbench.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An executor whose tasks run on the thread that waits for a result: how a blocking client drives a
 * {@link WaitLoop} without a thread of its own. Tasks queued by timers or release messages are picked up by
 * the caller in {@link #runUntil}; the tasks queued when the result completes run before it returns (the
 * loop has ended by then: such a task only settles it).
 */
public final class CallerThread implements Executor {

    private static final Runnable NOTHING = () -> { };

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs queued tasks on the calling thread until {@code result} is complete.
     *
     * @param result the stage to wait for
     * @throws InterruptedException when the thread is interrupted while no task runs; the result may then
     *     still be incomplete, and the caller abandons it
     */
    public void runUntil(CompletableFuture<?> result) throws InterruptedException {
        result.whenComplete((value, error) -> tasks.add(NOTHING));
        while (!result.isDone()) {
            tasks.take().run();
        }
        // A step queued just before the result completed (a timer, a wake) lets the ended loop settle.
        runPending();
    }

    /**
     * Runs the tasks queued now without waiting for more: after the caller abandoned its loop, this lets an
     * attempt that was about to start see that and settle the loop.
     */
    public void runPending() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }
}
