package io.lockbench.core;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.LockService;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The skeleton every Redis-client lock service shares, written once: the argument, closed and interrupt
 * checks that open {@link #tryAcquire} and {@link #acquire}; the service's timer thread and
 * {@link OutcomeResolver}; running a {@link WaitLoop} for a blocked caller (interrupts, close); and a
 * {@link #close()} that ends every blocked call at once with {@link IllegalStateException} before the
 * client is shut down.
 *
 * <p>Subclasses supply one attempt ({@link #tryOnce}), the wait ({@link #waitFor}, usually a
 * {@link WaitLoop} run through {@link #await}) and the client's shutdown ({@link #closeClient}).
 */
public abstract class AbstractLockService implements LockService {

    private final String name;
    private final Set<Capability> capabilities;
    private final Duration closeBound;
    private final ScheduledThreadPoolExecutor timers;
    private final OutcomeResolver resolver;
    private final Set<CompletableFuture<?>> blocked = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param name the registered name
     * @param capabilities what the implementation declares
     * @param commandTimeout the settings' command timeout: how long close waits, at most, for the resolver's
     *     and the timer's threads to stop, and how long an interrupted acquire waits for its attempt in flight
     */
    protected AbstractLockService(String name, Set<Capability> capabilities, Duration commandTimeout) {
        this.name = name;
        this.capabilities = capabilities.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
        this.closeBound = commandTimeout;
        this.timers = Threads.timers("lockbench-" + name + "-timer");
        this.resolver = new OutcomeResolver(name, timers, drainTime(commandTimeout));
    }

    /**
     * The shortest drain time of the resolver, whatever the command timeout: how long after the server's first
     * answer to a compare-and-delete a request whose reply was lost may still reach it and write our token. The
     * command timeout bounds how long the client kept writing to a connection, but not how long a request spends
     * on its way (in a proxy's thread, in the kernel of a loaded machine): a 50 ms command timeout is too short a
     * bound for that. Until the drain time has passed the resolver keeps sending a compare-and-delete every 5 to
     * 50 ms, which deletes such a late token.
     */
    static final Duration MIN_DRAIN = Duration.ofSeconds(1);

    /** @return the command timeout, or {@link #MIN_DRAIN} when longer */
    static Duration drainTime(Duration commandTimeout) {
        return commandTimeout.compareTo(MIN_DRAIN) < 0 ? MIN_DRAIN : commandTimeout;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public final Optional<Lease> tryAcquire(String key, Duration ttl) {
        checkArguments(key, ttl, Duration.ZERO);
        return tryOnce(key, ttl);
    }

    @Override
    public final Optional<Lease> acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        checkArguments(key, ttl, maxWait);
        if (Thread.interrupted()) {
            throw new InterruptedException(name + ": acquire of '" + key + "' interrupted before it started");
        }
        return waitFor(key, ttl, maxWait);
    }

    /**
     * The checks that open every acquire, for the entry points the skeleton does not own (such as an
     * asynchronous acquire): argument errors and use after close are thrown to the caller at once.
     *
     * @param key the lock's name
     * @param ttl the ttl, at most {@link #maxTtl()}
     * @param maxWait how long the acquire may wait; {@link Duration#ZERO} for one attempt
     * @throws IllegalArgumentException naming the bad argument
     * @throws IllegalStateException after {@link #close()}
     */
    protected final void checkArguments(String key, Duration ttl, Duration maxWait) {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireWait(maxWait);
        requireOpen();
    }

    /**
     * One attempt; arguments are checked and the service is open.
     *
     * @param key the lock's name
     * @param ttl the ttl
     * @return the lease, or empty when the key is held
     */
    protected abstract Optional<Lease> tryOnce(String key, Duration ttl);

    /**
     * A waiting acquire; arguments are checked, the service is open and the thread was not interrupted.
     *
     * @param key the lock's name
     * @param ttl the ttl
     * @param maxWait how long to wait; zero makes one attempt
     * @return the lease, or empty when the wait ran out
     * @throws InterruptedException when interrupted; nothing of ours is left behind
     */
    protected abstract Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException;

    /**
     * Closes the client's connections and threads; called once, after every blocked call was ended.
     */
    protected abstract void closeClient();

    /**
     * Waits for a loop on the calling thread: runs its attempts there when {@code caller} is given (a
     * blocking client), or just waits for it (a non-blocking client). Close ends the wait with
     * {@link IllegalStateException}; an interrupt abandons the loop, waits (up to the command timeout) until
     * an attempt still in flight has been answered and any lock it took given back, and throws.
     *
     * @param key the lock's name, for messages
     * @param loop the running loop
     * @param caller the executor the loop was started with, or null when it runs its attempts itself
     * @param <L> the lease type
     * @return the lease, or empty when the wait ran out
     * @throws InterruptedException when interrupted
     */
    protected final <L extends Lease> Optional<Lease> await(String key, WaitLoop<L> loop, CallerThread caller)
            throws InterruptedException {
        CompletableFuture<Optional<L>> result = loop.result();
        blocked.add(result);
        try {
            if (closed.get()) {
                loop.abandon(closedWhileWaiting());
            }
            if (caller != null) {
                caller.runUntil(result);
                if (Thread.interrupted()) {
                    // Interrupted while an attempt ran on this thread, which a blocking call does not notice:
                    // handled as if it had come while waiting, so a lease won meanwhile is given back.
                    throw new InterruptedException(name + ": acquire of '" + key + "' interrupted");
                }
            } else {
                result.get();
            }
        } catch (InterruptedException e) {
            loop.abandon(new CancellationException("interrupted"));
            if (caller != null) {
                caller.runPending();
            }
            awaitQuietly(loop.settled(), closeBound);
            Optional<L> won = wonAnyway(result);
            won.ifPresent(Lease::close);
            throw e;
        } catch (ExecutionException ignored) {
            // reported below, from the completed result
        } finally {
            blocked.remove(result);
        }
        return outcome(key, result);
    }

    private static <L> Optional<L> wonAnyway(CompletableFuture<Optional<L>> result) {
        if (result.isDone() && !result.isCompletedExceptionally()) {
            return result.join();
        }
        return Optional.empty();
    }

    private Optional<Lease> outcome(String key, CompletableFuture<? extends Optional<? extends Lease>> result)
            throws InterruptedException {
        try {
            return result.join().map(lease -> lease);
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException(
                        name + ": acquire of '" + key + "' interrupted");
                interrupted.initCause(cause);
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Registers an asynchronous acquire's stage, so that close ends it with {@link IllegalStateException}.
     *
     * @param loop the running loop
     * @param <L> the lease type
     * @return the loop
     */
    protected final <L extends Lease> WaitLoop<L> track(WaitLoop<L> loop) {
        CompletableFuture<Optional<L>> result = loop.result();
        blocked.add(result);
        result.whenComplete((lease, error) -> blocked.remove(result));
        if (closed.get()) {
            loop.abandon(closedWhileWaiting());
        }
        return loop;
    }

    /**
     * Registers a future a caller blocks on outside {@link #await} (a client that runs its own wait), so that
     * close completes it with {@link IllegalStateException}; it is forgotten once complete.
     *
     * @param pending the future the caller is about to wait on
     * @param <T> its result type
     * @return {@code pending}
     */
    protected final <T> CompletableFuture<T> endOnClose(CompletableFuture<T> pending) {
        blocked.add(pending);
        pending.whenComplete((value, error) -> blocked.remove(pending));
        if (closed.get()) {
            pending.completeExceptionally(closedWhileWaiting());
        }
        return pending;
    }

    /** @return the service's timer scheduler (one daemon thread, started on demand) */
    protected final ScheduledThreadPoolExecutor timers() {
        return timers;
    }

    /**
     * The shortest time one of the resolver's compare-and-deletes may wait for its answer, whatever the command
     * timeout. The resolver is off every caller's path, so a try need not give up after the command timeout: a
     * client that replaces its connection after a timeout (Jedis) would otherwise need a new connection set up
     * and answered within it on every try, which beside busy CPUs failed for up to 2.7 s in a row with 50 ms
     * (chaos, ambiguous-acquire). Nor may it wait long: while replies are lost a try learns nothing until it
     * gives up, and a request of ours that reaches the server after it (another connection, held up on the way)
     * keeps its lock until the next try (the likely cause of a 1.1 s orphan seen with a 1 s wait, beside a benchmark).
     */
    static final Duration MIN_PATIENCE = Duration.ofMillis(250);

    /**
     * How long one of the resolver's compare-and-deletes may wait for its answer: the command timeout, or
     * {@link #MIN_PATIENCE} when longer. {@link #abortResolverCalls} cuts such a wait short when the service
     * closes.
     *
     * @return the patience of the resolver's calls
     */
    protected final Duration resolverPatience() {
        return closeBound.compareTo(MIN_PATIENCE) < 0 ? MIN_PATIENCE : closeBound;
    }

    /**
     * Called first by {@link #close()}: ends the resolver's calls in progress that wait longer than the command
     * timeout ({@link #resolverPatience()}), so that none outlives the close. Nothing by default.
     */
    protected void abortResolverCalls() {
    }

    /**
     * Requests whose outcome was unknown (a timeout, a lost connection, an interrupt) and which the resolver is
     * still settling: each one may hold a lock on the server until it is settled. For monitoring and tests.
     *
     * @return how many there are now
     */
    public final int unsettledRequests() {
        return resolver.unsettled();
    }

    /** @return the service's outcome resolver */
    protected final OutcomeResolver resolver() {
        return resolver;
    }

    /** @return whether {@link #close()} was called */
    protected final boolean isClosed() {
        return closed.get();
    }

    /**
     * @throws IllegalStateException after {@link #close()}
     */
    protected final void requireOpen() {
        LockArguments.requireOpen(closed.get(), name);
    }

    /** @return what a blocked acquire ends with when the service is closed */
    protected final IllegalStateException closedWhileWaiting() {
        return new IllegalStateException(name + ": the lock service was closed while the acquire waited");
    }

    /**
     * Ends every blocked acquire with {@link IllegalStateException}, stops the resolver (what it had not
     * settled expires by its ttl), closes the client and stops the timer thread. Leases still held expire on
     * the server. Idempotent.
     */
    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (CompletableFuture<?> result : blocked) {
            result.completeExceptionally(closedWhileWaiting());
        }
        abortResolverCalls();
        resolver.close(closeBound);
        closeClient();
        timers.shutdownNow();
        try {
            timers.awaitTermination(closeBound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CompletableFuture<?> future, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        boolean interrupted = false;
        while (!future.isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                future.get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException again) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + (closed.get() ? ", closed" : "") + "]";
    }
}
