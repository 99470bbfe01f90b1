package io.lockbench.redlock;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.resource.ClientResources;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.LuaScript;
import io.lockbench.core.OutcomeResolver;
import io.lockbench.core.ReleaseWaiters;
import io.lockbench.core.ReplicaAcks;
import io.lockbench.lettuce.RedisLink;
import io.lockbench.lettuce.StandaloneLink;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The N independent nodes of one Redlock service: one lock-lettuce {@link RedisLink} per node (all on one
 * set of client resources), the quorum, how long to wait for a node, the scripts fanned out to every node
 * in parallel, release-channel subscriptions across the nodes, and the hand-over of every node whose
 * outcome is unknown to the service's {@link OutcomeResolver}.
 */
final class NodeSet implements ReleaseWaiters.Subscriptions {

    /** Raises a fencing counter to a floor; see the script's header. */
    static final LuaScript FENCE_FLOOR = LuaScript.load("/io/lockbench/redlock/fence_floor.lua");
    /** The name every connection of a Redlock service gives itself, as CLIENT LIST shows it. */
    static final String CLIENT_NAME = "lockbench-redlock";

    private static final Logger LOG = LoggerFactory.getLogger(NodeSet.class);
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final List<RedisLink> links = new ArrayList<>();
    private final int quorum;
    private final Duration commandTimeout;
    private final ClientResources resources;
    private final OutcomeResolver resolver;
    private final ReleaseWaiters waiters = new ReleaseWaiters(this);

    /**
     * Creates one link per node and starts connecting without waiting (a node that is down when the
     * service starts does not keep it from starting; it is tried again on every request).
     *
     * @param settings the nodes, each listed once, and the command timeout
     * @param resolver where requests whose outcome is unknown are settled
     */
    NodeSet(LockSettings settings, OutcomeResolver resolver) {
        this.commandTimeout = settings.commandTimeout();
        this.quorum = settings.nodes().size() / 2 + 1;
        this.resolver = resolver;
        this.resources = StandaloneLink.sharedResources();
        for (URI node : settings.nodes()) {
            RedisLink link = StandaloneLink.lazy(node, commandTimeout, CLIENT_NAME, resources);
            link.onMessage(waiters::released);
            links.add(link);
        }
        // Start the handshakes now, without waiting: the first attempt then rarely decides without a node.
        links.forEach(RedisLink::connect);
    }

    /**
     * Refuses a node listed twice: it would vote twice, and a quorum could be one server. Refuses
     * {@code redis-sentinel://} nodes (a quorum of Sentinel groups is not what Redlock's analysis covers, and
     * is not implemented) and replica acknowledgement (Redlock's nodes are independent primaries: the quorum
     * is its redundancy).
     *
     * @param settings the settings
     * @return the settings
     * @throws IllegalArgumentException naming the node listed twice, the Sentinel node, or the setting
     */
    static LockSettings distinctNodes(LockSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings: must not be null");
        }
        settings.requireNoSentinel("redlock", "Redlock needs independent redis://host:port primaries; a quorum of "
                + "Sentinel groups is out of scope");
        settings.requireNoCluster("redlock", "Redlock needs independent redis://host:port primaries; a cluster's"
                + " masters each own only their own slots");
        ReplicaAcks.requireOff(settings, "redlock", "its nodes are independent primaries without replicas; the "
                + "quorum is its redundancy");
        Set<String> seen = new HashSet<>();
        for (URI node : settings.nodes()) {
            String address = LockSettings.address(node);
            if (!seen.add(address.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("nodes: " + address + " is listed twice; each node votes once");
            }
        }
        return settings;
    }

    /** @return N */
    int size() {
        return links.size();
    }

    /** @return N / 2 + 1 */
    int quorum() {
        return quorum;
    }

    /** @return the command timeout in nanoseconds: how long a node may stay silent before it counts as failed */
    long commandTimeoutNanos() {
        return commandTimeout.toNanos();
    }

    /** @return the waiters of this service, woken by release messages from any node */
    ReleaseWaiters waiters() {
        return waiters;
    }

    /**
     * How long an operation waits for the nodes that have not answered before deciding without them:
     * {@code min(commandTimeout / 2, max(5 ms, ttl / 10))}, small next to the ttl, so that a slow or dead
     * node costs a small part of the validity.
     *
     * @param ttl the lock's ttl
     * @return the wait in nanoseconds
     */
    long waitNanos(Duration ttl) {
        return Math.min(commandTimeout.toNanos() / 2, Math.max(MIN_WAIT_NANOS, ttl.toNanos() / 10));
    }

