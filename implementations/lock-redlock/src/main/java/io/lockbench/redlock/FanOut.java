package io.lockbench.redlock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * One command sent to every node at once, and the replies as they come in: the caller waits only until
 * the replies it has are enough to decide (a quorum granted, or a quorum can no longer grant), so the
 * cost is the quorum-th fastest reply, never the sum of them.
 *
 * @param <T> the reply type
 */
final class FanOut<T> {

    /**
     * One node's outcome so far.
     *
     * @param answered whether the node replied or failed
     * @param value its reply, null unless it replied
     * @param error its failure, null unless it failed
     * @param <T> the reply type
     */
    record Reply<T>(boolean answered, T value, Throwable error) {

        /** @return whether the node replied (as opposed to failing or not answering yet) */
        boolean replied() {
            return answered && error == null;
        }
    }

    private final List<Reply<T>> replies;
    private final List<CompletableFuture<T>> stages;
    private int answered;
    /** What the current waiter waits for; a reply that does not satisfy it wakes nobody. */
    private Predicate<List<Reply<T>>> awaited;

    private FanOut(int size) {
        stages = new ArrayList<>(size);
        replies = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            replies.add(new Reply<>(false, null, null));
        }
    }

    /**
     * Sends one command per node.
     *
     * @param size the number of nodes
     * @param command sends node i's command
     * @param <T> the reply type
     * @return the fan-out, filling in as replies arrive
     */
    static <T> FanOut<T> send(int size, IntFunction<CompletableFuture<T>> command) {
        FanOut<T> out = new FanOut<>(size);
        for (int i = 0; i < size; i++) {
            int node = i;
            CompletableFuture<T> stage = command.apply(node);
            out.stages.add(stage);
            stage.whenComplete((value, error) -> out.record(node, value, error));
        }
        return out;
    }

    /**
     * @param node the node's index
     * @return the node's reply stage, still pending when the node has not answered
     */
    CompletableFuture<T> stage(int node) {
        return stages.get(node);
    }

    private synchronized void record(int node, T value, Throwable error) {
        replies.set(node, new Reply<>(true, value, error));
        answered++;
        if (awaited != null && (answered == replies.size() || awaited.test(replies))) {
            notifyAll();
        }
    }

    /**
     * Waits until {@code decided} holds, every node answered, or the deadline passed. One thread waits at
     * a time; it is woken once, when a reply makes the decision, not by every reply.
     *
     * @param decided tested on a snapshot after every reply
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return the replies at that moment, in node order
     * @throws InterruptedException when interrupted while waiting
     */
    synchronized List<Reply<T>> await(Predicate<List<Reply<T>>> decided, long deadlineNanos)
            throws InterruptedException {
        awaited = decided;
        try {
            while (answered < replies.size() && !decided.test(replies)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return List.copyOf(replies);
        } finally {
            awaited = null;
        }
    }

    /**
     * As {@link #await}, but an interrupt does not cut the wait short; the thread's interrupt status is
     * restored afterwards. For calls that must reach a decision to leave no key behind.
     *
     * @param decided tested on a snapshot after every reply
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return the replies at that moment, in node order
     */
    List<Reply<T>> awaitUninterruptibly(Predicate<List<Reply<T>>> decided, long deadlineNanos) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return await(decided, deadlineNanos);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Counts replies (not failures) that match.
     *
     * @param replies a snapshot
     * @param test what to count
     * @param <T> the reply type
     * @return how many nodes replied with a matching value
     */
    static <T> int count(List<Reply<T>> replies, Predicate<T> test) {
        int count = 0;
        for (Reply<T> reply : replies) {
            if (reply.replied() && test.test(reply.value())) {
                count++;
            }
        }
        return count;
    }

    /**
     * @param replies a snapshot
     * @param <T> the reply type
     * @return how many nodes failed
     */
    static <T> int failed(List<Reply<T>> replies) {
        int count = 0;
        for (Reply<T> reply : replies) {
            if (reply.answered() && reply.error() != null) {
                count++;
            }
        }
        return count;
    }
}
