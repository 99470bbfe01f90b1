package io.lockbench.testkit;

import redis.clients.jedis.args.ClientPauseMode;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Pausing a server we cannot signal: {@code CLIENT PAUSE ms ALL} makes the server hold every client's
 * next command until the time is up; the server resumes by itself. Such a pause cannot be cut short:
 * Redis (6.2 and 7.x alike) holds {@code CLIENT UNPAUSE} too, on every connection, so {@link #resume()}
 * waits the pause out instead.
 */
final class ClientPause {

    private final RedisNode node;
    /** {@code System.nanoTime()} when the current pause ends by itself; meaningful while {@code paused}. */
    private long endsAtNanos;
    private boolean paused;

    ClientPause(RedisNode node) {
        this.node = node;
    }

    synchronized void pause(Duration d) {
        long millis = Math.max(1, AbstractNode.requirePositive(d).toMillis());
        // A CLIENT PAUSE sent now would itself be held until the current pause ends.
        resume();
        // CLIENT PAUSE replies only once the pause is in force, so the server has stopped answering here.
        node.call(jedis -> jedis.clientPause(millis, ClientPauseMode.ALL));
        endsAtNanos = System.nanoTime() + d.toNanos();
        paused = true;
    }

    /** Returns once the server answers again: at once when not paused, else when the pause is over. */
    synchronized void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        // The server started its clock before replying to CLIENT PAUSE, so it is done by our deadline.
        long remaining = endsAtNanos - System.nanoTime();
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the CLIENT PAUSE on " + node
                    + " to end", e);
            }
        }
    }
}
