package io.lockbench.lettuce;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lockbench.api.LockSettings;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The {@link RedisLink} to a Redis Cluster seeded by every node of the settings. Scripts go to the master
 * of their keys' slot (all keys of a lock share one hash tag, its release channel too). A release channel
 * is subscribed on that same master, through Lettuce's connection to that node, whose messages reach the
 * subscriber connection's listener: a PUBLISH reaches other nodes only over the cluster bus, whose
 * connections Redis opens without TCP_NODELAY, where a message can wait up to 40 ms for the previous one's
 * delayed ACK (redis/redis#11869).
 */
final class ClusterLink extends LettuceLink<StatefulRedisClusterConnection<String, String>> {

    private final RedisClusterClient client;

    private ClusterLink(RedisClusterClient client, ClientResources resources, LockSettings settings) {
        super(client, resources, settings.clusterSeeds().stream().map(LockSettings::address).collect(Collectors.joining(",")),
                settings.commandTimeout());
        this.client = client;
    }

    /**
     * Connects to the cluster, reading its topology from the nodes of {@code settings}.
     *
     * @param settings seed nodes and the command timeout
     * @return a connected link
     * @throws io.lockbench.api.LockBackendException when no node can be reached
     */
    static ClusterLink connect(LockSettings settings) {
        ClientResources resources = newResources();
        List<RedisURI> seeds = settings.clusterSeeds().stream().map(node -> {
            RedisURI uri = RedisURI.create(node);
            uri.setTimeout(settings.commandTimeout());
            return uri;
        }).toList();
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                .socketOptions(socketOptions(settings))
                .timeoutOptions(timeoutOptions(settings));
        // Not overridden by the cluster builder, so it cannot sit in the chain above.
        options.maintNotificationsConfig(maintNotifications());
        noHandshake(options, seeds);
        client.setOptions(options.build());
        ClusterLink link = new ClusterLink(client, resources, settings);
        link.connectNow();
        return link;
    }

    /** Reads the topology first: Lettuce's asynchronous connect needs it, and after a replacement it may have moved. */
    @Override
    protected CompletionStage<StatefulRedisClusterConnection<String, String>> connectCommands() {
        return client.refreshPartitionsAsync().thenCompose(ignored -> client.connectAsync(StringCodec.UTF8));
    }

    @Override
    protected BaseRedisAsyncCommands<String, String> base(StatefulRedisClusterConnection<String, String> connection) {
        return connection.async();
    }

    @Override
    protected RedisScriptingAsyncCommands<String, String> scripting(
            StatefulRedisClusterConnection<String, String> connection) {
        return connection.async();
    }

    @Override
    protected CompletionStage<? extends StatefulRedisPubSubConnection<String, String>> connectPubSub() {
        return client.refreshPartitionsAsync().thenCompose(ignored -> client.connectPubSubAsync(StringCodec.UTF8))
                .thenApply(connection -> {
                    connection.setNodeMessagePropagation(true);
                    return connection;
                });
    }

    /** The master serving the channel's slot, as the subscriber connection's topology says; else the connection. */
    @Override
    protected CompletionStage<RedisPubSubAsyncCommands<String, String>> pubSubFor(
            StatefulRedisPubSubConnection<String, String> connection, String channel) {
        StatefulRedisClusterPubSubConnection<String, String> cluster =
                (StatefulRedisClusterPubSubConnection<String, String>) connection;
        RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
        if (master == null) {
            return super.pubSubFor(connection, channel);
        }
        return cluster.getConnectionAsync(master.getNodeId()).thenApply(StatefulRedisPubSubConnection::async);
    }
}
