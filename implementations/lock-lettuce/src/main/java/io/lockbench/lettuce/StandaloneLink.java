package io.lockbench.lettuce;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lockbench.api.LockSettings;
import io.lockbench.api.SentinelAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RedisLink} to one standalone Redis server, or to the primary a set of Sentinels names
 * ({@code redis-sentinel://}, through Lettuce's Sentinel support, subscriber connection included). The
 * Lettuce service links to the first node of its settings; Redlock opens one lazily connecting link per node ({@link #lazy}), all on one set of client
 * resources.
 */
public final class StandaloneLink extends LettuceLink<StatefulRedisConnection<String, String>> {

    private final RedisClient client;
    private final RedisURI uri;

    private StandaloneLink(RedisClient client, ClientResources resources, boolean ownsResources, RedisURI uri,
                           LockSettings settings) {
        super(client, resources, ownsResources, LockSettings.address(settings.firstNode()), settings.commandTimeout());
        this.client = client;
        this.uri = uri;
    }

    /**
     * Connects to the first node of {@code settings}.
     *
     * @param settings where the server is and the command timeout
     * @return a connected link
     * @throws io.lockbench.api.LockBackendException when the server cannot be reached
     */
    static StandaloneLink connect(LockSettings settings) {
        ClientResources resources = SentinelAddress.isSentinel(settings.firstNode())
                ? newResources(sentinelReconnectDelay(settings)) : newResources();
        StandaloneLink link = create(settings, null, resources, true, true);
        link.connectNow();
        return link;
    }

    /**
     * A link to one server that connects on first use, so creating it never fails for a server that is
     * down. A connection that drops is not reconnected in the background (which would replay the commands
     * in flight and hold new ones until they time out): the next command fails at once and the one after
     * it opens a fresh connection, as after a command timeout.
     *
     * @param node {@code redis://host:port}
     * @param commandTimeout the command and connect timeout
     * @param clientName the name the connections give themselves (CLIENT SETNAME), as CLIENT LIST shows it
     * @param resources client resources shared with other links, from {@link #sharedResources()}; the link
     *     does not shut them down
     * @return the link, not connected yet
     */
    public static RedisLink lazy(URI node, Duration commandTimeout, String clientName, ClientResources resources) {
        return create(new LockSettings(List.of(node), commandTimeout), clientName, resources, false, false);
    }

    /**
     * Client resources for the links of one service: the fewest threads Lettuce allows, without latency
     * metrics. The caller shuts them down after closing every link that uses them.
     *
     * @return new resources
     */
    public static ClientResources sharedResources() {
        return newResources();
    }

    private static StandaloneLink create(LockSettings settings, String clientName, ClientResources resources,
                                         boolean ownsResources, boolean autoReconnect) {
        RedisClient client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(autoReconnect)
                .socketOptions(socketOptions(settings))
                .timeoutOptions(timeoutOptions(settings))
                .maintNotificationsConfig(maintNotifications());
        RedisURI uri = redisUri(settings.firstNode());
        uri.setTimeout(settings.commandTimeout());
        noHandshake(options, List.of(uri));
        client.setOptions(options.build());
        if (clientName != null) {
            uri.setClientName(clientName);
        }
        return new StandaloneLink(client, resources, ownsResources, uri, settings);
    }

    /**
     * Lettuce asks the Sentinels for the primary again before every reconnect attempt; its default delay
     * between attempts doubles up to 30 s, so a connection that dropped with the primary and kept failing
     * until the promotion (each attempt meeting the dead primary the Sentinels still named) could wait half
     * a minute more before it asked again and found the promoted replica. Doubling up to one command timeout
     * keeps each dropped connection at most that far behind the promotion.
     */
    private static Delay sentinelReconnectDelay(LockSettings settings) {
        return Delay.exponential(Duration.ZERO, settings.commandTimeout(), 2, TimeUnit.MILLISECONDS);
    }

    /**
     * A {@code redis://} node as it is; a {@code redis-sentinel://} node as Lettuce's Sentinel URI with the
     * master id: Lettuce asks the Sentinels for the primary on every connect and reconnect, so a connection
     * that dropped in a failover comes back on the promoted replica.
     */
    private static RedisURI redisUri(URI node) {
        if (!SentinelAddress.isSentinel(node)) {
            return RedisURI.create(node);
        }
        SentinelAddress address = SentinelAddress.parse(node);
        String first = address.sentinels().get(0);
        RedisURI.Builder builder = RedisURI.Builder.sentinel(SentinelAddress.host(first), SentinelAddress.port(first),
                address.masterName());
        for (String sentinel : address.sentinels().subList(1, address.sentinels().size())) {
            builder.withSentinel(SentinelAddress.host(sentinel), SentinelAddress.port(sentinel));
        }
        return builder.build();
    }

    @Override
    protected BaseRedisAsyncCommands<String, String> base(StatefulRedisConnection<String, String> connection) {
        return connection.async();
    }

    @Override
    protected CompletionStage<StatefulRedisConnection<String, String>> connectCommands() {
        return client.connectAsync(StringCodec.UTF8, uri);
    }

    @Override
    protected RedisScriptingAsyncCommands<String, String> scripting(StatefulRedisConnection<String, String> connection) {
        return connection.async();
    }

    @Override
    protected CompletionStage<StatefulRedisPubSubConnection<String, String>> connectPubSub() {
        return client.connectPubSubAsync(StringCodec.UTF8, uri);
    }
}
