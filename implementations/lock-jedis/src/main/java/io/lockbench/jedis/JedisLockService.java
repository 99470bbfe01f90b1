package io.lockbench.jedis;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.Backoff;
import io.lockbench.core.Deadline;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.OwnerTokens;
import io.lockbench.core.Validity;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link LockService} on Jedis: synchronous calls over a connection pool, on one Redis server
 * ({@link #JedisLockService(LockSettings)}, the first node of the settings) or on a Redis Cluster
 * ({@link #cluster(LockSettings)}). Both run the same code over Jedis's {@link UnifiedJedis}.
 *
 * <p>Every acquire attempt, release and extend is one script call, one round trip (see {@link #roundTrips()}).
 * A waiting acquire parks until a release of its key is published: one subscriber connection and thread per
 * service carry the release messages of all keys, and each message wakes one waiter of this service, the
 * longest waiting. A jittered backoff, capped by the holder's remaining ttl, covers a message that never
 * comes (a holder that crashed, a subscription that dropped). A caller that finds others of this service
 * already waiting for the key queues behind them rather than racing them to the server.
 *
 * <p>An acquire whose reply is lost (timeout, broken connection) may have taken the lock on the server; the
 * service deletes our token by compare-and-delete before it throws, and if the server does not answer,
 * keeps trying in the background until it does, the ttl has passed, or the service is closed.
 *
 * <p>Connect and socket timeouts are the settings' command timeout. Thread-safe.
 */
public final class JedisLockService implements LockService {

    /** The provider name. */
    public static final String NAME = "jedis";

    private static final Set<Capability> CAPABILITIES =
            Collections.unmodifiableSet(EnumSet.of(Capability.FENCING, Capability.ANY_THREAD_RELEASE));
    /**
     * The fallback while the subscription is live only covers a lost message, so it starts later than
     * {@link Backoff#DEFAULT} (used while the subscription is down) and wastes fewer retries.
     */
    private static final Backoff SUBSCRIBED =
            new Backoff(Duration.ofMillis(4).toNanos(), Duration.ofMillis(128).toNanos());

    private final UnifiedJedis client;
    private final JedisScripts scripts;
    private final WaitQueues queues = new WaitQueues();
    private final ReleaseSubscriber subscriber;
    private final AmbiguousAcquires ambiguous;
    private final long commandTimeoutNanos;
    private final Object closeLock = new Object();
    private volatile boolean closed;

    /**
     * A service on the first node of {@code settings}. Connects lazily: an unreachable server shows on the
     * first call.
     *
     * @param settings the nodes (only the first is used) and the command timeout
     */
    public JedisLockService(LockSettings settings) {
        this(JedisClients.standalone(settings), List.of(JedisClients.hostAndPort(settings.firstNode())),
                LockSettings.address(settings.firstNode()), settings.commandTimeout());
    }

    private JedisLockService(UnifiedJedis client, List<HostAndPort> subscribeTo, String address,
                             Duration commandTimeout) {
        this.client = client;
        this.scripts = new JedisScripts(client, address);
        this.subscriber = new ReleaseSubscriber(subscribeTo, JedisClients.clientConfig(commandTimeout),
                queues::released, queues::wakeAll, commandTimeout);
        this.ambiguous = new AmbiguousAcquires(scripts, commandTimeout);
        this.commandTimeoutNanos = commandTimeout.toNanos();
    }

    /**
     * A service on a Redis Cluster, seeded with every node of {@code settings}. All names of one lock share
     * a hash tag, so each script runs on the master of one slot; release messages reach every node, and the
     * subscriber listens on any of them. Reads the cluster's slot map at once.
     *
     * @param settings the seed nodes and the command timeout
     * @return the service; the caller closes it
     * @throws LockBackendException when no seed node answers, naming them
     */
    public static JedisLockService cluster(LockSettings settings) {
        String address = settings.nodes().stream().map(LockSettings::address).collect(Collectors.joining(","));
        UnifiedJedis client;
        try {
            client = JedisClients.cluster(settings);
        } catch (JedisException e) {
            throw new LockBackendException(address, "cannot read the cluster's slot map: " + e.getMessage(), e);
        }
        return new JedisLockService(client, JedisClients.hostsAndPorts(settings.nodes()), address,
                settings.commandTimeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /**
     * The script calls (EVALSHA, or EVAL after a NOSCRIPT) this service has sent, each one round trip:
     * one per acquire attempt, release and extend, plus those resolving ambiguous acquires. The subscriber
     * connection's traffic is not counted.
     *
     * @return the count since the service was created
     */
    public long roundTrips() {
        return scripts.roundTrips();
    }

    @Override
    public Optional<Lease> tryAcquire(String key, Duration ttl) {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireOpen(closed, NAME);
        return Optional.ofNullable(attempt(key, LockKeys.of(key), ttl).lease());
    }

    @Override
    public Optional<Lease> acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireWait(maxWait);
        LockArguments.requireOpen(closed, NAME);
        if (Thread.interrupted()) {
            throw new InterruptedException("acquire of '" + key + "' interrupted before it started");
        }
        if (maxWait.isZero()) {
            return tryAcquire(key, ttl);
        }
        Deadline deadline = Deadline.after(maxWait);
        LockKeys keys = LockKeys.of(key);
        // Joined before the first attempt, so that a release following any "held" answer finds us queued.
        try (WaitQueues.Place place = queues.join(keys.channel())) {
            if (place.behindOthers() && subscriber.live()) {
                place.await(SUBSCRIBED.delayNanos(0, -1, deadline.remainingNanos()));
            }
            for (int retry = 0; ; ) {
                Attempt attempt = attemptInterruptibly(key, keys, ttl);
                if (attempt.lease() != null) {
                    return Optional.of(granted(attempt, keys, ttl));
                }
                if (deadline.expired()) {
                    return Optional.empty();
                }
                if (!subscriber.live()
                        && subscriber.awaitLive(Math.min(deadline.remainingNanos(), commandTimeoutNanos))) {
                    continue; // subscribed only now: a release before this moment went unheard, so look again
                }
                Backoff fallback = subscriber.live() ? SUBSCRIBED : Backoff.DEFAULT;
                place.await(fallback.delayNanos(retry++, attempt.holderTtlNanos(), deadline.remainingNanos()));
            }
        }
    }

    /**
     * One acquire attempt's outcome: a lease, or the holder's remaining ttl (negative when unknown).
     *
     * @param lease the grant, or null when the key is held
     * @param holderTtlNanos the holder's remaining ttl, or -1
     * @param sentNanos nanoTime before the request was sent
     */
    private record Attempt(JedisLease lease, long holderTtlNanos, long sentNanos) {
    }

    /**
     * One attempt with a fresh owner token: a token whose acquire failed may still be deleted later by the
     * background resolution, so it is never sent again.
     */
    private Attempt attempt(String key, LockKeys keys, Duration ttl) {
        for (int tries = 1; ; tries++) {
            LockArguments.requireOpen(closed, NAME);
            String token = OwnerTokens.next();
            long sent = System.nanoTime();
            try {
                return outcome(key, keys, token, ttl, sent, scripts.acquire(keys, token, ttl.toMillis()));
            } catch (JedisException e) {
                if (JedisScripts.interrupted(e)) {
                    // The pool swallowed the interrupt while waiting for a connection; nothing was sent.
                    Thread.currentThread().interrupt();
                }
                boolean dropped = JedisScripts.connectionDropped(e);
                if (dropped) {
                    scripts.evictIdleConnections();
                }
                boolean answered = JedisScripts.mayHaveRun(e) && ambiguous.resolve(keys, token, expiry(sent, ttl));
                // A pooled connection the server had dropped (a restart, an idle cut) fails once; when the
                // server answered on a fresh one, one more try tells the caller the truth.
                if (!(dropped && answered && tries == 1)) {
                    throw scripts.failure("acquire of '" + key + "'", e);
                }
            }
        }
    }

    private Attempt outcome(String key, LockKeys keys, String token, Duration ttl, long sent,
                            JedisScripts.AcquireReply reply) {
        if (reply.code() == LockScripts.HELD) {
            return new Attempt(null, TimeUnit.MILLISECONDS.toNanos(reply.value()), sent);
        }
        // ACQUIRED, or ALREADY_OURS when a cluster retry re-sent an attempt that had landed.
        return new Attempt(new JedisLease(this, key, keys, token, reply.value(), Validity.until(sent, ttl)), -1, sent);
    }

    private Attempt attemptInterruptibly(String key, LockKeys keys, Duration ttl) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("acquire of '" + key + "' interrupted while waiting");
        }
        try {
            return attempt(key, keys, ttl);
        } catch (LockBackendException e) {
            if (Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException("acquire of '" + key + "' interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    /** Hands out a grant, unless the thread was interrupted while it was on the wire: then it is undone. */
    private Lease granted(Attempt attempt, LockKeys keys, Duration ttl) throws InterruptedException {
        JedisLease lease = attempt.lease();
        if (!Thread.interrupted()) {
            return lease;
        }
        try {
            lease.release();
        } catch (LockBackendException e) {
            ambiguous.resolve(keys, lease.ownerToken(), expiry(attempt.sentNanos(), ttl));
        }
        throw new InterruptedException("acquire of '" + lease.key() + "' interrupted; the lock it got is released");
    }

    /** The latest nanoTime at which a key written by a request sent at {@code sent} may still exist. */
    private static long expiry(long sent, Duration ttl) {
        return sent + ttl.toNanos() + Validity.driftNanos(ttl);
    }

    /**
     * extend.lua for a lease of this service.
     *
     * @return whether the server still held the token and reset the ttl
     */
    boolean extendOnServer(String key, LockKeys keys, String token, Duration ttl) {
        LockArguments.requireOpen(closed, NAME);
        try {
            return scripts.extend(keys, token, ttl.toMillis()) == 1;
        } catch (JedisException e) {
            throw scripts.failure("extend of '" + key + "'", e);
        }
    }

    /**
     * release.lua for a lease of this service.
     *
     * @return what the server found
     */
    ReleaseResult releaseOnServer(String key, LockKeys keys, String token) {
        LockArguments.requireOpen(closed, NAME);
        try {
            return LockScripts.releaseResult(scripts.release(keys, token));
        } catch (JedisException e) {
            throw scripts.failure("release of '" + key + "'", e);
        }
    }

    /**
     * Closes the subscriber connection and its thread, stops resolving ambiguous acquires, and closes the
     * pool. Leases still held expire on the server. Idempotent.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        queues.wakeAll();
        subscriber.close();
        ambiguous.close();
        client.close();
    }

    @Override
    public String toString() {
        return "JedisLockService[" + scripts.address() + (closed ? ", closed" : "") + "]";
    }
}
