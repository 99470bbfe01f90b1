package io.lockbench.redlock;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LuaScript;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redlock node: a single command connection shared by every thread, and a pub/sub connection for
 * release messages, both opened on first use and again after they broke.
 *
 * <p>Every command for the node goes through the one command connection, in the order it was issued, so a
 * compare-and-delete sent after an acquire that has not answered yet still runs after it on the server.
 * Commands issued while the connection is being opened wait in a FIFO queue (not as callbacks on the
 * connect future, whose dependents run in no guaranteed order). Every script is loaded with SCRIPT LOAD as
 * soon as a connection opens, ahead of the queued commands, so EVALSHA does not fall back to EVAL (a
 * second, later command that could overtake a compare-and-delete) on a node that was just restarted.
 *
 * <p>A command that times out (the command timeout, enforced by Lettuce) leaves its reply owed on the
 * connection; if the reply was lost, every later reply would be matched to the wrong command. The
 * connection is therefore closed and replaced after any command timeout.
 */
final class RedlockNode {

    private static final Logger LOG = LoggerFactory.getLogger(RedlockNode.class);

    /** A command waiting for the connection to open. */
    private record Queued(Consumer<StatefulRedisConnection<String, String>> send, CompletableFuture<?> result) {
    }

    private final RedisClient client;
    private final RedisURI uri;
    private final String address;
    private final List<LuaScript> scripts;
    private final BiConsumer<String, String> onMessage;
    private final Supplier<Collection<String>> channels;
    private final Object lock = new Object();
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private volatile StatefulRedisConnection<String, String> connection;
    private CompletableFuture<Void> connecting;
    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> pubSub;
    private boolean closed;

    /**
     * @param client the service's Lettuce client (its options carry the timeouts)
     * @param node where the server is
     * @param commandTimeout the connection handshake's timeout
     * @param scripts loaded on every new connection
     * @param onMessage receives (channel, message) of every release message
     * @param channels the channels to subscribe when a pub/sub connection (re)opens
     */
    RedlockNode(RedisClient client, URI node, Duration commandTimeout, List<LuaScript> scripts,
                BiConsumer<String, String> onMessage, Supplier<Collection<String>> channels) {
        this.client = client;
        this.uri = RedisURI.Builder.redis(node.getHost(), node.getPort())
                .withTimeout(commandTimeout).withClientName("lockbench-redlock").build();
        this.address = LockSettings.address(node);
        this.scripts = scripts;
        this.onMessage = onMessage;
        this.channels = channels;
    }

    /** @return {@code host:port}, as error messages name the node */
    String address() {
        return address;
    }

