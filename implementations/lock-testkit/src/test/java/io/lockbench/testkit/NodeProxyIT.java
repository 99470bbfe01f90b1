package io.lockbench.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeProxyIT {

    private static RedisNodes redis;
    private static RedisNode node;
    private static NodeProxy proxy;

    @BeforeAll
    static void startServer() {
        redis = RedisNodes.start(1);
        node = redis.node(0);
        proxy = node.proxy();
    }

    @AfterAll
    static void stopServer() {
        redis.close();
    }

    @AfterEach
    void resetProxy() {
        proxy.reset();
    }

    /** A client through the proxy that gives up on a reply after 300 ms. */
    private static Jedis throughProxy() {
        return new Jedis(proxy.uri(), DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(1_000)
            .socketTimeoutMillis(300)
            .autoNegotiateProtocol(false)
            .build());
    }

    private static long millisToPing(Jedis jedis) {
        long start = System.nanoTime();
        assertThat(jedis.ping()).isEqualTo("PONG");
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void oneProxyPerNodeOnItsOwnPort() {
        assertThat(node.proxy()).isSameAs(proxy);
        assertThat(proxy.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(proxy.uri().getPort()).isNotEqualTo(node.port());
    }

    @Test
    void passesCommandsThrough() {
        String key = redis.keyPrefix() + "through";
        try (Jedis jedis = throughProxy()) {
            jedis.set(key, "v");
        }
        assertThat(node.<String>call(jedis -> jedis.get(key))).isEqualTo("v");
    }

    @Test
    void latencyDelaysEachDirection() {
        try (Jedis jedis = throughProxy()) {
            jedis.ping();
            proxy.addLatency(Duration.ofMillis(50));
            jedis.getConnection().setSoTimeout(2_000);

            assertThat(millisToPing(jedis)).isBetween(100L, 1_000L);

            proxy.addLatency(Duration.ZERO);
            assertThat(millisToPing(jedis)).isLessThan(50L);
        }
    }

    @Test
    void droppedResponseTimesOutButTheWriteHappened() {
        String key = redis.keyPrefix() + "ambiguous";
        try (Jedis jedis = throughProxy()) {
            jedis.ping();
            proxy.dropResponses(true);

            assertThatThrownBy(() -> jedis.set(key, "v"))
                .isInstanceOf(JedisConnectionException.class)
                .hasRootCauseInstanceOf(SocketTimeoutException.class);
        }
        assertThat(node.<String>call(jedis -> jedis.get(key))).isEqualTo("v");
    }

    @Test
    void freezeStallsOpenAndNewConnectionsUntilUnfrozen() {
        try (Jedis jedis = throughProxy()) {
            jedis.ping();
            proxy.freeze();
            proxy.freeze();

            assertThatThrownBy(jedis::ping).isInstanceOf(JedisConnectionException.class)
                .hasRootCauseInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> {
                try (Jedis fresh = throughProxy()) {
                    fresh.ping();
                }
            }).isInstanceOf(JedisConnectionException.class);
        }

        proxy.unfreeze();
        proxy.unfreeze();

        try (Jedis jedis = throughProxy()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void openConnectionResumesAfterUnfreezeWithoutLatency() {
        try (Jedis jedis = throughProxy()) {
            jedis.ping();
            proxy.freeze();
            proxy.unfreeze();

            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void unfreezeAfterFreezingWithLatencyStillServesNewConnections() {
        try (Jedis jedis = throughProxy()) {
            jedis.ping();
            proxy.addLatency(Duration.ofMillis(100));
            jedis.getConnection().setSoTimeout(50);
            assertThatThrownBy(jedis::ping).isInstanceOf(JedisConnectionException.class);
            proxy.freeze();
            proxy.unfreeze();
        }
        proxy.addLatency(Duration.ZERO);

        try (Jedis jedis = throughProxy()) {
            assertThat(millisToPing(jedis)).isLessThan(300L);
        }
    }

    @Test
    void disconnectAllDropsOpenConnections() {
        try (Jedis jedis = throughProxy()) {
            jedis.ping();

            proxy.disconnectAll();

            assertThatThrownBy(jedis::ping).isInstanceOf(JedisConnectionException.class);
        }
        try (Jedis jedis = throughProxy()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void proxyOutlivesAKilledNode() {
        node.kill();
        try {
            assertThatThrownBy(() -> {
                try (Jedis jedis = throughProxy()) {
                    jedis.ping();
                }
            }).isInstanceOf(JedisConnectionException.class);
        } finally {
            node.restart();
        }
        try (Jedis jedis = throughProxy()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void closingTheNodeClosesItsProxy() {
        NodeProxy closed;
        try (RedisNodes own = RedisNodes.start(1)) {
            closed = own.node(0).proxy();
            try (Jedis jedis = new Jedis(closed.uri())) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
        }

        assertThatThrownBy(() -> {
            try (Jedis jedis = new Jedis(closed.uri())) {
                jedis.ping();
            }
        }).isInstanceOf(JedisConnectionException.class)
            .hasMessageContaining("Failed to connect to 127.0.0.1:" + closed.uri().getPort());
        assertThatThrownBy(closed::freeze).isInstanceOf(IllegalStateException.class);
    }
}