    /**
     * Waits (at most the command timeout) until a quorum of nodes has an open connection, or every
     * attempt to open one has ended. Opening a connection is not part of a lock request: the first request
     * after start or after a connection broke would otherwise spend its per-node wait, and its validity, on
     * the handshake. Returns at once when every connection is open.
     */
    void connect() {
        List<CompletableFuture<Void>> opening = new ArrayList<>(links.size());
        boolean allOpen = true;
        for (RedisLink link : links) {
            CompletableFuture<Void> open = link.connect().toCompletableFuture();
            opening.add(open);
            allOpen &= open.isDone() && !open.isCompletedExceptionally();
        }
        if (!allOpen) {
            FanOut.send(links.size(), opening::get).awaitUninterruptibly(
                    replies -> FanOut.count(replies, open -> true) >= quorum,
                    System.nanoTime() + commandTimeout.toNanos());
        }
    }

    /**
     * acquire.lua on every node.
     *
     * @param keys the lock's keys
     * @param token the owner token, the same on every node
     * @param ttl the ttl
     * @return the replies: {code, fencing token or remaining ttl}
     */
    FanOut<List<Object>> acquire(LockKeys keys, String token, Duration ttl) {
        String[] keyNames = {keys.lock(), keys.fence()};
        String millis = Long.toString(ttl.toMillis());
        return FanOut.send(links.size(),
                i -> run(i, LockScripts.ACQUIRE, ScriptOutputType.MULTI, keyNames, token, millis));
    }

    /**
     * extend.lua on every node.
     *
     * @param keys the lock's keys
     * @param token our owner token
     * @param ttl the new ttl
     * @return the replies: 1 extended, 0 gone, -1 another owner
     */
    FanOut<Long> extend(LockKeys keys, String token, Duration ttl) {
        String[] keyNames = {keys.lock()};
        String millis = Long.toString(ttl.toMillis());
        return FanOut.send(links.size(),
                i -> run(i, LockScripts.EXTEND, ScriptOutputType.INTEGER, keyNames, token, millis));
    }

    /**
     * fence_floor.lua on some nodes; the others get a null reply at once.
     *
     * @param keys the lock's keys
     * @param floor the fencing token to raise the counters to
     * @param targets which nodes
     * @return the replies: each node's counter afterwards, or null for nodes not targeted
     */
    FanOut<Long> raiseFence(LockKeys keys, long floor, IntPredicate targets) {
        String[] keyNames = {keys.fence()};
        String value = Long.toString(floor);
        return FanOut.send(links.size(), i -> targets.test(i)
                ? this.<Long>run(i, FENCE_FLOOR, ScriptOutputType.INTEGER, keyNames, value)
                : CompletableFuture.completedFuture(null));
    }

    /**
     * release.lua on every node, sent at once. A node whose compare-and-delete fails goes to the resolver,
     * and so does a node whose acquire failed (that acquire may still run after the compare-and-delete). A
     * node that had not answered our acquire yet is judged when it does: a failure sends it to the resolver;
     * a reply proves the acquire has run, so if the compare-and-delete did not delete our token (it may have
     * run first: both may wait for a connection still opening and go out in either order), one more is sent,
     * which runs after the acquire whatever connection carries it. (Handing every such node to the resolver
     * cost a compare-and-delete every 5 to 50 ms for a whole command timeout whenever a node answered after
     * the quorum, which is routine when one server is slower than the others.)
     *
     * @param keys the lock's keys
     * @param token our owner token
     * @param acquired each node's acquire stage, in node order
     * @return the answers: 1 released, 0 gone, -1 another owner
     */
    FanOut<Long> release(LockKeys keys, String token, List<? extends CompletableFuture<?>> acquired) {
        return FanOut.send(links.size(), i -> {
            CompletableFuture<Long> reply = compareAndDelete(i, keys, token);
            CompletableFuture<?> acquire = acquired.get(i);
            boolean late = !acquire.isDone();
            acquire.whenComplete((value, failure) -> {
                if (failure != null) {
                    settle("acquire of " + keys.lock(), i, keys, token);
                } else if (late) {
                    reply.whenComplete((code, error) -> {
                        if (error == null && code != 1L) {
                            resolvedIfFailed("release of " + keys.lock(), i, keys, token,
                                    compareAndDelete(i, keys, token));
                        }
                    });
                }
            });
            return resolvedIfFailed("release of " + keys.lock(), i, keys, token, reply);
        });
    }

