package io.lockbench.redlock;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.core.Backoff;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.LuaScript;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The N independent nodes of one Redlock service: their connections (one Lettuce client and one set of
 * client threads for all of them), the quorum, how long to wait for a node, and the scripts fanned out to
 * every node in parallel. Compare-and-deletes that fail are retried here in the background.
 */
final class NodeSet implements AutoCloseable {

    /** Raises a fencing counter to a floor; see the script's header. */
    static final LuaScript FENCE_FLOOR = LuaScript.load("/io/lockbench/redlock/fence_floor.lua");

    private static final Logger LOG = LoggerFactory.getLogger(NodeSet.class);
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Background compare-and-delete retries: 10 ms doubling to 1 s, jittered. */
    private static final Backoff RETRY = new Backoff(TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));

    private final List<RedlockNode> nodes = new ArrayList<>();
    private final int quorum;
    private final Duration commandTimeout;
    private final ClientResources resources;
    private final RedisClient client;
    private final ReleaseSignals signals;
    private volatile boolean closed;

    /**
     * Creates the client; connects to no node yet (each connects on first use, so a node that is down
     * when the service starts does not keep it from starting).
     *
     * @param settings the nodes and the command timeout
     */
    NodeSet(LockSettings settings) {
        this.commandTimeout = settings.commandTimeout();
        this.quorum = settings.nodes().size() / 2 + 1;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).tcpNoDelay(true).build())
                .build());
        this.signals = new ReleaseSignals(this::subscribe, this::unsubscribe);
        List<LuaScript> scripts = new ArrayList<>(LockScripts.all());
        scripts.add(FENCE_FLOOR);
        for (URI node : settings.nodes()) {
            nodes.add(new RedlockNode(client, node, commandTimeout, List.copyOf(scripts), signals::deliver,
                    signals::channels));
        }
    }

    /** @return N */
    int size() {
        return nodes.size();
    }

    /** @return N / 2 + 1 */
    int quorum() {
        return quorum;
    }

    /** @return the command timeout in nanoseconds: how long a node may stay silent before it counts as failed */
    long commandTimeoutNanos() {
        return commandTimeout.toNanos();
    }

    /** @return the release wake-ups of this service's waiters */
    ReleaseSignals signals() {
        return signals;
    }

    /**
     * How long an operation waits for the nodes that have not answered before deciding without them:
     * {@code min(commandTimeout / 2, max(5 ms, ttl / 10))}. Small next to the ttl, so that a slow or dead
     * node costs a small part of the validity; at most half the command timeout, so that the clean-up of
     * a node that did not answer is still sent on the connection that carried the request (a command
     * timeout replaces the connection) and therefore runs after it.
     *
     * @param ttl the lock's ttl
     * @return the wait in nanoseconds
     */
    long waitNanos(Duration ttl) {
        return Math.min(commandTimeout.toNanos() / 2, Math.max(MIN_WAIT_NANOS, ttl.toNanos() / 10));
    }

    /**
     * Opens the connections that are not open, and waits (at most the command timeout) until a quorum of
     * nodes is connected or every attempt has ended. Opening a connection is not part of a lock request:
     * the first request after start or after a connection broke would otherwise spend its whole per-node
     * wait, and its validity, on the handshake.
     */
    void connect() {
        if (connectedCount() == nodes.size()) {
            return;
        }
        FanOut.<Void>send(nodes.size(), i -> nodes.get(i).connect()).awaitUninterruptibly(
                attempts -> connectedCount() >= quorum, System.nanoTime() + commandTimeout.toNanos());
    }

    private int connectedCount() {
        int count = 0;
        for (RedlockNode node : nodes) {
            if (node.connected()) {
                count++;
            }
        }
        return count;
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
        return FanOut.send(nodes.size(),
                i -> nodes.get(i).run(LockScripts.ACQUIRE, ScriptOutputType.MULTI, keyNames, token, millis));
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
        return FanOut.send(nodes.size(),
                i -> nodes.get(i).run(LockScripts.EXTEND, ScriptOutputType.INTEGER, keyNames, token, millis));
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
        return FanOut.send(nodes.size(), i -> targets.test(i)
                ? nodes.get(i).<Long>run(FENCE_FLOOR, ScriptOutputType.INTEGER, keyNames, value)
                : CompletableFuture.completedFuture(null));
    }

    /**
     * release.lua on every node; a node that fails is retried in the background until it answers, the
     * retry deadline passes or the service closes.
     *
     * @param keys the lock's keys
     * @param token our owner token
     * @param retryUntilNanos when to stop retrying: once the key has expired anyway
     * @return the first answers: 1 released, 0 gone, -1 another owner
     */
    FanOut<Long> release(LockKeys keys, String token, long retryUntilNanos) {
        return FanOut.send(nodes.size(), i -> releaseOn(i, keys, token, retryUntilNanos, 0));
    }

    /**
     * release.lua on the chosen nodes without waiting for the answers; failures are retried in the
     * background as in {@link #release}.
     *
     * @param keys the lock's keys
     * @param token our owner token
     * @param targets which nodes
     * @param retryUntilNanos when to stop retrying
     */
    void releaseInBackground(LockKeys keys, String token, IntPredicate targets, long retryUntilNanos) {
        for (int i = 0; i < nodes.size(); i++) {
            if (targets.test(i)) {
                releaseOn(i, keys, token, retryUntilNanos, 0);
            }
        }
    }

    private CompletableFuture<Long> releaseOn(int node, LockKeys keys, String token, long retryUntilNanos,
                                              int attempt) {
        CompletableFuture<Long> reply = nodes.get(node).run(LockScripts.RELEASE, ScriptOutputType.INTEGER,
                new String[] {keys.lock()}, token, keys.channel());
        reply.whenComplete((code, error) -> {
            long left = retryUntilNanos - System.nanoTime();
            if (error == null || closed || left <= 0) {
                return;
            }
            long delay = RETRY.delayNanos(attempt, -1, left);
            LOG.debug("compare-and-delete of {} on {} failed ({}); retrying in {} ms", keys.lock(),
                    nodes.get(node).address(), error.toString(), delay / 1_000_000);
            try {
                resources.eventExecutorGroup().schedule(
                        () -> releaseOn(node, keys, token, retryUntilNanos, attempt + 1), delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shutDown) {
                LOG.debug("service closed; {} on {} expires by its ttl", keys.lock(), nodes.get(node).address());
            }
        });
        return reply;
    }

    private CompletableFuture<Void> subscribe(String channel) {
        CompletableFuture<?>[] confirmations = nodes.stream()
                .map(node -> node.subscribe(channel).exceptionally(error -> null))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(confirmations);
    }

    private void unsubscribe(String channel) {
        nodes.forEach(node -> node.unsubscribe(channel));
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
            addresses.add(nodes.get(i).address());
            if (cause == null) {
                cause = reply.error();
            } else if (reply.error() != null && reply.error() != cause) {
                cause.addSuppressed(reply.error());
            }
        }
        return new LockBackendException(addresses.toString(), "redlock: " + what + ": " + answered + " of "
                + nodes.size() + " nodes answered, a quorum of " + quorum + " is needed; these failed or were silent",
                cause);
    }

    /** Closes every connection and stops the client threads; background retries stop. */
    @Override
    public void close() {
        closed = true;
        long timeout = commandTimeout.toMillis();
        try {
            CompletableFuture.allOf(nodes.stream().map(RedlockNode::closeAsync).toArray(CompletableFuture[]::new))
                    .get(timeout, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("closing the redlock connections took longer than {} ms", timeout, e);
        }
        try {
            client.shutdownAsync(0, timeout, TimeUnit.MILLISECONDS).get(2 * timeout, TimeUnit.MILLISECONDS);
            resources.shutdown(0, timeout, TimeUnit.MILLISECONDS).get(2 * timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("stopping the redlock client threads failed", e);
        }
    }
}
