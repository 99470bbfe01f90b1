package io.lockbench.lettuce;

import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One shared connection that can be swapped for a fresh one. Lettuce matches replies to commands by their
 * order on the connection; after a command timed out because its reply was lost, every later reply on that
 * connection would complete the wrong command. So a connection that saw a timeout is closed and the next
 * caller gets a new one; a connection that failed to open is retried on the next call.
 *
 * @param <C> the connection type
 */
final class ConnectionSlot<C extends StatefulConnection<String, String>> {

    private final Supplier<? extends CompletionStage<? extends C>> connector;
    private final AtomicReference<CompletableFuture<C>> current = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * @param connector opens a new connection without blocking
     */
    ConnectionSlot(Supplier<? extends CompletionStage<? extends C>> connector) {
        this.connector = connector;
    }

    /**
     * The connection, opened on first use and again after {@link #replace} or a failed open.
     *
     * @return a stage completing with an open connection, or with why none could be opened
     */
    CompletableFuture<C> get() {
        while (true) {
            CompletableFuture<C> slot = current.get();
            if (slot != null && !slot.isCompletedExceptionally()) {
                return slot;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the connection was closed"));
            }
            CompletableFuture<C> fresh = new CompletableFuture<>();
            if (current.compareAndSet(slot, fresh)) {
                open(fresh);
                return fresh;
            }
        }
    }

    /**
     * Closes {@code broken} and lets the next {@link #get()} open a new connection; no-op when it was
     * replaced already.
     *
     * @param broken the connection a command failed on
     */
    void replace(C broken) {
        CompletableFuture<C> slot = current.get();
        if (slot != null && slot.isDone() && !slot.isCompletedExceptionally() && slot.join() == broken
                && current.compareAndSet(slot, null)) {
            broken.closeAsync();
        }
    }

    /**
     * Closes the connection and waits for it; later calls to {@link #get()} fail. A connection still opening
     * is waited for, up to {@code bound}, and closed once open: the client shutdown that follows a close
     * would otherwise cut the connect half-way (a Sentinel connect is two steps: ask a Sentinel, then connect
     * to the primary) and leave the primary's socket open until the garbage collector finds it.
     *
     * @param bound how long to wait for a connection still opening
     */
    void close(Duration bound) {
        closed = true;
        CompletableFuture<C> slot = current.getAndSet(null);
        if (slot == null) {
            return;
        }
        if (!slot.isDone()) {
            // Its callback may have read "not closed" just before this close, so whatever connection it
            // yields is closed here too (closing twice is harmless).
            slot.thenAccept(StatefulConnection::closeAsync);
            try {
                slot.handle((connection, error) -> null).get(bound.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // Still opening after the bound: the callback above closes it when it opens.
            }
        }
        if (slot.isDone() && !slot.isCompletedExceptionally()) {
            slot.join().close();
        }
    }

    private void open(CompletableFuture<C> fresh) {
        CompletionStage<? extends C> connecting;
        try {
            connecting = connector.get();
        } catch (RuntimeException e) {
            fresh.completeExceptionally(e);
            return;
        }
        connecting.whenComplete((connection, error) -> {
            if (error != null) {
                fresh.completeExceptionally(error);
            } else if (closed) {
                // Completed once closed, so that a close waiting for this slot knows the socket is gone.
                connection.closeAsync().whenComplete((ignored, closeError) ->
                        fresh.completeExceptionally(new IllegalStateException("the connection was closed")));
            } else {
                fresh.complete(connection);
            }
        });
    }
}