    /**
     * Runs a script: EVALSHA, EVAL on NOSCRIPT. Never blocks.
     *
     * @param script the script
     * @param type its reply type
     * @param keys KEYS
     * @param args ARGV
     * @param <T> the reply type
     * @return the reply; failed with the client's exception (timeout, connection refused or lost, server error)
     */
    <T> CompletableFuture<T> run(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Consumer<StatefulRedisConnection<String, String>> send = open -> script.<T>runAsync(
                        sha -> open.async().evalsha(sha, type, keys, args),
                        source -> open.async().eval(source, type, keys, args))
                .whenComplete((reply, error) -> {
                    if (error == null) {
                        result.complete(reply);
                    } else {
                        Throwable cause = unwrap(error);
                        if (cause instanceof RedisCommandTimeoutException) {
                            replace(open);
                        }
                        result.completeExceptionally(cause);
                    }
                });
        StatefulRedisConnection<String, String> open = connection;
        if (open != null && open.isOpen()) {
            send.accept(open);
            return result;
        }
        synchronized (lock) {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("node " + address + " is closed"));
            } else if (connection != null && connection.isOpen()) {
                send.accept(connection);
            } else {
                queued.add(new Queued(send, result));
                connectIfNeeded();
            }
        }
        return result;
    }

    /**
     * Opens the command connection unless it is open or opening.
     *
     * @return completes when the connection is open or the attempt to open it has failed
     */
    CompletableFuture<Void> connect() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null && open.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lock) {
            if (closed || (connection != null && connection.isOpen())) {
                return CompletableFuture.completedFuture(null);
            }
            return connectIfNeeded();
        }
    }

    /** @return whether the command connection is open now */
    boolean connected() {
        StatefulRedisConnection<String, String> open = connection;
        return open != null && open.isOpen();
    }

    private CompletableFuture<Void> connectIfNeeded() {
        if (connecting != null) {
            return connecting;
        }
        connection = null;
        CompletableFuture<Void> attempt = new CompletableFuture<>();
        connecting = attempt;
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((open, error) -> {
            opened(open, error);
            attempt.complete(null);
        });
        return attempt;
    }

    private void opened(StatefulRedisConnection<String, String> open, Throwable error) {
        synchronized (lock) {
            connecting = null;
            if (error == null && !closed) {
                for (LuaScript script : scripts) {
                    open.async().scriptLoad(script.source()).whenComplete((sha, failure) -> {
                        if (unwrap(failure) instanceof RedisCommandTimeoutException) {
                            replace(open);
                        }
                    });
                }
                queued.forEach(command -> command.send().accept(open));
                connection = open;
            } else {
                Throwable cause = error != null ? unwrap(error)
                        : new IllegalStateException("node " + address + " is closed");
                queued.forEach(command -> command.result().completeExceptionally(cause));
                if (open != null) {
                    open.closeAsync();
                }
            }
            queued.clear();
        }
    }

    /** Closes a connection that owes a reply, so that the next command opens a fresh one. */
    private void replace(StatefulRedisConnection<String, String> stale) {
        synchronized (lock) {
            if (connection != stale) {
                return;
            }
            connection = null;
        }
        LOG.debug("command timed out on {}; replacing the connection", address);
        stale.closeAsync();
    }

    /**
     * Subscribes to a release channel, opening the pub/sub connection first when needed (which subscribes
     * every channel in {@code channels}, this one included).
     *
     * @param channel the channel
     * @return completes when the server confirmed the subscription; fails when the node cannot be reached
     */
    CompletableFuture<Void> subscribe(String channel) {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("node " + address + " is closed"));
            }
            if (pubSub != null && !pubSub.isCompletedExceptionally()
                    && (!pubSub.isDone() || pubSub.join().isOpen())) {
                return pubSub.thenCompose(open -> open.async().subscribe(channel));
            }
            pubSub = client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture();
            return pubSub.thenCompose(open -> {
                open.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String from, String message) {
                        onMessage.accept(from, message);
                    }
                });
                Set<String> all = new LinkedHashSet<>(channels.get());
                all.add(channel);
                return open.async().subscribe(all.toArray(String[]::new));
            });
        }
    }

    /**
     * Unsubscribes from a release channel when the pub/sub connection is open; a no-op otherwise.
     *
     * @param channel the channel
     */
    void unsubscribe(String channel) {
        synchronized (lock) {
            if (pubSub != null && pubSub.isDone() && !pubSub.isCompletedExceptionally() && pubSub.join().isOpen()) {
                pubSub.join().async().unsubscribe(channel);
            }
        }
    }

    /**
     * Closes both connections. Commands still queued fail; commands already written stay written.
     *
     * @return completes when both connections are closed
     */
    CompletableFuture<Void> closeAsync() {
        StatefulRedisConnection<String, String> open;
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> subscriber;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            open = connection;
            connection = null;
            subscriber = pubSub;
        }
        CompletableFuture<Void> commands = open == null ? CompletableFuture.completedFuture(null) : open.closeAsync();
        CompletableFuture<Void> messages = subscriber == null ? CompletableFuture.completedFuture(null)
                : subscriber.handle((opened, failed) -> opened).thenCompose(opened -> opened == null
                        ? CompletableFuture.completedFuture(null) : opened.closeAsync());
        return CompletableFuture.allOf(commands, messages);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    @Override
    public String toString() {
        return "RedlockNode[" + address + "]";
    }
}
