package io.lockbench.redlock;

import io.lockbench.api.ReleaseResult;
import io.lockbench.core.BaseLease;
import io.lockbench.core.LockKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A lock held on a quorum of Redlock nodes. Extend and release go to every node in parallel and are
 * decided by quorum; see {@link RedlockLockService} for the rules.
 */
final class RedlockLease extends BaseLease {

    private final LockKeys keys;
    private final NodeSet nodes;
    private final List<? extends CompletableFuture<?>> acquired;
    private volatile Duration ttl;

    /**
     * @param acquired each node's acquire stage, in node order: a node that has not answered (or failed)
     *     by the release goes to the resolver
     */
    RedlockLease(String key, LockKeys keys, String ownerToken, long fencingToken, long validUntilNanos,
                 Duration ttl, Duration maxTtl, NodeSet nodes, List<? extends CompletableFuture<?>> acquired) {
        super(key, ownerToken, fencingToken, validUntilNanos, maxTtl);
        this.keys = keys;
        this.nodes = nodes;
        this.acquired = List.copyOf(acquired);
        this.ttl = ttl;
    }

    /**
     * Compare-and-PEXPIRE on every node; true only when a quorum confirmed before the current validity
     * ran out. Otherwise the lease is lost, and every node goes to the resolver at once, so that the nodes
     * that did extend (or still will) do not keep our token for the new ttl.
     *
     * @throws io.lockbench.api.LockBackendException when fewer than a quorum of nodes answered at all (the
     *     lease is marked lost all the same)
     */
    @Override
    protected boolean extendOnServer(Duration newTtl) {
        long sent = System.nanoTime();
        long validUntil = validUntilNanos();
        int quorum = nodes.quorum();
        int size = nodes.size();
        List<FanOut.Reply<Long>> replies = List.of();
        if (validUntil - sent > 0) {
            replies = nodes.extend(keys, ownerToken(), newTtl).awaitUninterruptibly(
                    r -> FanOut.count(r, code -> code == 1L) >= quorum
                            || size - FanOut.count(r, code -> code != 1L) - FanOut.failed(r) < quorum,
                    Math.min(validUntil, sent + nodes.waitNanos(newTtl)));
            if (FanOut.count(replies, code -> code == 1L) >= quorum && validUntilNanos() - System.nanoTime() > 0) {
                ttl = newTtl;
                return true;
            }
        }
        markLost();
        nodes.settle("extend of " + keys.lock(), keys, ownerToken(), node -> true);
        if (!replies.isEmpty() && FanOut.count(replies, code -> true) < quorum) {
            throw nodes.unreachable("extend '" + key() + "'", replies);
        }
        return false;
    }

    /**
     * Compare-and-delete on every node; a node that fails (now or after the decision) goes to the resolver.
     *
     * @return RELEASED when a quorum deleted our token; NOT_OWNER when no quorum did and at least one node
     *     holds another owner's token; EXPIRED when no quorum did and no node holds another owner's token
     * @throws io.lockbench.api.LockBackendException when neither applies because fewer than a quorum of
     *     nodes answered
     */
    @Override
    protected ReleaseResult releaseOnServer() {
        long sent = System.nanoTime();
        Duration current = ttl;
        int quorum = nodes.quorum();
        List<FanOut.Reply<Long>> replies = nodes.release(keys, ownerToken(), acquired)
                .awaitUninterruptibly(r -> FanOut.count(r, code -> code == 1L) >= quorum,
                        sent + nodes.waitNanos(current));
        if (FanOut.count(replies, code -> code == 1L) >= quorum) {
            return ReleaseResult.RELEASED;
        }
        if (FanOut.count(replies, code -> code == -1L) > 0) {
            return ReleaseResult.NOT_OWNER;
        }
        if (FanOut.count(replies, code -> true) < quorum) {
            throw nodes.unreachable("release '" + key() + "'", replies);
        }
        return ReleaseResult.EXPIRED;
    }
}
