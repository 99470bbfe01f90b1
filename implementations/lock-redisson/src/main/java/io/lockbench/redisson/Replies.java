package io.lockbench.redisson;

import io.lockbench.api.LockBackendException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;

/**
 * Waiting for Redisson's replies, and turning its failures into {@link LockBackendException}s that name the
 * server.
 */
final class Replies {

    private Replies() {
    }

    /**
     * Waits for a reply, at most {@code limitNanos}, without giving in to interrupts (the wait is bounded by
     * the command timeout; the interrupt flag is restored afterwards).
     *
     * @param reply the pending reply
     * @param limitNanos the longest wait, a safety net above Redisson's own command timeout
     * @param address the server's host:port, for the exception
     * @param what the operation, for the exception's message
     * @param <T> the reply type
     * @return the reply
     * @throws LockBackendException when the command failed or no reply came within the limit
     */
    static <T> T await(CompletionStage<T> reply, long limitNanos, String address, String what) {
        try {
            return getUninterruptibly(reply.toCompletableFuture(), limitNanos);
        } catch (ExecutionException e) {
            throw failure(address, what, e.getCause());
        } catch (TimeoutException e) {
            throw new LockBackendException(address, what + ": no reply within "
                    + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms", e);
        }
    }

    /**
     * Waits for a future at most {@code limitNanos}; an interrupt does not end the wait but is restored
     * afterwards.
     *
     * @param future the pending result
     * @param limitNanos the longest wait
     * @param <T> the result type
     * @return the result
     * @throws ExecutionException when the future failed
     * @throws TimeoutException when it did not complete in time
     */
    static <T> T getUninterruptibly(Future<T> future, long limitNanos) throws ExecutionException, TimeoutException {
        long start = System.nanoTime();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, limitNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
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
     * @param address the server's host:port
     * @param what the operation that failed
     * @param error what Redisson reported, possibly wrapped in a {@link CompletionException}
     * @return the exception to throw
     */
    static LockBackendException failure(String address, String what, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof LockBackendException backend) {
            return backend;
        }
        return new LockBackendException(address, what + " failed: " + cause.getMessage(), cause);
    }

    /**
     * Whether an error means the server never answered (timeout, lost or refused connection), as opposed to
     * an error reply from the server. After no answer, a request may still have run or may yet run.
     *
     * @param error a failure from a Redisson future
     * @return true when the outcome on the server is unknown
     */
    static boolean unanswered(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof RedisTimeoutException || cause instanceof RedisConnectionException
                || cause instanceof RedisRetryException || cause instanceof TimeoutException;
    }

    /**
     * Whether Redisson failed to subscribe to a lock's release channel within the wait it was given: it
     * bounds the subscription by the acquire's remaining wait time, so this means the wait ran out (or no
     * pub/sub connection was free in time). No acquire script is in flight when it is reported.
     *
     * @param error a failure from a Redisson lock future
     * @return true for Redisson's subscription timeouts
     */
    static boolean subscriptionTimedOut(Throwable error) {
        Throwable cause = unwrap(error);
        if (!(cause instanceof RedisTimeoutException) || cause.getMessage() == null) {
            return false;
        }
        String message = cause.getMessage();
        return message.startsWith("Unable to acquire subscription lock")
                || message.startsWith("Unable to acquire connection for subscription");
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
