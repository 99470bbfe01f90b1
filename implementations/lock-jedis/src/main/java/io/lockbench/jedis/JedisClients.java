package io.lockbench.jedis;

import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.SentinelAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Builds the Jedis clients a {@link JedisLockService} runs on: a pooled client for one server, or a cluster
 * client seeded with every node. Both are {@link UnifiedJedis}, so the lock logic has one code path. Public
 * for the implementations built on Jedis (lock-fifo).
 */
public final class JedisClients {

    /**
     * A client and where its release subscribers connect.
     *
     * @param client the pooled (or Sentinel-tracked, or cluster) client
     * @param subscribeTo one supplier per subscriber connection ({@link ReleaseListener#of}), asked before each
     *     connection: the node, the current primary, or a cluster master first and the others after it
     */
    public record Connected(UnifiedJedis client, List<Supplier<HostAndPort>> subscribeTo) {

        /**
         * @param client the client
         * @param subscribeTo where the one subscriber connection goes
         */
        public Connected(UnifiedJedis client, Supplier<HostAndPort> subscribeTo) {
            this(client, List.of(subscribeTo));
        }

        /** @throws IllegalArgumentException when there is no supplier */
        public Connected {
            subscribeTo = List.copyOf(subscribeTo);
            if (subscribeTo.isEmpty()) {
                throw new IllegalArgumentException("subscribeTo: at least one subscriber connection is needed");
            }
        }
    }

    /** Enough connections for a benchmark's threads; a connection is held only for one round trip. */
    private static final int POOL_SIZE = 32;
    /** A cluster retry re-sends the same acquire; acquire.lua answers "already ours" to a copy that landed. */
    private static final int CLUSTER_ATTEMPTS = 3;

    private JedisClients() {
    }

    /**
     * @param timeout the connect and socket timeout
     * @return the configuration of every connection the service opens
     */
    public static JedisClientConfig clientConfig(Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        // No handshake on connect: no HELLO (RESP2 without negotiating, which also keeps construction lazy:
        // Jedis would otherwise probe a connection in its constructor) and no CLIENT SETINFO. Each would be a
        // round trip more per new connection, and while replies are lost (a connection is replaced after each
        // timeout) the handshake would fail before any lock command is sent.
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .autoNegotiateProtocol(false)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .build();
    }

    /**
     * The client for the first node: a plain pool for {@code redis://}, Jedis's Sentinel client for
     * {@code redis-sentinel://}, with where the release subscriber connects (the current primary).
     *
     * @param settings the nodes (only the first is used) and the command timeout
     * @return the client; the caller closes it
     * @throws LockBackendException when no Sentinel of a Sentinel node answers or knows the master
     */
    public static Connected connect(LockSettings settings) {
        if (!SentinelAddress.isSentinel(settings.firstNode())) {
            return new Connected(standalone(settings), ReleaseSubscriber.inTurn(List.of(hostAndPort(settings.firstNode()))));
        }
        try {
            RedisSentinelClient client = sentinel(settings);
            return new Connected(client, client::getCurrentMaster);
        } catch (JedisException e) {
            throw new LockBackendException(LockSettings.address(settings.firstNode()),
                    "cannot find the primary through Sentinel: " + e.getMessage(), e);
        }
    }

