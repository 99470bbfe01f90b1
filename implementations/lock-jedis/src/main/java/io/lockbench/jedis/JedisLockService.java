package io.lockbench.jedis;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.api.ReplicaAck;
import io.lockbench.api.ReplicationNotAcknowledgedException;
import io.lockbench.core.AbstractLockService;
import io.lockbench.core.CallerThread;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.OwnerTokens;
import io.lockbench.core.ReleaseWaiters;
import io.lockbench.core.ReplicaAcks;
import io.lockbench.core.Validity;
import io.lockbench.core.WaitLoop;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link LockService} on Jedis: synchronous calls over a connection pool, on one Redis server
 * ({@link #JedisLockService(LockSettings)}, the first node of the settings; a {@code redis-sentinel://} node
 * reaches the current primary through Jedis's {@link RedisSentinelClient}) or on a Redis Cluster
 * ({@link #cluster(LockSettings)}). All run the same code over Jedis's {@link UnifiedJedis}.
 *
 * <p>With {@linkplain LockSettings#withReplicaAck replica acknowledgement} an acquire attempt is acquire.lua
 * and {@code WAIT} in one pipeline on one connection (still one round trip, plus the replication wait); a
 * lock that too few replicas acknowledged is given back by token and the attempt throws
 * {@link ReplicationNotAcknowledgedException}. Not on a cluster.
 *
 * <p>Every acquire attempt, release and extend is one script call, one round trip (see {@link #roundTrips()}).
 * A waiting acquire runs the shared {@link WaitLoop} on the caller's own thread: it waits for a release of
 * its key, published to one subscriber connection and thread per service that carry the release messages of
 * all keys ({@link ReleaseSubscriber}), with a jittered retry timer, capped by the holder's remaining ttl, for
 * a message that never comes.
 *
 * <p>An acquire or a release whose reply is lost (timeout, broken connection) may have run, or may still run
 * on the server; its token goes to the service's {@link io.lockbench.core.OutcomeResolver}, which deletes it
 * by compare-and-delete once the server answers.
 *
 * <p>Connect and socket timeouts are the settings' command timeout. Thread-safe.
 */
public final class JedisLockService extends AbstractLockService {

    /** The provider name. */
    public static final String NAME = "jedis";

    /** What every Jedis service declares: fencing tokens, release from any thread. */
    public static final Set<Capability> CAPABILITIES = Set.of(Capability.FENCING, Capability.ANY_THREAD_RELEASE,
            Capability.CLUSTER);

    private static final Logger LOG = LoggerFactory.getLogger(JedisLockService.class);

    private final UnifiedJedis client;
    private final JedisScripts scripts;
    private final ReleaseListener subscriber;
    private final ReleaseWaiters waiters;
    private final ReplicaAck replicaAck;

    /**
     * A service on the first node of {@code settings}. Connects lazily to a {@code redis://} server: an
     * unreachable server shows on the first call. A {@code redis-sentinel://} node asks the Sentinels for the
     * primary at once.
     *
     * @param settings the nodes (only the first is used), the command timeout and the replica acknowledgement
     * @throws LockBackendException when no Sentinel of a Sentinel node answers or knows the master
     */
    public JedisLockService(LockSettings settings) {
        this(JedisClients.connect(settings), LockSettings.address(settings.firstNode()), settings.commandTimeout(),
                settings.replicaAck());
    }

    private JedisLockService(JedisClients.Connected connected, String address, Duration commandTimeout, ReplicaAck replicaAck) {
        super(NAME, CAPABILITIES, commandTimeout);
        this.client = connected.client();
        this.scripts = new JedisScripts(client, address);
        this.replicaAck = replicaAck;
        this.subscriber = ReleaseListener.of(connected.subscribeTo(), JedisClients.clientConfig(commandTimeout),
                (channel, token) -> waiters().released(channel, token), () -> waiters().wakeAll(),
                commandTimeout);
        this.waiters = new ReleaseWaiters(subscriber);
    }

    /**
     * A service on a Redis Cluster, seeded with the seeds of a {@code redis-cluster://} node, or else with every
     * node of {@code settings} ({@link LockSettings#clusterSeeds()}). All names of one lock share
     * a hash tag, so each script runs on the master of one slot; a subscriber on every master hears the
     * releases of its slots without the cluster bus's delay ({@link EveryMasterSubscriber}). Reads the
     * cluster's slot map at once.
     *
     * @param settings the seed nodes and the command timeout
     * @return the service; the caller closes it
     * @throws LockBackendException when no seed node answers, naming them
     */
    public static JedisLockService cluster(LockSettings settings) {
        settings.requireNoSentinel(NAME + " cluster", "a cluster is reached through its own nodes");
        ReplicaAcks.requireOff(settings, NAME + " cluster", "WAIT would not reach the node that wrote the lock");
        return new JedisLockService(JedisClients.cluster(settings), JedisClients.clusterAddress(settings),
                settings.commandTimeout(), ReplicaAck.OFF);
    }

    /** The registry, read through a method because the subscriber's callbacks are built before it exists. */
    private ReleaseWaiters waiters() {
        return waiters;
    }

    /**
     * The script calls (EVALSHA, or EVAL after a NOSCRIPT) this service has sent, each one round trip:
     * one per acquire attempt, release and extend, plus the compare-and-deletes that settle requests whose
     * outcome was unknown. The subscriber connection's traffic is not counted.
     *
     * @return the count since the service was created
     */
    public long roundTrips() {
        return scripts.roundTrips();
    }

    @Override
    protected Optional<Lease> tryOnce(String key, Duration ttl) {
        return Optional.<Lease>ofNullable(attempt(key, LockKeys.of(key), ttl).lease());
    }

    @Override
    protected Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        LockKeys keys = LockKeys.of(key);
        CallerThread caller = new CallerThread();
        WaitLoop<JedisLease> loop = WaitLoop.start(keys.channel(), maxWait, new WaitLoop.Attempts<>() {
            @Override
            public CompletionStage<WaitLoop.Attempt<JedisLease>> attempt() {
                try {
                    return CompletableFuture.completedFuture(JedisLockService.this.attempt(key, keys, ttl));
                } catch (LockBackendException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public void giveBack(JedisLease lease) {
                try {
                    lease.release();
                } catch (RuntimeException e) {
                    LOG.debug("giving back the unwanted lease on '{}' failed; it is being resolved", key, e);
                }
            }
        }, waiters, timers(), caller);
        return await(key, loop, caller);
    }

    /**
     * One attempt on the calling thread, with a fresh owner token: a token whose outcome is unknown is in the
     * resolver's hands and is never sent again.
     *
     * @return a lease, or "held" with the holder's remaining ttl
     * @throws LockBackendException when the attempt failed; a request that may have run was handed to the
     *     resolver first
     */
    private WaitLoop.Attempt<JedisLease> attempt(String key, LockKeys keys, Duration ttl) {
        for (int tries = 1; ; tries++) {
            requireOpen();
            String token = OwnerTokens.next();
            long sent = System.nanoTime();
            try {
                JedisScripts.AcquireReply reply = replicaAck.isOn()
                        ? scripts.acquire(keys, token, ttl.toMillis(), replicaAck.replicas(), replicaAck.timeoutMillis())
                        : scripts.acquire(keys, token, ttl.toMillis());
                if (reply.code() == LockScripts.HELD) {
                    return WaitLoop.Attempt.held(TimeUnit.MILLISECONDS.toNanos(reply.value()), token);
                }
                ReplicationNotAcknowledgedException shortfall =
                        ReplicaAcks.shortfall(replicaAck, reply.acknowledged(), key, scripts.address());
                if (shortfall != null) {
                    resolve("unacknowledged acquire of " + keys.lock(), keys, token);
                    throw shortfall;
                }
                // ACQUIRED, or ALREADY_OURS when a cluster retry re-sent an attempt that had landed.
                return WaitLoop.Attempt.granted(
                        new JedisLease(this, key, keys, token, reply.value(), Validity.until(sent, ttl)));
            } catch (JedisException e) {
                if (JedisScripts.interrupted(e)) {
                    // The pool swallowed the interrupt while waiting for a connection; nothing was sent.
                    Thread.currentThread().interrupt();
                }
                boolean dropped = JedisScripts.connectionDropped(e);
                if (dropped) {
                    scripts.evictIdleConnections();
                }
                if (JedisScripts.mayHaveRun(e)) {
                    resolve("acquire of " + keys.lock(), keys, token);
                    // A pooled connection the server had dropped (a restart, an idle cut) fails once; when the
                    // server answers on a fresh one, one more try tells the caller the truth.
                    if (dropped && tries == 1 && answersAgain(keys, token)) {
                        continue;
                    }
                }
                throw scripts.failure("acquire of '" + key + "'", e);
            }
        }
    }

    /**
     * @return whether the server answers a compare-and-delete of the failed attempt's token on a fresh
     *     connection (it also deletes the token if the attempt had landed; the resolver covers a late one)
     */
    private boolean answersAgain(LockKeys keys, String token) {
        try {
            scripts.release(keys, token);
            return !isClosed();
        } catch (JedisException e) {
            return false;
        }
    }

    /**
     * Hands a request whose outcome is unknown to the resolver, which deletes our token once the server
     * answers.
     *
     * @param what the request, for log lines
     * @param keys the lock's names
     * @param token the token the request sent
     * @return completes when settled, or when the service closed first
     */
    CompletableFuture<Void> resolve(String what, LockKeys keys, String token) {
        return resolver().resolve(what, () -> {
            try {
                return CompletableFuture.completedFuture(scripts.releasePatiently(keys, token, resolverPatience()));
            } catch (JedisException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * extend.lua for a lease of this service.
     *
     * @return whether the server still held the token and reset the ttl
     */
    boolean extendOnServer(String key, LockKeys keys, String token, Duration ttl) {
        requireOpen();
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
        requireOpen();
        try {
            return LockScripts.releaseResult(scripts.release(keys, token));
        } catch (JedisException e) {
            throw scripts.failure("release of '" + key + "'", e);
        }
    }

    @Override
    protected void abortResolverCalls() {
        scripts.abortPatientCalls();
    }

    /** Closes the subscriber connection and its thread, then the pool. */
    @Override
    protected void closeClient() {
        subscriber.close();
        client.close();
    }

    @Override
    public String toString() {
        return "JedisLockService[" + scripts.address() + (isClosed() ? ", closed" : "") + "]";
    }
}
