package io.lockbench.spring;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lockbench.api.LockSettings;
import io.lockbench.api.SentinelAddress;
import java.net.URI;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Spring Data Redis connection factory a Spring application would configure for the registry: Lettuce,
 * one shared connection, the settings' command timeout as both command and connect timeout, and Lettuce's
 * own Sentinel support for a {@code redis-sentinel://} node.
 */
final class SpringConnections {

    private SpringConnections() {
    }

    /**
     * @param settings where the server is; the first node is used
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
        URI node = settings.firstNode();
        LettuceConnectionFactory factory;
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
