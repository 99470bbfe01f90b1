package io.lockbench.lettuce;

import io.lockbench.api.AsyncLease;
import io.lockbench.api.AsyncLockService;
import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReplicaAck;
import io.lockbench.api.ReplicationNotAcknowledgedException;
import io.lockbench.core.AbstractLockService;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.OwnerTokens;
import io.lockbench.core.ReleaseWaiters;
import io.lockbench.core.ReplicaAcks;
import io.lockbench.core.Validity;
import io.lockbench.core.WaitLoop;
import io.lockbench.core.WaitLoop.Attempt;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis locks over Lettuce, asynchronous at the core: every acquire, synchronous or not, is one
 * {@link WaitLoop} whose attempts block no thread, woken by release messages on one shared subscriber
 * connection and by retry timers on the service's timer thread. The synchronous calls wait for the same
 * loops.
 *
 * <p>Each attempt, extend and release is one round trip (a Lua script by SHA1, see {@link LettuceScripts}).
 * An attempt that fails on the wire may have taken the lock: the caller gets a {@link LockBackendException}
 * and the {@link io.lockbench.core.OutcomeResolver} deletes the lock by owner token once the server answers.
 *
 * <p>Stages complete on Lettuce's I/O threads: callbacks must not block (use the async lease methods there).
 * Works on standalone Redis and on a primary under Sentinel ({@link #LettuceLockService(LockSettings)},
 * a {@code redis://} or a {@code redis-sentinel://} first node) and on Redis Cluster ({@link #cluster(LockSettings)}).
 *
 * <p>With {@linkplain LockSettings#withReplicaAck replica acknowledgement} each attempt sends {@code WAIT}
 * right behind acquire.lua on the same connection (no extra round trip, but the shared connection carries
 * nothing else until WAIT answers); a lock too few replicas acknowledged is given back by token and the
 * attempt fails with {@link ReplicationNotAcknowledgedException}. Not on a cluster.
 */
public final class LettuceLockService extends AbstractLockService implements AsyncLockService {

    /** The provider name. */
    public static final String NAME = "lettuce";

    /** What every Lettuce service declares: fencing tokens, the async API, release from any thread. */
    public static final Set<Capability> CAPABILITIES = Set.of(Capability.FENCING,
            Capability.ASYNC, Capability.ANY_THREAD_RELEASE, Capability.CLUSTER);

    private static final Logger LOG = LoggerFactory.getLogger(LettuceLockService.class);
    /** Attempts only send a command and return: they run on whichever thread starts them. */
    private static final Executor DIRECT = Runnable::run;
    /** acquire.lua's PTTL when the key vanished between its SET NX and its PTTL: worth retrying at once. */
    private static final long KEY_GONE = -2;

    private final RedisLink link;
    private final LettuceScripts scripts;
    private final ReleaseWaiters waiters;
    private final ReplicaAck replicaAck;

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
        super(NAME, CAPABILITIES, settings.commandTimeout());
        this.link = link;
        this.scripts = new LettuceScripts(link);
        this.replicaAck = settings.replicaAck();
        this.waiters = new ReleaseWaiters(new ReleaseWaiters.Subscriptions() {
            @Override
            public CompletionStage<Void> subscribe(String channel) {
                return link.subscribe(channel);
            }

            @Override
            public void unsubscribe(String channel) {
                link.unsubscribe(channel).whenComplete((ignored, error) -> {
                    if (error != null) {
                        LOG.debug("UNSUBSCRIBE {} failed", channel, error);
                    }
                });
            }
        });
        link.onMessage(waiters::released);
    }

    /**
     * Connects to a Redis Cluster. The seeds are those of a {@code redis-cluster://} node, or else every node of
     * {@code settings} ({@link LockSettings#clusterSeeds()}); the cluster's topology is read
     * from them. All keys of one lock share a hash tag, so each script runs on one master.
     *
     * @param settings seed nodes and the command timeout
     * @return a new service; the caller closes it
     * @throws LockBackendException when no seed can be reached, naming the addresses
     */
    public static LettuceLockService cluster(LockSettings settings) {
        settings.requireNoSentinel(NAME + " cluster", "a cluster is reached through its own nodes");
        ReplicaAcks.requireOff(settings, NAME + " cluster", "WAIT would not reach the node that wrote the lock");
        return new LettuceLockService(ClusterLink.connect(settings), settings);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Not interruptible, like {@link java.util.concurrent.locks.Lock#tryLock()}: the one attempt ends
     * within the command timeout.
     */
    @Override
    protected Optional<Lease> tryOnce(String key, Duration ttl) {
        return LettuceScripts.join(track(start(key, ttl, Duration.ZERO)).result()).map(lease -> lease);
    }

    @Override
    protected Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        return await(key, start(key, ttl, maxWait), null);
    }

    /**
     * {@inheritDoc}
     *
     * @return a future; cancelling it is allowed and changes nothing (the attempt is already on its way,
     *     and a lock it takes is given back)
     */
    @Override
    public CompletableFuture<Optional<AsyncLease>> tryAcquireAsync(String key, Duration ttl) {
        return acquireAsync(key, ttl, Duration.ZERO);
    }

    /**
     * {@inheritDoc}
     *
     * @return a future; {@link CompletableFuture#cancel(boolean) cancelling} it abandons the wait
     */
    @Override
    public CompletableFuture<Optional<AsyncLease>> acquireAsync(String key, Duration ttl, Duration maxWait) {
        checkArguments(key, ttl, maxWait);
        return track(start(key, ttl, maxWait)).result();
    }

    @Override
    protected void closeClient() {
        link.close();
    }

    @Override
    public String toString() {
        return "LettuceLockService[" + link.address() + (isClosed() ? ", closed" : "") + "]";
    }

    private WaitLoop<AsyncLease> start(String key, Duration ttl, Duration maxWait) {
        return WaitLoop.start(LockKeys.of(key).channel(), maxWait, new Attempts(key, ttl), waiters, timers(), DIRECT);
    }

    /** The attempts of one acquire: acquire.lua with a new owner token each time. */
    private final class Attempts implements WaitLoop.Attempts<AsyncLease> {

        private final String key;
        private final LockKeys keys;
        private final Duration ttl;

        private Attempts(String key, Duration ttl) {
            this.key = key;
            this.keys = LockKeys.of(key);
            this.ttl = ttl;
        }

        @Override
        public CompletionStage<Attempt<AsyncLease>> attempt() {
            String token = OwnerTokens.next();
            long sent = System.nanoTime();
            CompletionStage<LettuceScripts.AcquireReply> written = replicaAck.isOn()
                    ? scripts.acquire(keys, token, ttl.toMillis(), replicaAck.replicas(), replicaAck.timeoutMillis())
                    : scripts.acquire(keys, token, ttl.toMillis());
            return written.handle((reply, error) -> {
                if (error != null) {
                    if (LettuceScripts.mayHaveRun(error)) {
                        giveBack(token);
                    }
                    throw scripts.failure("acquire of '" + key + "'", error);
                }
                if (reply.code() == LockScripts.HELD) {
                    return Attempt.held(holderTtlNanos(reply.value()), token);
                }
                ReplicationNotAcknowledgedException shortfall =
                        ReplicaAcks.shortfall(replicaAck, reply.acknowledged(), key, scripts.address());
                if (shortfall != null) {
                    giveBack(token);
                    throw shortfall;
                }
                return Attempt.granted(new LettuceLease(scripts, resolver(), maxTtl(), key, token, reply.value(),
                        Validity.until(sent, ttl)));
            });
        }

        @Override
        public void giveBack(AsyncLease lease) {
            giveBack(lease.ownerToken());
        }

        /** Deletes the lock by our token once the server answers: it may hold it, and nobody will use it. */
        private void giveBack(String token) {
            resolver().resolve("acquire of " + keys.lock(), () -> scripts.release(keys, token));
        }
    }

    /** @return the holder's remaining ttl for the wait loop: 0 when already gone, -1 when unknown */
    private static long holderTtlNanos(long pttlMillis) {
        if (pttlMillis == KEY_GONE) {
            return 0;
        }
        return pttlMillis >= 0 ? TimeUnit.MILLISECONDS.toNanos(pttlMillis) : -1;
    }
}