    /** @return {@code reply}, after arranging that the node goes to the resolver if it fails */
    private CompletableFuture<Long> resolvedIfFailed(String what, int node, LockKeys keys, String token,
                                                      CompletableFuture<Long> reply) {
        reply.whenComplete((code, error) -> {
            if (error != null) {
                settle(what, node, keys, token);
            }
        });
        return reply;
    }

    /**
     * Hands our token on the chosen nodes to the resolver, which deletes it there once each node has
     * answered after every request of ours could have run.
     *
     * @param what the request whose outcome is unknown, for log lines, such as {@code acquire of lock:{k}}
     * @param keys the lock's keys
     * @param token our owner token
     * @param targets which nodes
     */
    void settle(String what, LockKeys keys, String token, IntPredicate targets) {
        for (int i = 0; i < links.size(); i++) {
            if (targets.test(i)) {
                settle(what, i, keys, token);
            }
        }
    }

    private void settle(String what, int node, LockKeys keys, String token) {
        resolver.resolve(what + " on " + links.get(node).address(), () -> compareAndDelete(node, keys, token));
    }

    private CompletableFuture<Long> compareAndDelete(int node, LockKeys keys, String token) {
        return run(node, LockScripts.RELEASE, ScriptOutputType.INTEGER, new String[] {keys.lock()}, token,
                keys.channel());
    }

    private <T> CompletableFuture<T> run(int node, LuaScript script, ScriptOutputType type, String[] keys,
                                         String... args) {
        RedisLink link = links.get(node);
        try {
            return script.<T>runAsync(sha -> link.evalsha(sha, type, keys, args),
                    source -> link.eval(source, type, keys, args)).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Subscribes the channel on every node; confirmed once enough nodes confirmed that every quorum
     * includes one of them (N - quorum + 1), so that the release of any lock we can wait for reaches us.
     */
    @Override
    public CompletionStage<Void> subscribe(String channel) {
        int enough = links.size() - quorum + 1;
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        AtomicInteger subscribed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        for (RedisLink link : links) {
            CompletionStage<Void> reply;
            try {
                reply = link.subscribe(channel);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((ignored, error) -> {
                if (error == null) {
                    if (subscribed.incrementAndGet() == enough) {
                        confirmed.complete(null);
                    }
                } else if (failed.incrementAndGet() == links.size() - enough + 1) {
                    confirmed.completeExceptionally(error);
                }
            });
        }
        return confirmed;
    }

    @Override
    public void unsubscribe(String channel) {
        for (RedisLink link : links) {
            try {
                link.unsubscribe(channel);
            } catch (RuntimeException e) {
                LOG.debug("UNSUBSCRIBE {} on {} failed; the subscription ends with the connection", channel,
                        link.address(), e);
            }
        }
    }

    /**
     * The exception for an operation that could not reach a quorum of nodes.
     *
     * @param what what failed, for the message
     * @param replies the outcome per node
     * @param <T> the reply type
     * @return the exception, naming every node that failed or did not answer
     */
    <T> LockBackendException unreachable(String what, List<FanOut.Reply<T>> replies) {
        StringJoiner addresses = new StringJoiner(",");
        Throwable cause = null;
        int answered = 0;
        for (int i = 0; i < replies.size(); i++) {
            FanOut.Reply<T> reply = replies.get(i);
            if (reply.replied()) {
                answered++;
                continue;
            }
            addresses.add(links.get(i).address());
            if (cause == null) {
                cause = reply.error();
            } else if (reply.error() != null && reply.error() != cause) {
                cause.addSuppressed(reply.error());
            }
        }
        return new LockBackendException(addresses.toString(), "redlock: " + what + ": " + answered + " of "
                + links.size() + " nodes answered, a quorum of " + quorum + " is needed; these failed or were silent",
                cause);
    }

    /** Closes every link, then the client threads they shared. */
    void close() {
        for (RedisLink link : links) {
            try {
                link.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the connections to {} failed", link.address(), e);
            }
        }
        long timeout = commandTimeout.toMillis();
        if (!resources.shutdown(0, timeout, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeout + 1_000)) {
            LOG.warn("the redlock client threads did not stop within {} ms", timeout + 1_000);
        }
    }

    @Override
    public String toString() {
        StringJoiner addresses = new StringJoiner(",");
        links.forEach(link -> addresses.add(link.address()));
        return addresses + " (quorum " + quorum + ")";
    }
}
