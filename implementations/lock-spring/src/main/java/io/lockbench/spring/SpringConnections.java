package io.lockbench.spring;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lockbench.api.LockSettings;
import io.lockbench.api.SentinelAddress;
import java.net.URI;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Spring Data Redis connection factory a Spring application would configure for the registry: Lettuce,
 * one shared connection, the settings' command timeout as both command and connect timeout, Lettuce's own
 * Sentinel support for a {@code redis-sentinel://} node, and Spring Data Redis's cluster configuration for a
 * {@code redis-cluster://} node (its seeds).
 */
final class SpringConnections {

    private SpringConnections() {
    }

    /**
     * @param settings where the server is: the first node, or a cluster's seeds
     * @return a started factory; it connects on first use; the caller destroys it
     */
    static LettuceConnectionFactory factory(LockSettings settings) {
        Duration timeout = settings.commandTimeout();
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(timeout)
                .shutdownQuietPeriod(Duration.ZERO)
                .shutdownTimeout(timeout)
                .clientOptions(ClientOptions.builder()
                        .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                        .build())
                .build();
        LettuceConnectionFactory factory;
        if (settings.cluster().isPresent()) {
            factory = new LettuceConnectionFactory(new RedisClusterConfiguration(
                    settings.clusterSeeds().stream().map(LockSettings::address).toList()), client);
            factory.afterPropertiesSet();
            factory.start();
            return factory;
        }
        URI node = settings.firstNode();
        if (SentinelAddress.isSentinel(node)) {
            SentinelAddress sentinel = SentinelAddress.parse(node);
            RedisSentinelConfiguration servers = new RedisSentinelConfiguration().master(sentinel.masterName());
            for (String address : sentinel.sentinels()) {
                servers.sentinel(SentinelAddress.host(address), SentinelAddress.port(address));
            }
            factory = new LettuceConnectionFactory(servers, client);
        } else {
            factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(node.getHost(), node.getPort()),
                    client);
        }
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
