package io.lockbench.fifo;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.AbstractLockService;
import io.lockbench.core.Backoff;
import io.lockbench.core.CallerThread;
import io.lockbench.core.LockScripts;
import io.lockbench.core.OwnerTokens;
import io.lockbench.core.ReleaseWaiters;
import io.lockbench.core.ReplicaAcks;
import io.lockbench.core.Validity;
import io.lockbench.core.WaitLoop;
import io.lockbench.jedis.JedisClients;
import io.lockbench.jedis.JedisScripts;
import io.lockbench.jedis.ReleaseListener;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A fair {@link LockService} on Jedis whose release hands the lock to the next waiter on the server: no Redis
 * lock library does this. Waiters are granted the lock in the order they first asked ({@link Capability#FAIR}).
 *
 * <p><b>How.</b> An acquire is one script call (fifo.lua): it takes the lock if it is free (with a fencing
 * token, as every implementation issues it), or puts the waiter's owner token at the end of the key's queue
 * and returns the holder's remaining ttl. A release is one script call: compare-and-delete by token and, when
 * a live waiter is queued, set the lock to that waiter's token with its ttl and the next fencing token in the
 * same step, and publish {@code "<token> <fence>"}. The waiter holds the lock when that message arrives: it
 * sends nothing more, so a handoff costs the release's round trip and the message, not the waiter's second
 * round trip. A waiter re-runs acquire every {@value #POLL_MIN_MILLIS} to {@value #POLL_MAX_MILLIS} ms (never
 * later than the holder's ttl runs out) in case a message was lost; each call keeps its place in the queue.
 *
 * <p><b>Dead waiters.</b> A queue entry carries a deadline on the server's clock, {@link #QUEUE_WINDOW} after
 * the waiter's last call; a grant skips (and drops) entries whose deadline passed. A waiter that gives up
 * (maxWait, interrupt, close) leaves the queue at once, releasing what a grant that raced in gave it. A waiter
 * whose process died is skipped at most {@code QUEUE_WINDOW} after its last call, so it delays the others by
 * at most that; only if a release granted it the lock within that window does the lock stay until its ttl,
 * as with a holder that died.
 *
 * <p><b>Validity.</b> A grant happens on the server before the waiter hears of it, so the waiter cannot time
 * its lease from the reply. It times it from the moment it sent its last acquire call that was answered
 * "queued" (the server ran that call before the grant, so the send came earlier still): the lease's deadline
 * is never later than the server's expiry, minus the usual drift allowance ({@link Validity}). That answer
 * carries the key's fencing counter, and a grant message is taken only when its fencing token is higher: a
 * message so late that the grant it announces had expired, and the waiter had been queued again meanwhile,
 * is ignored rather than timed from the newer call. A call that finds the lock already granted to it resets
 * the ttl, and the lease is timed from that call's send.
 *
 * <p>{@link #tryAcquire} and a zero wait make one attempt and never queue; an attempt that finds the lock
 * free while live waiters are queued hands it to the first of them and fails. Connections, the script runner
 * and the one subscriber connection and thread per service are lock-jedis's; an acquire or release whose
 * reply is lost goes to the service's {@link io.lockbench.core.OutcomeResolver}, which releases the token
 * (leaving the queue too). One server; a {@code redis-sentinel://} node reaches the primary through
 * lock-jedis's Sentinel client (not covered by the Sentinel suite, which needs replica acknowledgement); or a
 * Redis Cluster ({@link #cluster}). No replica acknowledgement. Thread-safe.
 */
public final class FifoLockService extends AbstractLockService {

    /** The provider name. */
    public static final String NAME = "fifo";

    /** What every service declares. */
    public static final Set<Capability> CAPABILITIES =
            Set.of(Capability.FAIR, Capability.FENCING, Capability.ANY_THREAD_RELEASE, Capability.CLUSTER);

    /** How long a queued waiter keeps its place without calling again: 2 s, well above its poll interval. */
    public static final Duration QUEUE_WINDOW = Duration.ofSeconds(2);

    /** The shortest fallback poll interval while a grant message is expected. */
    public static final long POLL_MIN_MILLIS = 32;
    /** The longest fallback poll interval while a grant message is expected. */
    public static final long POLL_MAX_MILLIS = 128;
    /** Jittered polls, POLL_MIN_MILLIS to POLL_MAX_MILLIS apart. */
    private static final Backoff POLL = new Backoff(TimeUnit.MILLISECONDS.toNanos(2 * POLL_MIN_MILLIS),
            TimeUnit.MILLISECONDS.toNanos(POLL_MAX_MILLIS));

    private static final Logger LOG = LoggerFactory.getLogger(FifoLockService.class);

    private final UnifiedJedis client;
    private final JedisScripts jedis;
    private final FifoScripts scripts;
    private final ReleaseListener subscriber;
    private final ReleaseWaiters waiters;
    private final Grants grants = new Grants();
    private final AtomicLong waiterIds = new AtomicLong();
    /** The waiters that may have a queue entry: from the start of their wait until they won or left. */
    private final Set<Waiter> queued = ConcurrentHashMap.newKeySet();

    /**
     * A service on the first node of {@code settings}. Connects lazily to a {@code redis://} server: an
     * unreachable server shows on the first call. A {@code redis-sentinel://} node asks the Sentinels for the
     * primary at once.
     *
     * @param settings the nodes (only the first is used) and the command timeout; replica acknowledgement off
     * @throws LockBackendException when no Sentinel of a Sentinel node answers or knows the master
     * @throws IllegalArgumentException when the settings ask for replica acknowledgement
     */
    public FifoLockService(LockSettings settings) {
        this(checked(settings), LockSettings.address(settings.firstNode()), settings.commandTimeout());
    }

    /**
     * A service on a Redis Cluster, seeded with the seeds of a {@code redis-cluster://} node, or else with every
     * node of {@code settings} ({@link LockSettings#clusterSeeds()}), on lock-jedis's cluster client. All
     * names of one lock (the lock, its fencing counter, queue and waiters) share a hash tag, so each fifo.lua
     * call runs on the master of one slot; a subscriber on every master hears the grants made there without
     * the cluster bus's delay (lock-jedis's {@code EveryMasterSubscriber}). Reads the cluster's slot map at once.
     *
     * @param settings the seed nodes and the command timeout; replica acknowledgement off
     * @return the service; the caller closes it
     * @throws LockBackendException when no seed node answers, naming them
     * @throws IllegalArgumentException when the settings ask for replica acknowledgement or name a Sentinel
     */
    public static FifoLockService cluster(LockSettings settings) {
        settings.requireNoSentinel(NAME + " cluster", "a cluster is reached through its own nodes");
        ReplicaAcks.requireOff(settings, NAME + " cluster", "a grant made inside a release is not followed by a WAIT");
        return new FifoLockService(JedisClients.cluster(settings), JedisClients.clusterAddress(settings),
                settings.commandTimeout());
    }

    private static JedisClients.Connected checked(LockSettings settings) {
        ReplicaAcks.requireOff(settings, NAME, "a grant made inside a release is not followed by a WAIT");
        return JedisClients.connect(settings);
    }

    private FifoLockService(JedisClients.Connected connected, String address, Duration commandTimeout) {
        super(NAME, CAPABILITIES, commandTimeout);
        this.client = connected.client();
        this.jedis = new JedisScripts(client, address);
        this.scripts = new FifoScripts(jedis);
        this.subscriber = ReleaseListener.of(connected.subscribeTo(), JedisClients.clientConfig(commandTimeout),
                (channel, message) -> granted(message), () -> waiters().wakeAll(), commandTimeout);
        // Each waiter waits on a name of its own: a grant wakes exactly the waiter it was made for.
        this.waiters = new ReleaseWaiters(subscriber);
    }

    /** The registry, read through a method because the subscriber's callbacks are built before it exists. */
    private ReleaseWaiters waiters() {
        return waiters;
    }

    private void granted(String message) {
        String waiter = grants.received(message);
        if (waiter != null) {
            waiters.released(waiter, null);
        }
    }

    /**
     * The script calls (EVALSHA, or EVAL after a NOSCRIPT) this service has sent, each one round trip:
     * acquire attempts and polls, releases (a waiter's leaving the queue included), extends, and the releases
     * that settle requests whose outcome was unknown. A grant received as a message costs none.
     *
     * @return the count since the service was created
     */
    public long roundTrips() {
        return jedis.roundTrips();
    }

    @Override
    protected Optional<Lease> tryOnce(String key, Duration ttl) {
        FifoKeys keys = FifoKeys.of(key);
        return Optional.ofNullable(attempt(key, keys, ttl, null).lease());
    }

    @Override
    protected Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        if (maxWait.isZero()) {
            return tryOnce(key, ttl);
        }
        Waiter waiter = new Waiter(key, FifoKeys.of(key), ttl);
        queued.add(waiter);
        CallerThread caller = new CallerThread();
        boolean won = false;
        try {
            WaitLoop<FifoLease> loop = WaitLoop.start(waiter.name, maxWait, waiter, waiters, timers(), caller, POLL);
            Optional<Lease> lease = await(key, loop, caller);
            won = lease.isPresent();
            return lease;
        } finally {
            grants.forget(waiter.token);
            if (won) {
                queued.remove(waiter);
            } else {
                leave(waiter);
            }
        }
    }

    /** One waiting acquire: its token in the queue, and the loop's attempts. Attempts run on the caller's thread. */
    private final class Waiter implements WaitLoop.Attempts<FifoLease> {

        private final String key;
        private final FifoKeys keys;
        private final Duration ttl;
        private final String name = "fifo-waiter-" + waiterIds.incrementAndGet();
        private volatile String token;
        /** nanoTime at which the last attempt answered "queued" was sent. */
        private long queuedSent;
        /** The fencing counter that answer saw; -1 before the first. A grant to take has a higher token. */
        private long queuedCounter = -1;
        /** Whether the current token went to the resolver, which takes it out of the queue. */
        private volatile boolean resolving;

        Waiter(String key, FifoKeys keys, Duration ttl) {
            this.key = key;
            this.keys = keys;
            this.ttl = ttl;
            renew();
        }

        /** Takes a fresh token: the first one, or after the previous one's outcome became unknown. */
        void renew() {
            if (token != null) {
                grants.forget(token);
            }
            token = OwnerTokens.next();
            queuedCounter = -1;
            resolving = false;
            grants.expect(token, name);
        }

        @Override
        public CompletionStage<WaitLoop.Attempt<FifoLease>> attempt() {
            long fence = grants.fence(token);
            if (queuedCounter >= 0 && fence > queuedCounter) {
                // Granted by a release: the lock is ours since the server ran the grant, which came after the
                // call sent at queuedSent (its token is higher than the counter that call saw).
                return CompletableFuture.completedFuture(WaitLoop.Attempt.granted(new FifoLease(
                        FifoLockService.this, key, keys, token, fence, Validity.until(queuedSent, ttl))));
            }
            try {
                return CompletableFuture.completedFuture(FifoLockService.this.attempt(key, keys, ttl, this));
            } catch (LockBackendException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public void giveBack(FifoLease lease) {
            try {
                lease.release();
            } catch (RuntimeException e) {
                LOG.debug("giving back the unwanted lease on '{}' failed; it is being resolved", key, e);
            }
        }
    }

    /**
     * One acquire call on the calling thread. A single attempt ({@code waiter} null) sends a fresh token and
     * does not queue; a waiter's attempt sends its own token and queues it.
     *
     * @return a lease, or "held" with the holder's remaining ttl
     * @throws LockBackendException when the call failed; a request that may have run was handed to the
     *     resolver first
     */
    private WaitLoop.Attempt<FifoLease> attempt(String key, FifoKeys keys, Duration ttl, Waiter waiter) {
        long window = waiter == null ? 0 : QUEUE_WINDOW.toMillis();
        for (int tries = 1; ; tries++) {
            requireOpen();
            String token = waiter == null ? OwnerTokens.next() : waiter.token;
            long sent = System.nanoTime();
            try {
                FifoScripts.Reply reply = scripts.acquire(keys, token, ttl.toMillis(), window);
                if (reply.code() == FifoScripts.HELD) {
                    if (waiter != null) {
                        waiter.queuedSent = sent;
                        waiter.queuedCounter = reply.counter();
                    }
                    return WaitLoop.Attempt.held(TimeUnit.MILLISECONDS.toNanos(reply.value()), token);
                }
                // ACQUIRED, or ALREADY_OURS: granted while this call was on its way, and its ttl reset by it.
                return WaitLoop.Attempt.granted(new FifoLease(this, key, keys, token, reply.value(),
                        Validity.until(sent, ttl)));
            } catch (JedisException e) {
                if (JedisScripts.interrupted(e)) {
                    // The pool swallowed the interrupt while waiting for a connection; nothing was sent.
                    Thread.currentThread().interrupt();
                }
                boolean dropped = JedisScripts.connectionDropped(e);
                if (dropped) {
                    jedis.evictIdleConnections();
                }
                if (JedisScripts.mayHaveRun(e)) {
                    resolve("acquire of " + keys.names().lock(), keys, token);
                    if (waiter != null) {
                        waiter.resolving = true;
                    }
                    // A pooled connection the server had dropped (a restart, an idle cut) fails once; when the
                    // server answers on a fresh one, one more try (with a fresh token) tells the caller the truth.
                    if (dropped && tries == 1 && answersAgain(keys, token)) {
                        if (waiter != null) {
                            waiter.renew();
                        }
                        continue;
                    }
                }
                throw jedis.failure("acquire of '" + key + "'", e);
            }
        }
    }

    /**
     * @return whether the server answers a release of the failed attempt's token on a fresh connection (it
     *     also deletes the token and its queue entry if the attempt had landed; the resolver covers a late one)
     */
    private boolean answersAgain(FifoKeys keys, String token) {
        try {
            scripts.release(keys, token);
            return !isClosed();
        } catch (JedisException e) {
            return false;
        }
    }

    /**
     * Takes a waiter that gave up out of the queue, releasing the lock if a grant raced in; when that call
     * fails the resolver does it. After close, {@link #closeClient} does it before the connections close.
     */
    private void leave(Waiter waiter) {
        if (isClosed()) {
            return;
        }
        if (!waiter.resolving) {
            try {
                scripts.release(waiter.keys, waiter.token);
            } catch (JedisException e) {
                LOG.debug("leaving the queue of '{}' failed; it is being resolved", waiter.key, e);
                resolve("queue entry of " + waiter.keys.names().lock(), waiter.keys, waiter.token);
            }
        }
        queued.remove(waiter);
    }

    /**
     * Hands a request whose outcome is unknown to the resolver, which releases our token (and takes it out
     * of the queue) once the server answers.
     *
     * @param what the request, for log lines
     * @param keys the lock's names
     * @param token the token the request sent
     * @return completes when settled, or when the service closed first
     */
    CompletableFuture<Void> resolve(String what, FifoKeys keys, String token) {
        return resolver().resolve(what, () -> {
            try {
                return CompletableFuture.completedFuture(scripts.releasePatiently(keys, token, resolverPatience()));
            } catch (JedisException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * Compare-and-PEXPIRE for a lease of this service.
     *
     * @return whether the server still held the token and reset the ttl
     */
    boolean extendOnServer(String key, FifoKeys keys, String token, Duration ttl) {
        requireOpen();
        try {
            return scripts.extend(keys, token, ttl.toMillis()) == 1;
        } catch (JedisException e) {
            throw jedis.failure("extend of '" + key + "'", e);
        }
    }

    /**
     * fifo.lua's release for a lease of this service: the next live waiter gets the lock in the same step.
     *
     * @return what the server found
     */
    ReleaseResult releaseOnServer(String key, FifoKeys keys, String token) {
        requireOpen();
        try {
            return LockScripts.releaseResult(scripts.release(keys, token));
        } catch (JedisException e) {
            throw jedis.failure("release of '" + key + "'", e);
        }
    }

    /**
     * Takes the waiters that close ended out of their queues (one call each, bounded by the command timeout;
     * what fails stays until its window passes), then closes the subscriber connection and its thread, and
     * the pool.
     */
    @Override
    protected void abortResolverCalls() {
        jedis.abortPatientCalls();
    }

    @Override
    protected void closeClient() {
        for (Waiter waiter : queued) {
            if (!waiter.resolving) {
                try {
                    scripts.release(waiter.keys, waiter.token);
                } catch (RuntimeException e) {
                    LOG.debug("leaving the queue of '{}' on close failed; the entry lapses after {}", waiter.key,
                            QUEUE_WINDOW, e);
                }
            }
        }
        queued.clear();
        subscriber.close();
        client.close();
    }

    @Override
    public String toString() {
        return "FifoLockService[" + jedis.address() + (isClosed() ? ", closed" : "") + "]";
    }
}