    /**
     * @param timeout how long a caller may wait for a free connection
     * @return the pool settings: no evictor thread, no test commands, bounded borrow wait
     */
    static ConnectionPoolConfig poolConfig(Duration timeout) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(timeout);
        // Jedis's defaults start an idle-evictor thread and PING idle connections; neither is wanted here:
        // the thread would outlive close() by a while and the PINGs would count as lock traffic.
        pool.setTestWhileIdle(false);
        pool.setTestOnBorrow(false);
        pool.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        pool.setJmxEnabled(false);
        return pool;
    }

    /**
     * @param node {@code redis://host:port}
     * @return its host and port
     */
    static HostAndPort hostAndPort(URI node) {
        return new HostAndPort(node.getHost(), node.getPort());
    }

    /**
     * @param nodes node URIs
     * @return their hosts and ports, in order
     */
    static List<HostAndPort> hostsAndPorts(List<URI> nodes) {
        return nodes.stream().map(JedisClients::hostAndPort).toList();
    }

    /**
     * A pooled client for the first node. Connects lazily.
     *
     * @param settings the nodes and the command timeout
     * @return the client
     */
    static UnifiedJedis standalone(LockSettings settings) {
        return RedisClient.builder()
                .hostAndPort(hostAndPort(settings.firstNode()))
                .clientConfig(clientConfig(settings.commandTimeout()))
                .poolConfig(poolConfig(settings.commandTimeout()))
                .build();
    }

    /**
     * A pooled client for the primary that the Sentinels of the first node (a {@code redis-sentinel://} URI)
     * name: Jedis's own Sentinel support ({@link RedisSentinelClient}) asks them for the primary at once,
     * listens to their {@code +switch-master} announcements on a thread per Sentinel, and re-points its pool
     * at the promoted replica after a failover.
     *
     * @param settings the Sentinel node and the command timeout
     * @return the client
     * @throws redis.clients.jedis.exceptions.JedisException when no Sentinel answers or none knows the master
     */
    static RedisSentinelClient sentinel(LockSettings settings) {
        SentinelAddress address = SentinelAddress.parse(settings.firstNode());
        Set<HostAndPort> sentinels = new LinkedHashSet<>();
        for (String sentinel : address.sentinels()) {
            sentinels.add(new HostAndPort(SentinelAddress.host(sentinel), SentinelAddress.port(sentinel)));
        }
        return RedisSentinelClient.builder()
                .masterName(address.masterName())
                .sentinels(sentinels)
                .clientConfig(clientConfig(settings.commandTimeout()))
                .sentinelClientConfig(clientConfig(settings.commandTimeout()))
                .poolConfig(poolConfig(settings.commandTimeout()))
                .build();
    }

    /**
     * A cluster client seeded with {@link LockSettings#clusterSeeds()}, with a release subscriber on every
     * master ({@link EveryMasterSubscriber}). Reads the slot map at once.
     *
     * @param settings the seed nodes and the command timeout
     * @return the client; the caller closes it
     * @throws LockBackendException naming the seeds when none answers
     */
    public static Connected cluster(LockSettings settings) {
        Set<HostAndPort> seeds = new LinkedHashSet<>(hostsAndPorts(settings.clusterSeeds()));
        UnifiedJedis client;
        List<HostAndPort> masters;
        try {
            client = RedisClusterClient.builder()
                    .nodes(seeds)
                    .clientConfig(clientConfig(settings.commandTimeout()))
                    .poolConfig(poolConfig(settings.commandTimeout()))
                    .maxAttempts(CLUSTER_ATTEMPTS)
                    .maxTotalRetriesDuration(settings.commandTimeout())
                    .build();
        } catch (JedisException e) {
            throw new LockBackendException(clusterAddress(settings), "cannot read the cluster's slot map: "
                    + e.getMessage(), e);
        }
        try {
            masters = masters(seeds, clientConfig(settings.commandTimeout()));
        } catch (JedisException e) {
            client.close();
            throw new LockBackendException(clusterAddress(settings), "cannot read the cluster's masters: "
                    + e.getMessage(), e);
        }
        return new Connected(client, EveryMasterSubscriber.ownMasterFirst(masters));
    }

    /**
     * @param settings cluster settings
     * @return the seeds' {@code host:port}, comma-separated, for messages
     */
    public static String clusterAddress(LockSettings settings) {
        return settings.clusterSeeds().stream().map(LockSettings::address).collect(Collectors.joining(","));
    }

    /**
     * The masters of the slot map ({@code CLUSTER SLOTS}) as the first seed that answers reports them.
     *
     * @return each master once, in slot order
     * @throws JedisException when no seed answers
     */
    private static List<HostAndPort> masters(Set<HostAndPort> seeds, JedisClientConfig config) {
        JedisException last = null;
        for (HostAndPort seed : seeds) {
            try (Jedis jedis = new Jedis(seed, config)) {
                Set<HostAndPort> masters = new LinkedHashSet<>();
                for (Object range : jedis.clusterSlots()) {
                    List<?> master = (List<?>) ((List<?>) range).get(2);
                    String host = SafeEncoder.encode((byte[]) master.get(0));
                    masters.add(new HostAndPort(host.isEmpty() ? seed.getHost() : host,
                            ((Number) master.get(1)).intValue()));
                }
                if (!masters.isEmpty()) {
                    return List.copyOf(masters);
                }
            } catch (JedisException e) {
                last = e;
            }
        }
        throw last != null ? last : new JedisException("no seed reported a master in CLUSTER SLOTS: " + seeds);
    }
}
