package io.lockbench.redlock;

import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.OwnerTokens;
import io.lockbench.core.Validity;
import io.lockbench.core.WaitLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * One Redlock acquire attempt: acquire.lua with one new owner token on every node in parallel, a decision
 * as soon as the replies allow it, the fencing token made safe for the next grant, and the hand-over of a
 * failed attempt's nodes to the resolver.
 */
final class AcquireAttempt {

    private AcquireAttempt() {
    }

    /**
     * Makes the attempt; blocks until it is decided.
     *
     * <p>Decides when a quorum granted (the quorum-th fastest reply), when a quorum can no longer grant,
     * or after {@link NodeSet#waitNanos} for the nodes still silent. On success the fencing token is the
     * highest counter among the granting nodes; when they disagree, it is first written back to enough of
     * them (fence_floor.lua) that a quorum of granting nodes holds it. The validity is counted from before
     * the first request; a lease with no validity left is never returned. A node that failed or stayed
     * silent during a successful attempt keeps what it may have written until the lease's release, which
     * hands it to the resolver. On failure, every node that did not answer "held by another owner" (a
     * definite "held" proves acquire.lua wrote nothing there) goes to the resolver at once, without waiting.
     *
     * @param nodes the nodes
     * @param key the user's key
     * @param ttl the ttl
     * @param maxTtl the service's maximum, for the lease's extend checks
     * @param interruptible whether an interrupt ends the wait (every node then goes to the resolver)
     * @return granted; held with the shortest remaining ttl a holding node reported; or a split vote (some
     *     nodes granted, not a quorum, or a quorum granted too late)
     * @throws InterruptedException when interruptible and interrupted
     * @throws io.lockbench.api.LockBackendException when fewer than a quorum of nodes answered within the
     *     command timeout (failed, or stayed silent)
     */
    static WaitLoop.Attempt<RedlockLease> run(NodeSet nodes, String key, Duration ttl, Duration maxTtl,
                                              boolean interruptible) throws InterruptedException {
        LockKeys keys = LockKeys.of(key);
        String token = OwnerTokens.next();
        int quorum = nodes.quorum();
        int size = nodes.size();
        String what = "acquire of " + keys.lock();
        nodes.connect();
        long sent = System.nanoTime();
        FanOut<List<Object>> fan = nodes.acquire(keys, token, ttl);
        Predicate<List<FanOut.Reply<List<Object>>>> decided = replies -> granted(replies) >= quorum
                || size - held(replies) - FanOut.failed(replies) < quorum;
        List<FanOut.Reply<List<Object>>> replies;
        try {
            replies = interruptible ? fan.await(decided, sent + nodes.waitNanos(ttl))
                    : fan.awaitUninterruptibly(decided, sent + nodes.waitNanos(ttl));
        } catch (InterruptedException e) {
            nodes.settle(what, keys, token, node -> true);
            throw e;
        }
        int granted = granted(replies);
        if (granted >= quorum) {
            long fence = highestFence(replies);
            if (fenceHeldByQuorum(nodes, keys, replies, fence, ttl)) {
                long validUntil = Validity.until(sent, ttl);
                if (validUntil - System.nanoTime() > 0) {
                    List<CompletableFuture<List<Object>>> acquired = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        acquired.add(fan.stage(i));
                    }
                    return WaitLoop.Attempt.granted(new RedlockLease(key, keys, token, fence, validUntil, ttl, maxTtl,
                            nodes, acquired));
                }
            }
            nodes.settle(what, keys, token, node -> true);
            return new WaitLoop.Attempt<>(null, -1, true, token);
        }
        settleUnlessHeld(nodes, fan, replies, what, keys, token);
        List<FanOut.Reply<List<Object>>> answers = replies;
        if (granted + held(replies) < quorum) {
            // Too few answers to call the key held. Only nodes that failed or stayed silent for the whole
            // command timeout make it unreachable; slower answers still say "held" (the attempt has failed
            // either way, and its nodes are with the resolver already).
            Predicate<List<FanOut.Reply<List<Object>>>> answered = r -> granted(r) + held(r) >= quorum;
            long until = sent + nodes.commandTimeoutNanos();
            answers = interruptible ? fan.await(answered, until) : fan.awaitUninterruptibly(answered, until);
            if (granted(answers) + held(answers) < quorum) {
                throw nodes.unreachable("acquire '" + key + "'", answers);
            }
        }
        if (granted(answers) > 0) {
            return new WaitLoop.Attempt<>(null, -1, true, token);
        }
        return WaitLoop.Attempt.held(shortestHolderTtlNanos(answers), token);
    }

    /**
     * Makes sure a quorum of the granting nodes has its fencing counter at {@code fence} or above, so that
     * any later grant (whose quorum shares a node with this one, and reaches that node only after our key
     * there is gone) draws a higher token.
     */
    private static boolean fenceHeldByQuorum(NodeSet nodes, LockKeys keys, List<FanOut.Reply<List<Object>>> replies,
                                             long fence, Duration ttl) {
        int atFence = 0;
        for (FanOut.Reply<List<Object>> reply : replies) {
            if (isGranted(reply) && value(reply) == fence) {
                atFence++;
            }
        }
        int already = atFence;
        int quorum = nodes.quorum();
        if (already >= quorum) {
            return true;
        }
        FanOut<Long> raised = nodes.raiseFence(keys, fence,
                node -> isGranted(replies.get(node)) && value(replies.get(node)) < fence);
        List<FanOut.Reply<Long>> floors = raised.awaitUninterruptibly(
                r -> already + FanOut.count(r, counter -> counter != null && counter >= fence) >= quorum,
                System.nanoTime() + nodes.waitNanos(ttl));
        return already + FanOut.count(floors, counter -> counter != null && counter >= fence) >= quorum;
    }

    /**
     * Hands a failed attempt's nodes to the resolver, except those that answered "held by another owner"
     * (acquire.lua wrote nothing there). A node still silent is judged by its reply when it comes: only a
     * grant or a failure sends it to the resolver, so a slow "held" costs no compare-and-delete.
     */
    private static void settleUnlessHeld(NodeSet nodes, FanOut<List<Object>> fan,
                                         List<FanOut.Reply<List<Object>>> replies, String what, LockKeys keys,
                                         String token) {
        for (int i = 0; i < replies.size(); i++) {
            int node = i;
            FanOut.Reply<List<Object>> reply = replies.get(node);
            if (reply.answered()) {
                if (!isHeld(reply)) {
                    nodes.settle(what, keys, token, target -> target == node);
                }
            } else {
                fan.stage(node).whenComplete((value, error) -> {
                    if (!isHeld(new FanOut.Reply<>(true, value, error))) {
                        nodes.settle(what, keys, token, target -> target == node);
                    }
                });
            }
        }
    }

    private static int granted(List<FanOut.Reply<List<Object>>> replies) {
        int count = 0;
        for (FanOut.Reply<List<Object>> reply : replies) {
            if (isGranted(reply)) {
                count++;
            }
        }
        return count;
    }

    private static int held(List<FanOut.Reply<List<Object>>> replies) {
        int count = 0;
        for (FanOut.Reply<List<Object>> reply : replies) {
            if (isHeld(reply)) {
                count++;
            }
        }
        return count;
    }

    private static boolean isGranted(FanOut.Reply<List<Object>> reply) {
        if (!reply.replied()) {
            return false;
        }
        long code = code(reply);
        return code == LockScripts.ACQUIRED || code == LockScripts.ALREADY_OURS;
    }

    private static boolean isHeld(FanOut.Reply<List<Object>> reply) {
        return reply.replied() && code(reply) == LockScripts.HELD;
    }

    private static long highestFence(List<FanOut.Reply<List<Object>>> replies) {
        long highest = 0;
        for (FanOut.Reply<List<Object>> reply : replies) {
            if (isGranted(reply)) {
                highest = Math.max(highest, value(reply));
            }
        }
        return highest;
    }

    private static long shortestHolderTtlNanos(List<FanOut.Reply<List<Object>>> replies) {
        long shortest = -1;
        for (FanOut.Reply<List<Object>> reply : replies) {
            if (isHeld(reply) && value(reply) >= 0) {
                long nanos = value(reply) * 1_000_000L;
                shortest = shortest < 0 ? nanos : Math.min(shortest, nanos);
            }
        }
        return shortest;
    }

    private static long code(FanOut.Reply<List<Object>> reply) {
        return ((Number) reply.value().get(0)).longValue();
    }

    private static long value(FanOut.Reply<List<Object>> reply) {
        return ((Number) reply.value().get(1)).longValue();
    }
}
