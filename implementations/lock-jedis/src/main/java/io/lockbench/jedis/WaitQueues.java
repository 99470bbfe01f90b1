package io.lockbench.jedis;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Where this service's waiters park, one queue per lock channel, and how release messages wake them.
 *
 * <p>A release frees the lock once, so it wakes one waiter, the longest parked (a fair semaphore): waking
 * them all would send every waiter's retry to the server for one winner. At most one wake-up is kept for a
 * queue whose waiters are all busy retrying; a surplus one costs a single retry.
 */
final class WaitQueues {

    private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();

    /**
     * Joins the queue of {@code channel}. Join before the attempt whose "held" answer you will park on: a
     * release after that attempt then finds you in the queue.
     *
     * @param channel the lock's release channel
     * @return your place; close it when done waiting
     */
    Place join(String channel) {
        int[] ahead = new int[1];
        Queue queue = queues.compute(channel, (name, existing) -> {
            Queue joined = existing == null ? new Queue() : existing;
            ahead[0] = joined.members;
            joined.members++;
            return joined;
        });
        return new Place(channel, queue, ahead[0] > 0);
    }

    /**
     * Wakes the longest waiter on {@code channel}, if any.
     *
     * @param channel the channel a release was published on
     */
    void released(String channel) {
        Queue queue = queues.get(channel);
        if (queue != null && queue.wakeUps.availablePermits() == 0) {
            queue.wakeUps.release();
        }
    }

    /** Wakes every waiter: release messages may have been lost while the subscription was down. */
    void wakeAll() {
        for (Queue queue : queues.values()) {
            queue.wakeUps.release(Math.max(1, queue.members));
        }
    }

    private void leave(String channel) {
        queues.computeIfPresent(channel, (name, queue) -> --queue.members == 0 ? null : queue);
    }

    /** One channel's waiters. */
    private static final class Queue {
        private final Semaphore wakeUps = new Semaphore(0, true);
        /** Changed only inside the map's compute functions; read elsewhere as a hint. */
        private volatile int members;
    }

    /** One waiter's membership of a queue. */
    final class Place implements AutoCloseable {

        private final String channel;
        private final Queue queue;
        private final boolean behindOthers;
        private boolean left;

        private Place(String channel, Queue queue, boolean behindOthers) {
            this.channel = channel;
            this.queue = queue;
            this.behindOthers = behindOthers;
        }

        /** @return whether other waiters of this service were already queued when this one joined */
        boolean behindOthers() {
            return behindOthers;
        }

        /**
         * Parks until a release wakes this waiter or {@code nanos} pass.
         *
         * @param nanos the longest park
         * @return true when woken by a release
         * @throws InterruptedException when the thread is interrupted
         */
        boolean await(long nanos) throws InterruptedException {
            return queue.wakeUps.tryAcquire(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            if (!left) {
                left = true;
                leave(channel);
            }
        }
    }
}
