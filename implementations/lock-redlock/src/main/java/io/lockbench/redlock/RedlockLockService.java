package io.lockbench.redlock;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.core.AbstractLockService;
import io.lockbench.core.CallerThread;
import io.lockbench.core.LockKeys;
import io.lockbench.core.WaitLoop;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Redlock algorithm over N independent Redis nodes ({@link LockSettings#nodes()}, N &ge; 1; quorum
 * N / 2 + 1), each node a lock-lettuce {@link io.lockbench.lettuce.RedisLink} (one command connection, opened on
 * first use and replaced after a timeout, and a subscriber connection while someone waits), every request
 * sent to all nodes at once. Each node may be listed once.
 *
 * <h2>Acquire</h2>
 * One attempt sends acquire.lua with the same new owner token to every node and decides as soon as a
 * quorum granted (its latency is the quorum-th fastest reply), as soon as a quorum can no longer grant, or
 * after the per-node wait {@code min(commandTimeout / 2, max(5 ms, ttl / 10))} for nodes still silent. The
 * lease's validity is {@code ttl - elapsed - (ttl / 100 + 2 ms)}, elapsed counted from before the first
 * request ({@link io.lockbench.core.Validity}); a grant with no validity left is given back and never
 * returned, so ttls of a few milliseconds cannot be acquired at all. A failed attempt hands every node
 * that did not definitely answer "held by another owner" (including the ones that failed or stayed
 * silent) to the service's {@link io.lockbench.core.OutcomeResolver}, which deletes our token there once
 * the node has answered after the acquire could last have run, however long the node was frozen.
 *
 * <p>{@link #tryAcquire} returns empty when the key is held on enough nodes that no quorum could grant,
 * and throws {@link LockBackendException} naming the nodes that failed when fewer than a quorum answered
 * within the command timeout (a majority down, paused or unreachable; answers that come after the
 * per-node wait but within the command timeout still count, to tell a held key from an unreachable
 * quorum). {@link #acquire} runs the shared {@link io.lockbench.core.WaitLoop} on the calling thread:
 * it retries while the key is held, until {@code maxWait}, and ends with empty when the wait runs out; an
 * attempt that cannot reach a quorum ends it at once with that exception (as an unreachable server does
 * for the single-node services: retrying would only hide the outage for {@code maxWait}). An attempt in
 * progress when {@code maxWait} ends is finished, so the call may overrun {@code maxWait} by up to the
 * command timeout (by the per-node wait when the nodes answer). Waiting is woken by the release messages
 * release.lua publishes on every node (the key's channel is subscribed on every node while someone waits
 * on it), with a jittered backoff fallback capped by the holder's remaining ttl; after a split vote (some
 * nodes granted, not a quorum) the retry waits a random delay instead. {@link #close()} ends every
 * blocked acquire at once with {@link IllegalStateException}.
 *
 * <h2>Extend and release</h2>
 * An extend counts only when a quorum confirms it before the current validity ends; otherwise the lease is
 * lost, and the nodes that did extend are given back. A release returns {@code RELEASED} when a quorum
 * deleted our token, {@code NOT_OWNER} when no quorum did and at least one node holds another owner's
 * token, {@code EXPIRED} when no quorum did and no node holds another owner's token, and throws
 * {@link LockBackendException} when fewer than a quorum of nodes answered. A node whose compare-and-delete
 * failed goes to the resolver either way.
 *
 * <h2>Fencing</h2>
 * Each node keeps its own counter, incremented by acquire.lua. The lease's token is the highest counter
 * among the granting nodes; when fewer than a quorum of them returned it, it is first written to the
 * granting nodes that were behind (fence_floor.lua, which never lowers a counter) until a quorum of
 * granting nodes confirmed it. Any later grant needs a quorum too, so it shares a node with that quorum and
 * reaches it only after our key there is gone: its token is higher. Tokens are therefore strictly
 * increasing in grant order as long as every node keeps its counter. A node restarted without
 * persistence (or flushed, or failed over to a lagging replica) starts from zero again: when the next
 * quorum consists of such nodes and nodes whose counters lag (nodes that were down or not among the
 * quorum the last tokens went to), the next token can be lower than one already issued. A restart is
 * harmless when the next quorum still contains a node that kept its counter and was among the last
 * grant's quorum.
 *
 * <p>Safety itself rests on Redlock's assumptions: bounded clock drift between nodes, and nodes that come
 * back after a crash only once the longest ttl has passed (Redis documentation, "delayed restarts"); a node
 * that restarts empty at once can let two clients hold a quorum each.
 */
public final class RedlockLockService extends AbstractLockService {

    /** The registered name. */
    public static final String NAME = "redlock";

    /** What every Redlock service declares: a quorum of nodes, fencing tokens, release from any thread. */
    public static final Set<Capability> CAPABILITIES =
            Set.of(Capability.QUORUM, Capability.FENCING, Capability.ANY_THREAD_RELEASE);

    private final NodeSet nodes;

    /**
     * Creates the service and starts connecting to every node without waiting, so the constructor never
     * fails for a node that is down (each request tries it again).
     *
     * @param settings the nodes (all of them take part, each listed once) and the command timeout
     * @throws IllegalArgumentException when {@code settings} is null, lists a node twice, holds a
     *     {@code redis-sentinel://} node or asks for replica acknowledgement
     */
    public RedlockLockService(LockSettings settings) {
        super(NAME, CAPABILITIES, NodeSet.distinctNodes(settings).commandTimeout());
        this.nodes = new NodeSet(settings, resolver());
    }

    @Override
    protected Optional<Lease> tryOnce(String key, Duration ttl) {
        try {
            return Optional.ofNullable(AcquireAttempt.run(nodes, key, ttl, maxTtl(), false).lease());
        } catch (InterruptedException impossible) {
            throw new IllegalStateException("an uninterruptible attempt was interrupted", impossible);
        }
    }

    @Override
    protected Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        CallerThread caller = new CallerThread();
        WaitLoop<RedlockLease> loop = WaitLoop.start(LockKeys.of(key).channel(), maxWait,
                new Attempts(key, ttl), nodes.waiters(), timers(), caller);
        return await(key, loop, caller);
    }

    /** The wait loop's attempts: each one runs on the waiting caller's thread and blocks on the fan-out. */
    private final class Attempts implements WaitLoop.Attempts<RedlockLease> {

        private final String key;
        private final Duration ttl;

        private Attempts(String key, Duration ttl) {
            this.key = key;
            this.ttl = ttl;
        }

        @Override
        public CompletionStage<WaitLoop.Attempt<RedlockLease>> attempt() {
            try {
                return CompletableFuture.completedFuture(AcquireAttempt.run(nodes, key, ttl, maxTtl(), true));
            } catch (InterruptedException e) {
                // Every node went to the resolver; the caller sees the interrupt once the loop has ended.
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(new LockBackendException(nodes.toString(),
                        NAME + ": acquire of '" + key + "' interrupted", e));
            }
        }

        @Override
        public void giveBack(RedlockLease lease) {
            lease.close();
        }
    }

    /** Closes every node's connections and the client threads; leases still held expire on the nodes. */
    @Override
    protected void closeClient() {
        nodes.close();
    }

    @Override
    public String toString() {
        return "RedlockLockService[" + nodes + (isClosed() ? ", closed" : "") + "]";
    }
}
