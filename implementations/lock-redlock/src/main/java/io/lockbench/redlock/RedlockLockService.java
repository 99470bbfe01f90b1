package io.lockbench.redlock;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.core.Backoff;
import io.lockbench.core.Deadline;
import io.lockbench.core.LockKeys;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The Redlock algorithm over N independent Redis nodes ({@link LockSettings#nodes()}, N &ge; 1; quorum
 * N / 2 + 1), over Lettuce's asynchronous API: one connection per node, every request sent to all nodes at
 * once.
 *
 * <h2>Acquire</h2>
 * One attempt sends acquire.lua with the same new owner token to every node and decides as soon as a
 * quorum granted (its latency is the quorum-th fastest reply), as soon as a quorum can no longer grant, or
 * after the per-node wait {@code min(commandTimeout / 2, max(5 ms, ttl / 10))} for nodes still silent. The
 * lease's validity is {@code ttl - elapsed - (ttl / 100 + 2 ms)}, elapsed counted from before the first
 * request ({@link io.lockbench.core.Validity}); a grant with no validity left is given back and never
 * returned, so ttls of a few milliseconds cannot be acquired at all. A failed attempt sends
 * compare-and-delete to every node that did not definitely answer "held by another owner", including the
 * ones that failed or stayed silent; deletes that fail are retried in the background until they get an
 * answer, the ttl has passed or the service is closed.
 *
 * <p>{@link #tryAcquire} returns empty when the key is held on enough nodes that no quorum could grant,
 * and throws {@link LockBackendException} naming the nodes that failed when fewer than a quorum answered
 * within the command timeout (a majority down, paused or unreachable; answers that come after the
 * per-node wait but within the command timeout still count, to tell a held key from an unreachable
 * quorum). {@link #acquire} retries until {@code maxWait}; it ends with that exception when its last
 * attempt could not reach a quorum, and with empty when the key was held. An attempt in progress when
 * {@code maxWait} ends is finished, so the call may overrun {@code maxWait} by up to the command timeout
 * (by the per-node wait when the nodes answer). Waiting is woken by the release messages release.lua
 * publishes on every node (a subscription per waited-for key on each node), with a jittered backoff
 * fallback capped by the holder's remaining ttl; after a split vote (some nodes granted, not a quorum) the
 * retry waits a random delay instead.
 *
 * <h2>Extend and release</h2>
 * An extend counts only when a quorum confirms it before the current validity ends; otherwise the lease is
 * lost, and the nodes that did extend are given back. A release returns {@code RELEASED} when a quorum
 * deleted our token, {@code NOT_OWNER} when no quorum did and at least one node holds another owner's
 * token, {@code EXPIRED} when no quorum did and no node holds another owner's token, and throws
 * {@link LockBackendException} when fewer than a quorum of nodes answered.
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
public final class RedlockLockService implements LockService {

    /** The registered name. */
    public static final String NAME = "redlock";

    private static final Set<Capability> CAPABILITIES = Set.copyOf(
            EnumSet.of(Capability.QUORUM, Capability.FENCING, Capability.ANY_THREAD_RELEASE));
    /** Random delay after a split vote: 2 ms doubling to 50 ms. */
    private static final Backoff SPLIT_VOTE =
            new Backoff(TimeUnit.MILLISECONDS.toNanos(2), TimeUnit.MILLISECONDS.toNanos(50));

    private final NodeSet nodes;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the service and connects to every node, waiting at most the command timeout for a quorum
     * of them. Never fails for a node that is down: each one is tried again on every request.
     *
     * @param settings the nodes (all of them take part) and the command timeout
     */
    public RedlockLockService(LockSettings settings) {
        this.nodes = new NodeSet(Objects.requireNonNull(settings, "settings"));
        nodes.connect();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return QUORUM, FENCING (with the caveat in the class documentation) and ANY_THREAD_RELEASE */
    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Optional<Lease> tryAcquire(String key, Duration ttl) {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireOpen(closed.get(), NAME);
        try {
            return Optional.ofNullable(AcquireAttempt.run(nodes, key, ttl, maxTtl(), token -> { }, false).lease());
        } catch (InterruptedException impossible) {
            throw new IllegalStateException("an uninterruptible attempt was interrupted", impossible);
        }
    }

    @Override
    public Optional<Lease> acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireWait(maxWait);
        LockArguments.requireOpen(closed.get(), NAME);
        if (Thread.interrupted()) {
            throw new InterruptedException("acquire of '" + key + "' interrupted");
        }
        Deadline deadline = Deadline.after(maxWait);
        ReleaseSignals.Waiter waiter = null;
        try {
            int waits = 0;
            int splits = 0;
            while (true) {
                AcquireAttempt.Outcome outcome = null;
                LockBackendException failure = null;
                if (waiter != null) {
                    waiter.forget();
                }
                try {
                    Consumer<String> ownToken = waiter == null ? token -> { } : waiter::own;
                    outcome = AcquireAttempt.run(nodes, key, ttl, maxTtl(), ownToken, true);
                    if (outcome.lease() != null) {
                        return Optional.of(outcome.lease());
                    }
                } catch (LockBackendException e) {
                    failure = e;
                }
                long left = deadline.remainingNanos();
                if (left == 0) {
                    if (failure != null) {
                        throw failure;
                    }
                    return Optional.empty();
                }
                if (waiter == null) {
                    // Subscribed before the next attempt: a release after that attempt cannot be missed.
                    waiter = nodes.signals().listen(LockKeys.of(key).channel(), Math.min(left, nodes.waitNanos(ttl)));
                } else if (outcome != null && outcome.contended()) {
                    TimeUnit.NANOSECONDS.sleep(SPLIT_VOTE.delayNanos(splits++, -1, left));
                } else {
                    long holderTtl = outcome == null ? -1 : outcome.holderTtlNanos();
                    waiter.await(Backoff.DEFAULT.delayNanos(waits++, holderTtl, left));
                }
            }
        } finally {
            if (waiter != null) {
                waiter.close();
            }
        }
    }

    /**
     * Closes every node connection and the client threads. Leases still held expire on the nodes;
     * background compare-and-deletes still pending stop. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            nodes.close();
        }
    }

    @Override
    public String toString() {
        return "RedlockLockService[" + nodes.size() + " nodes, quorum " + nodes.quorum() + "]";
    }
}
