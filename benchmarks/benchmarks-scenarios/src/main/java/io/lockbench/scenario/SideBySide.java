package io.lockbench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the implementations of one story at the same time, each on its own server: most of a story's time is
 * spent waiting for a ttl to run out, and the waits overlap.
 */
final class SideBySide {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * One implementation's run.
     *
     * @param <T> what it finds
     */
    @FunctionalInterface
    interface Run<T> {
        List<T> call() throws Exception;
    }

    private SideBySide() {
    }

    /**
     * Runs each at once and waits for all.
     *
     * @param runs the runs
     * @param <T> what each finds
     * @return their results, in the order of {@code runs}
     * @throws InterruptedException when interrupted (the runs are interrupted too)
     * @throws IllegalStateException when a run failed, with its cause
     */
    static <T> List<T> run(List<Run<T>> runs) throws InterruptedException {
        int id = RUNS.incrementAndGet();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, runs.size()), task -> {
            Thread thread = new Thread(task, "lockbench-scenario-" + id);
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<T>>> futures = new ArrayList<>();
            for (Run<T> run : runs) {
                futures.add(pool.submit(run::call));
            }
            List<T> results = new ArrayList<>();
            for (Future<List<T>> future : futures) {
                try {
                    results.addAll(future.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InterruptedException interrupted) {
                        throw interrupted;
                    }
                    throw new IllegalStateException(cause.getMessage(), cause);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
