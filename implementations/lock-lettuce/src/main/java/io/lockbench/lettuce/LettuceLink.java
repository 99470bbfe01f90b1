package io.lockbench.lettuce;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RedisLink} over one Lettuce client: a command connection and a subscriber connection, each in
 * a {@link ConnectionSlot}, on client resources of its own or shared with other links. Subclasses say how to open the two connections
 * on their topology; everything else is shared.
 *
 * @param <C> the command connection's type
 */
abstract class LettuceLink<C extends StatefulConnection<String, String>> implements RedisLink {

    private static final Logger LOG = LoggerFactory.getLogger(LettuceLink.class);

    private final AbstractRedisClient client;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final String address;
    /** The longest {@link #close()} waits for a connection still opening. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final Duration timeout;
    /** An open may take this many command timeouts: a Sentinel lookup and the connect behind it each take one. */
    private static final int OPEN_TIMEOUTS = 3;
    /**
     * And at least this long: an open given up on starts again from nothing, so on a loaded machine a bound
     * shorter than a slow handshake would give up on every open in turn. The bound is for opens that never end.
     */
    private static final Duration MIN_OPEN_BOUND = Duration.ofSeconds(5);

    private final ConnectionSlot<C> commands;
    private final ConnectionSlot<StatefulRedisPubSubConnection<String, String>> subscriber;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final RedisPubSubListener<String, String> listener = new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
            messageListener.accept(channel, message);
        }
    };
    private volatile BiConsumer<String, String> messageListener = (channel, message) -> { };
    /** Completes once the previous subscribe or unsubscribe was handed to a connection; guarded by this. */
    private CompletableFuture<?> lastDispatch = CompletableFuture.completedFuture(null);

    /**
     * @param client the Lettuce client, configured and not yet connected
     * @param resources the client's resources, owned by this link
     * @param address the servers' addresses for error messages
     * @param timeout the command timeout
     */
    protected LettuceLink(AbstractRedisClient client, ClientResources resources, String address, Duration timeout) {
        this(client, resources, true, address, timeout);
    }

    /**
     * @param client the Lettuce client, configured and not yet connected
     * @param resources the client's resources
     * @param ownsResources whether {@link #close()} shuts the resources down; false when other links share them
     * @param address the servers' addresses for error messages
     * @param timeout the command timeout
     */
    protected LettuceLink(AbstractRedisClient client, ClientResources resources, boolean ownsResources,
                          String address, Duration timeout) {
        this.client = client;
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.address = address;
        this.timeout = timeout;
        Duration bound = timeout.multipliedBy(OPEN_TIMEOUTS);
        Duration openBound = bound.compareTo(MIN_OPEN_BOUND) < 0 ? MIN_OPEN_BOUND : bound;
        this.commands = new ConnectionSlot<>(this::connectCommands, resources.eventExecutorGroup(), openBound);
        this.subscriber = new ConnectionSlot<>(this::connectSubscriber, resources.eventExecutorGroup(), openBound);
    }

    /**
     * Client resources for one service: the fewest threads Lettuce allows (two I/O, two computation, one
     * timer), and no latency metrics, which would start a publisher of their own.
     *
     * @return new resources; the link shuts them down
     */
    static ClientResources newResources() {
        return newResources(Delay.exponential());
    }

    /**
     * {@link #newResources()} with another delay between a dropped connection's reconnect attempts.
     *
     * @param reconnectDelay the delay before each reconnect attempt
     * @return new resources; the link shuts them down
     */
    static ClientResources newResources(Delay reconnectDelay) {
        return DefaultClientResources.builder()
                .ioThreadPoolSize(DefaultClientResources.MIN_IO_THREADS)
                .computationThreadPoolSize(DefaultClientResources.MIN_COMPUTATION_THREADS)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled())
                .reconnectDelay(reconnectDelay)
                .build();
    }

    /**
     * @param settings the service's settings
     * @return a connect timeout of one command timeout
     */
    static SocketOptions socketOptions(LockSettings settings) {
        return SocketOptions.builder().connectTimeout(settings.commandTimeout()).build();
    }

    /**
     * RESP2 without a handshake: no HELLO, no PING before a connection is used, no CLIENT SETINFO. Each would be
     * a round trip more per new connection, and while replies are lost (a connection is replaced after each
     * timeout) the handshake would time out before any lock command is sent, leaving a lease that was being
     * released held until replies flow again. A client name, where one is set, still costs its CLIENT SETNAME.
     *
     * @param options the client's options
     * @param uris the URIs it connects with (the library name and version are what CLIENT SETINFO would send)
     */
    static void noHandshake(ClientOptions.Builder options, List<RedisURI> uris) {
        options.protocolVersion(ProtocolVersion.RESP2).pingBeforeActivateConnection(false);
        for (RedisURI uri : uris) {
            uri.setLibraryName("");
            uri.setLibraryVersion("");
        }
    }

    /**
     * @param settings the service's settings
     * @return asynchronous commands time out after the command timeout too, not only the synchronous API's
     */
    static TimeoutOptions timeoutOptions(LockSettings settings) {
        return TimeoutOptions.enabled(settings.commandTimeout());
    }

    /**
     * @return no maintenance notifications: a Redis Enterprise feature that only adds handshake commands here
     */
    static MaintNotificationsConfig maintNotifications() {
        return MaintNotificationsConfig.disabled();
    }

    /**
     * Opens a command connection.
     *
     * @return the connection's stage
     */
    protected abstract CompletionStage<? extends C> connectCommands();

    /**
     * The scripting commands of a command connection.
     *
     * @param connection an open command connection
     * @return its asynchronous commands
     */
    protected abstract RedisScriptingAsyncCommands<String, String> scripting(C connection);

    /**
     * The commands of a command connection that WAIT is one of.
     *
     * @param connection an open command connection
     * @return its asynchronous commands
     */
    protected abstract BaseRedisAsyncCommands<String, String> base(C connection);

    /**
     * Opens a subscriber connection.
     *
     * @return the connection's stage
     */
    protected abstract CompletionStage<? extends StatefulRedisPubSubConnection<String, String>> connectPubSub();

    /**
     * Where SUBSCRIBE and UNSUBSCRIBE of a channel go: the subscriber connection itself, unless the link
     * routes them (a cluster link sends them to the master that serves the channel's slot).
     *
     * @param connection the open subscriber connection
     * @param channel the channel
     * @return the commands to send them on
     */
    protected CompletionStage<RedisPubSubAsyncCommands<String, String>> pubSubFor(
            StatefulRedisPubSubConnection<String, String> connection, String channel) {
        return CompletableFuture.completedFuture(connection.async());
    }

    /**
     * Opens the command connection and waits for it, so that a wrong address fails the service's
     * constructor rather than its first call. Closes the link when it fails.
     *
     * @throws LockBackendException when the server cannot be reached
     */
    final void connectNow() {
        try {
            commands.get().get(2 * timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            close();
            throw new LockBackendException(address, "cannot connect: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new LockBackendException(address, "cannot connect within " + timeout.multipliedBy(2), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new LockBackendException(address, "interrupted while connecting", e);
        }
    }

    @Override
    public final String address() {
        return address;
    }

    @Override
    public final CompletionStage<Void> connect() {
        return commands.get().thenApply(connection -> null);
    }

    @Override
    public final <T> CompletionStage<T> evalsha(String sha1, ScriptOutputType type, String[] keys, String... args) {
        return command(connection -> scripting(connection).evalsha(sha1, type, keys, args));
    }

    @Override
    public final <T> CompletionStage<T> eval(String source, ScriptOutputType type, String[] keys, String... args) {
        return command(connection -> scripting(connection).eval(source, type, keys, args));
    }

    @Override
    public final <T> CompletionStage<Acknowledged<T>> evalshaThenWait(String sha1, ScriptOutputType type,
            String[] keys, int replicas, long timeoutMillis, String... args) {
        return thenWait(connection -> scripting(connection).evalsha(sha1, type, keys, args), replicas, timeoutMillis);
    }

    @Override
    public final <T> CompletionStage<Acknowledged<T>> evalThenWait(String source, ScriptOutputType type,
            String[] keys, int replicas, long timeoutMillis, String... args) {
        return thenWait(connection -> scripting(connection).eval(source, type, keys, args), replicas, timeoutMillis);
    }

    /**
     * Both commands are written from one callback on one connection, so WAIT follows the script on the wire
     * (two stages chained separately on a connection still opening would run in either order).
     */
    private <T> CompletionStage<Acknowledged<T>> thenWait(Function<C, RedisFuture<T>> script, int replicas,
                                                          long timeoutMillis) {
        return commands.get().thenCompose(connection -> {
            CompletionStage<T> reply = watched(commands, connection, script.apply(connection));
            CompletionStage<Long> acknowledged = watched(commands, connection,
                    base(connection).waitForReplication(replicas, timeoutMillis));
            return reply.thenCombine(acknowledged, Acknowledged::new);
        });
    }

    @Override
    public final CompletionStage<Void> subscribe(String channel) {
        channels.add(channel);
        return subscriberCommand(channel, commands -> commands.subscribe(channel));
    }

    @Override
    public final CompletionStage<Void> unsubscribe(String channel) {
        channels.remove(channel);
        return subscriberCommand(channel, commands -> commands.unsubscribe(channel));
    }

    @Override
    public final void onMessage(BiConsumer<String, String> listener) {
        this.messageListener = listener;
    }

    @Override
    public final void close() {
        // A connection still opening is waited for, but not as long as a connect may take when the command
        // timeout is long: after this bound it is closed when it opens, or with the client's threads.
        Duration opening = timeout.compareTo(CLOSE_WAIT) < 0 ? timeout : CLOSE_WAIT;
        commands.close(opening);
        subscriber.close(opening);
        try {
            client.shutdown(Duration.ZERO, timeout);
        } catch (RuntimeException e) {
            LOG.debug("Lettuce client shutdown for {} failed", address, e);
        }
        if (ownsResources) {
            resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(timeout.toMillis() + 1_000);
        }
    }

    private <T> CompletionStage<T> command(Function<C, RedisFuture<T>> call) {
        return commands.get().thenCompose(connection -> watched(commands, connection, call.apply(connection)));
    }

    /**
     * Hands subscribe and unsubscribe to the subscriber connection strictly in call order; chaining each on
     * the connection's stage alone would not keep that order while the connection is still opening.
     */
    private synchronized CompletionStage<Void> subscriberCommand(String channel,
            Function<RedisPubSubAsyncCommands<String, String>, RedisFuture<Void>> call) {
        CompletableFuture<CompletionStage<Void>> dispatched = lastDispatch
                .handle((ignored, error) -> null)
                .thenCompose(ignored -> subscriber.get())
                .thenCompose(connection -> pubSubFor(connection, channel)
                        .thenApply(commands -> watched(subscriber, connection, call.apply(commands))));
        lastDispatch = dispatched;
        return dispatched.thenCompose(Function.identity());
    }

    /**
     * Opens a subscriber connection, listening for messages; after a replacement it subscribes again to
     * every channel a waiter still needs (messages sent in between are covered by the waiters' retries).
     */
    private CompletionStage<StatefulRedisPubSubConnection<String, String>> connectSubscriber() {
        return connectPubSub().thenApply(connection -> {
            connection.addListener(listener);
            for (String channel : channels) {
                pubSubFor(connection, channel).thenAccept(commands -> commands.subscribe(channel));
            }
            return connection;
        });
    }

    /**
     * Replaces the connection when a command on it failed for any reason but an error reply: after a
     * timeout its replies can no longer be trusted to match their commands. A READONLY error reply replaces
     * it too: the server it reached is a replica now (a demoted primary keeps its clients when it is made a
     * replica by REPLICAOF, and a reconnect may meet the old primary's address back as a replica), and only
     * a new connection asks the Sentinels or the cluster again where the primary is.
     */
    private static <X extends StatefulConnection<String, String>, T> CompletionStage<T> watched(
            ConnectionSlot<X> slot, X connection, RedisFuture<T> reply) {
        return reply.whenComplete((value, error) -> {
            if (error != null && (!(error instanceof RedisCommandExecutionException) || onReplica(error))) {
                slot.replace(connection);
            }
        });
    }

    /**
     * Whether an error reply says the server is a replica: {@code READONLY} as the reply (Lettuce's
     * {@link RedisReadOnlyException}), or inside a script's error, as Redis 6 reports a write a script made.
     */
    private static boolean onReplica(Throwable error) {
        return error instanceof RedisReadOnlyException
                || error instanceof RedisCommandExecutionException && error.getMessage() != null
                && error.getMessage().contains("READONLY");
    }
}
