package io.lockbench.api;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock and a scheduler that move only when the test says: {@link #advance} runs, on the test's thread and
 * in time order, every task that falls due, with the clock set to each task's time. Only what AutoRenewal
 * uses is implemented (one-shot {@code schedule} of a Runnable).
 */
final class ManualTime extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long sequence;

    /** @return the current time, as {@link System#nanoTime()} would be read */
    synchronized long nanoTime() {
        return now;
    }

    /** Moves the clock without running anything: time spent inside a task, such as a slow reply. */
    synchronized void pass(Duration duration) {
        now += duration.toNanos();
    }

    /** Moves the clock by {@code duration}, running every task due by then. */
    void advance(Duration duration) {
        long until;
        synchronized (this) {
            until = now + duration.toNanos();
        }
        for (Task due = nextDue(until); due != null; due = nextDue(until)) {
            due.command.run();
        }
        synchronized (this) {
            now = Math.max(now, until);
        }
    }

    private synchronized Task nextDue(long until) {
        Task head = queue.peek();
        if (head == null || head.at - until > 0) {
            return null;
        }
        queue.poll();
        now = Math.max(now, head.at);
        return head;
    }

    /** @return the tasks waiting to run */
    synchronized int pending() {
        return queue.size();
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(command, now + unit.toNanos(delay), sequence++);
        queue.add(task);
        return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        throw new UnsupportedOperationException("the test owns the manual scheduler");
    }

    @Override
    public List<Runnable> shutdownNow() {
        throw new UnsupportedOperationException("the test owns the manual scheduler");
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }

    /** One scheduled task; cancel takes it off the queue. */
    private final class Task implements ScheduledFuture<Void> {
        private final Runnable command;
        private final long at;
        private final long order;
        private boolean cancelled;

        private Task(Runnable command, long at, long order) {
            this.command = command;
            this.at = at;
            this.order = order;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task that = (Task) other;
            int byTime = Long.compare(at - that.at, 0);
            return byTime != 0 ? byTime : Long.compare(order, that.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualTime.this) {
                cancelled = queue.remove(this);
                return cancelled;
            }
        }

        @Override
        public boolean isCancelled() {
            synchronized (ManualTime.this) {
                return cancelled;
            }
        }

        @Override
        public boolean isDone() {
            synchronized (ManualTime.this) {
                return cancelled || !queue.contains(this);
            }
        }

        @Override
        public Void get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Void get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
