package io.lockbench.lettuce;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lockbench.api.LockSettings;
import java.util.concurrent.CompletionStage;

/** The {@link RedisLink} to one standalone Redis server: the first node of the settings. */
final class StandaloneLink extends LettuceLink<StatefulRedisConnection<String, String>> {

    private final RedisClient client;
    private final RedisURI uri;

    private StandaloneLink(RedisClient client, ClientResources resources, RedisURI uri, LockSettings settings) {
        super(client, resources, LockSettings.address(settings.firstNode()), settings.commandTimeout());
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
        ClientResources resources = newResources();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .socketOptions(socketOptions(settings))
                .timeoutOptions(timeoutOptions(settings))
                .maintNotificationsConfig(maintNotifications())
                .build());
        RedisURI uri = RedisURI.create(settings.firstNode());
        uri.setTimeout(settings.commandTimeout());
        StandaloneLink link = new StandaloneLink(client, resources, uri, settings);
        link.connectNow();
        return link;
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
