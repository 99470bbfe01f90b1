package io.lockbench.lettuce;

import io.lettuce.core.ScriptOutputType;
import io.lockbench.api.AsyncLease;
import io.lockbench.api.AsyncLockService;
import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.Backoff;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.LuaScript;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis locks over Lettuce, asynchronous at the core: every acquire is an {@link AcquireOperation} that
 * blocks no thread, woken by release messages on one shared subscriber connection and by retry timers on one
 * scheduler thread. The synchronous {@link #tryAcquire} and {@link #acquire} wait for the same stages.
 *
 * <p>Each attempt, extend and release is one round trip (a Lua script by SHA1). An attempt that times out or
 * fails on the wire may have taken the lock; it is given back by owner token over a fresh connection, retried
 * until the server answers or the ttl has passed, while the caller gets a {@link LockBackendException}.
 *
 * <p>Stages complete on Lettuce's I/O threads: callbacks must not block (use the async lease methods there).
 * Works on standalone Redis ({@link #LettuceLockService(LockSettings)}) and on Redis Cluster
 * ({@link #cluster(LockSettings)}).
 */
public final class LettuceLockService implements AsyncLockService {

    /** The provider name. */
    public static final String NAME = "lettuce";

    private static final Logger LOG = LoggerFactory.getLogger(LettuceLockService.class);
    private static final Set<Capability> CAPABILITIES =
            Collections.unmodifiableSet(EnumSet.of(Capability.FENCING, Capability.ASYNC, Capability.ANY_THREAD_RELEASE));
    /** Pacing of the compare-and-delete that resolves an ambiguous acquire while the server does not answer. */
    private static final Backoff RESOLVE_BACKOFF =
            new Backoff(Duration.ofMillis(10).toNanos(), Duration.ofMillis(250).toNanos());
    private static final AtomicInteger SERVICES = new AtomicInteger();

    private final RedisLink link;
    private final Duration commandTimeout;
    private final ScheduledExecutorService scheduler;
    private final ReleaseChannels channels;
    private final Set<AcquireOperation> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Connects to one standalone Redis server, the first node of {@code settings}.
     *
     * @param settings where the server is and the command timeout (also the connect timeout)
     * @throws LockBackendException when the server cannot be reached, naming its address
     */
    public LettuceLockService(LockSettings settings) {
        this(StandaloneLink.connect(settings), settings);
    }

    private LettuceLockService(RedisLink link, LockSettings settings) {
        this.link = link;
        this.commandTimeout = settings.commandTimeout();
        this.channels = new ReleaseChannels(link);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "lettuce-lock-timer-" + SERVICES.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // A woken waiter cancels its timer; without this, cancelled timers would pile up in the queue.
        timers.setRemoveOnCancelPolicy(true);
        this.scheduler = timers;
    }

    /**
     * Connects to a Redis Cluster. Every node of {@code settings} is a seed; the cluster's topology is read
     * from them. All keys of one lock share a hash tag, so each script runs on one master.
     *
     * @param settings seed nodes and the command timeout
     * @return a new service; the caller closes it
     * @throws LockBackendException when no seed can be reached, naming the addresses
     */
    public static LettuceLockService cluster(LockSettings settings) {
        return new LettuceLockService(ClusterLink.connect(settings), settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Optional<Lease> tryAcquire(String key, Duration ttl) {
        return join(start(key, ttl, Duration.ZERO).result()).map(lease -> lease);
    }

    /**
     * {@inheritDoc}
     *
     * <p>When interrupted, abandons the wait and, before throwing, waits (up to twice the command timeout)
     * until an attempt still in flight has been answered and any lock it took given back.
     */
    @Override
    public Optional<Lease> acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        AcquireOperation operation = start(key, ttl, LockArguments.requireWait(maxWait));
        try {
            return operation.result().get().map(lease -> lease);
        } catch (InterruptedException e) {
            operation.result().cancel(false);
            awaitUninterruptibly(operation.settled(), commandTimeout.multipliedBy(2));
            throw e;
        } catch (ExecutionException e) {
            throw unwrapped(e.getCause());
        }
    }

    /**
     * {@inheritDoc}
     *
     * @return a future; cancelling it is allowed and changes nothing (the attempt is already on its way,
     *     and a lock it takes is given back)
     */
    @Override
    public CompletableFuture<Optional<AsyncLease>> tryAcquireAsync(String key, Duration ttl) {
        return start(key, ttl, Duration.ZERO).result();
    }

    /**
     * {@inheritDoc}
     *
     * @return a future; {@link CompletableFuture#cancel(boolean) cancelling} it abandons the wait
     */
    @Override
    public CompletableFuture<Optional<AsyncLease>> acquireAsync(String key, Duration ttl, Duration maxWait) {
        return start(key, ttl, LockArguments.requireWait(maxWait)).result();
    }

    /**
     * Ends waiting acquires with {@link IllegalStateException}, stops the retry scheduler, closes the
     * connections and shuts Lettuce's threads down, waiting for them. Leases still held expire on the server.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AcquireOperation operation : waiting) {
            operation.result().completeExceptionally(closedWhileWaiting());
        }
        scheduler.shutdownNow();
        link.close();
        try {
            scheduler.awaitTermination(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LettuceLockService[" + link.address() + (closed.get() ? ", closed" : "") + "]";
    }

    private AcquireOperation start(String key, Duration ttl, Duration maxWait) {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireOpen(closed.get(), NAME);
        AcquireOperation operation = new AcquireOperation(this, key, ttl, maxWait);
        if (!maxWait.isZero()) {
            // Only a waiting acquire can outlive close(); one attempt ends with the connection.
            waiting.add(operation);
            operation.result().whenComplete((lease, error) -> waiting.remove(operation));
        }
        operation.start();
        return operation;
    }

    // ---------------------------------------------------------------------------------------------------
    // The server side, shared by AcquireOperation and LettuceLease.

    /**
     * Runs acquire.lua once.
     *
     * @return {code, fencing token or holder's PTTL}, see {@link LockScripts}
     */
    CompletionStage<List<Object>> acquireOnServer(LockKeys keys, String token, String ttlMillis) {
        return script(LockScripts.ACQUIRE, ScriptOutputType.MULTI, new String[] {keys.lock(), keys.fence()},
                token, ttlMillis);
    }

    /** Runs extend.lua; completes with whether the server still held our token. */
    CompletionStage<Boolean> extendOnServer(LockKeys keys, String token, Duration ttl) {
        LockArguments.requireOpen(closed.get(), NAME);
        CompletionStage<Long> reply = script(LockScripts.EXTEND, ScriptOutputType.INTEGER, new String[] {keys.lock()},
                token, Long.toString(ttl.toMillis()));
        return mapped(reply, "extend of " + keys.lock(), code -> code == 1L);
    }

    /** Runs release.lua; completes with what the server found. */
    CompletionStage<ReleaseResult> releaseOnServer(LockKeys keys, String token) {
        LockArguments.requireOpen(closed.get(), NAME);
        return mapped(releaseScript(keys, token), "release of " + keys.lock(), LockScripts::releaseResult);
    }

    /**
     * Deletes the lock if it holds our token, retrying on the scheduler until the server answers, the lock
     * has surely expired, or the service is closed. Never fails.
     *
     * @param goneByNanos nanoTime after which the lock cannot exist any more
     * @return completes when done or given up
     */
    CompletionStage<Void> deleteIfOurs(LockKeys keys, String token, long goneByNanos) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        deleteIfOurs(keys, token, goneByNanos, 0, done);
        return done;
    }

    /**
     * @return the failure as the caller sees it: a LockBackendException naming the server
     */
    LockBackendException backendError(String what, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof LockBackendException backend) {
            return backend;
        }
        return new LockBackendException(link.address(), what + " failed: " + cause, cause);
    }

    /** @return what a waiting acquire ends with when the service is closed */
    IllegalStateException closedWhileWaiting() {
        return new IllegalStateException(NAME + ": the lock service was closed while the acquire waited");
    }

    ReleaseChannels channels() {
        return channels;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Waits for a stage as the synchronous API does: its value, or its failure rethrown unwrapped.
     *
     * @param stage a stage of this service
     * @param <T> the value type
     * @return the value
     */
    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw unwrapped(e.getCause());
        }
    }

    private CompletionStage<Long> releaseScript(LockKeys keys, String token) {
        return script(LockScripts.RELEASE, ScriptOutputType.INTEGER, new String[] {keys.lock()}, token, keys.channel());
    }

    private <T> CompletionStage<T> script(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return script.runAsync(sha1 -> link.evalsha(sha1, type, keys, args),
                source -> link.eval(source, type, keys, args));
    }

    private <T, R> CompletionStage<R> mapped(CompletionStage<T> reply, String what, Function<T, R> mapping) {
        return reply.handle((value, error) -> {
            if (error != null) {
                throw backendError(what, error);
            }
            return mapping.apply(value);
        });
    }

    private void deleteIfOurs(LockKeys keys, String token, long goneByNanos, int attempt, CompletableFuture<Void> done) {
        if (closed.get() || goneByNanos - System.nanoTime() <= 0) {
            done.complete(null);
            return;
        }
        CompletionStage<Long> reply;
        try {
            reply = releaseScript(keys, token);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((code, error) -> {
            if (error == null) {
                if (code == 1L) {
                    LOG.debug("gave back {}, taken by an acquire whose outcome was unknown or abandoned", keys.lock());
                }
                done.complete(null);
                return;
            }
            long delay = RESOLVE_BACKOFF.delayNanos(attempt, -1, goneByNanos - System.nanoTime());
            try {
                scheduler.schedule(() -> deleteIfOurs(keys, token, goneByNanos, attempt + 1, done), delay,
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                done.complete(null);
            }
        });
    }

    private static RuntimeException unwrapped(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    /** Waits up to {@code timeout}; a further interrupt meanwhile is part of the one being reported. */
    private static void awaitUninterruptibly(CompletableFuture<?> future, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!future.isDone()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                future.get(remaining, TimeUnit.NANOSECONDS);
            } catch (InterruptedException again) {
                // Part of the interrupt being reported; the cleanup is still worth waiting for.
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                return;
            }
        }
    }
}
