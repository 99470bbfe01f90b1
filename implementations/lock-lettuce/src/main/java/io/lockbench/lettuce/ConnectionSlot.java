package io.lockbench.lettuce;

import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One shared connection that can be swapped for a fresh one. Lettuce matches replies to commands by their
 * order on the connection; after a command timed out because its reply was lost, every later reply on that
 * connection would complete the wrong command. So a connection that saw a timeout is closed and the next
 * caller gets a new one; a connection that failed to open, or did not open within a bound, is retried on the
 * next call.
 *
 * <p>Once {@link #close} has begun no connection is opened any more, and close waits for the one still
 * opening: a connection started while the client's threads shut down could otherwise be registered with an
 * event loop after that loop closed its channels, and stay open with no thread left to close it.
 *
 * @param <C> the connection type
 */
final class ConnectionSlot<C extends StatefulConnection<String, String>> {

    private final Supplier<? extends CompletionStage<? extends C>> connector;
    private final ScheduledExecutorService timer;
    private final Duration openBound;
    private volatile CompletableFuture<C> current;
    private boolean closed;

    /**
     * @param connector opens a new connection without blocking
     * @param timer where the bound on an opening connection is timed; the client's own threads
     * @param openBound how long an open may take before the slot gives up on it and the next call opens
     *     another: a Sentinel-resolved connect has been seen never to complete once the Sentinel connection
     *     it asked through was abandoned during a failover, and every caller would wait on it for good
     */
    ConnectionSlot(Supplier<? extends CompletionStage<? extends C>> connector, ScheduledExecutorService timer,
                   Duration openBound) {
        this.connector = connector;
        this.timer = timer;
        this.openBound = openBound;
    }

    /**
     * The connection, opened on first use and again after {@link #replace} or a failed open.
     *
     * @return a stage completing with an open connection, or with why none could be opened
     */
    CompletableFuture<C> get() {
        CompletableFuture<C> slot = current;
        if (slot != null && !slot.isCompletedExceptionally()) {
            return slot;
        }
        return openUnlessClosed();
    }

    /**
     * Closes {@code broken} and lets the next {@link #get()} open a new connection; no-op when it was
     * replaced already.
     *
     * @param broken the connection a command failed on
     */
    void replace(C broken) {
        synchronized (this) {
            CompletableFuture<C> slot = current;
            if (slot == null || !slot.isDone() || slot.isCompletedExceptionally() || slot.join() != broken) {
                return;
            }
            current = null;
        }
        broken.closeAsync();
    }

    /**
     * Closes the connection; later calls to {@link #get()} fail. A connection still opening is waited for
     * (at most {@code bound}) and closed too.
     *
     * @param bound how long to wait for a connection still opening; after it, it is closed when it opens
     */
    void close(Duration bound) {
        CompletableFuture<C> slot;
        synchronized (this) {
            closed = true;
            slot = current;
            current = null;
        }
        if (slot == null) {
            return;
        }
        try {
            slot.get(bound.toNanos(), TimeUnit.NANOSECONDS).close();
        } catch (ExecutionException e) {
            // It never opened: nothing to close.
        } catch (TimeoutException e) {
            slot.thenAccept(StatefulConnection::closeAsync);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            slot.thenAccept(StatefulConnection::closeAsync);
        }
    }

    /** Starts a connection under the lock, so that none starts once {@link #close} has begun. */
    private synchronized CompletableFuture<C> openUnlessClosed() {
        CompletableFuture<C> slot = current;
        if (slot != null && !slot.isCompletedExceptionally()) {
            return slot;
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the connection was closed"));
        }
        CompletableFuture<C> fresh = new CompletableFuture<>();
        current = fresh;
        ScheduledFuture<?> deadline = giveUpAfterBound(fresh);
        try {
            connector.get().whenComplete((connection, error) -> {
                if (deadline != null) {
                    deadline.cancel(false);
                }
                if (error != null) {
                    fresh.completeExceptionally(error);
                } else if (!fresh.complete(connection)) {
                    // Given up on already: nobody will use or close it otherwise.
                    connection.closeAsync();
                }
            });
        } catch (RuntimeException e) {
            fresh.completeExceptionally(e);
        }
        return fresh;
    }

    /** @return the timer that fails {@code opening} after the bound, or null when the timer takes no more tasks */
    private ScheduledFuture<?> giveUpAfterBound(CompletableFuture<C> opening) {
        try {
            return timer.schedule(() -> opening.completeExceptionally(
                    new TimeoutException("the connection did not open within " + openBound)),
                    openBound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The client is shutting down: close() ends the open with it.
            return null;
        }
    }
}
