package io.lockbench.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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

    /** The median of {@code count} PING round trips on one connection, in microseconds, after a warm-up. */
    private static long medianPingMicros(Jedis jedis, int count) {
        for (int i = 0; i < 20; i++) {
            jedis.ping();
        }
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            jedis.ping();
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        return micros[count / 2];
    }

    private static long medianPingMicrosWithLatency(Duration oneWay) {
        try (Jedis jedis = throughProxy()) {
            jedis.getConnection().setSoTimeout(2_000);
            proxy.addLatency(oneWay);
            long median = medianPingMicros(jedis, 200);
            System.out.printf("NodeProxyIT: %d us each way -> median PING round trip %d us%n",
                oneWay.toNanos() / 1_000, median);
            return median;
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    /** Live threads of the delay relay behind {@code proxy}; {@code connections} leaves out its acceptor. */
    private static List<String> relayThreads(NodeProxy of, boolean connections) {
        String prefix = "lockbench-delay-" + of.uri().getPort() + "-";
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(name -> name.startsWith(prefix))
            .filter(name -> !connections || !name.endsWith("-accept"))
            .toList();
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
    void subMillisecondLatencyIsCloseToWhatWasAsked() {
        assertThat(medianPingMicrosWithLatency(Duration.ofNanos(250_000))).isBetween(450L, 1_200L);
    }

    @Test
    void millisecondLatencyIsCloseToWhatWasAsked() {
        assertThat(medianPingMicrosWithLatency(Duration.ofMillis(1))).isBetween(1_900L, 3_500L);
    }

    @Test
    void noLatencyAddsLittle() {
        assertThat(medianPingMicrosWithLatency(Duration.ZERO)).isLessThan(500L);
    }

    @Test
    void latencyChangesApplyToTheNextRequestsOnAnOpenConnection() {
        try (Jedis jedis = throughProxy()) {
            jedis.getConnection().setSoTimeout(2_000);
            assertThat(medianPingMicros(jedis, 21)).isLessThan(10_000L);

            proxy.addLatency(Duration.ofMillis(20));
            assertThat(medianPingMicros(jedis, 21)).isBetween(40_000L, 200_000L);

            proxy.addLatency(Duration.ofMillis(5));
            assertThat(medianPingMicros(jedis, 21)).isBetween(10_000L, 39_000L);

            proxy.addLatency(Duration.ZERO);
            assertThat(medianPingMicros(jedis, 21)).isLessThan(10_000L);
        }
    }

    @Test
    void pipelineThroughADelayedProxyKeepsEveryReplyInOrder() {
        String key = redis.keyPrefix() + "pipeline";
        proxy.addLatency(Duration.ofMillis(1));
        try (Jedis jedis = throughProxy()) {
            jedis.getConnection().setSoTimeout(5_000);
            Pipeline pipeline = jedis.pipelined();
            List<Response<Long>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                replies.add(pipeline.incr(key));
            }
            pipeline.sync();

            assertThat(replies.stream().map(Response::get).toList())
                .isEqualTo(IntStream.rangeClosed(1, 100).mapToObj(Long::valueOf).toList());
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
    void requestDelayedAcrossAFreezeIsAnsweredAfterUnfreeze() throws Exception {
        try (Jedis jedis = throughProxy()) {
            jedis.getConnection().setSoTimeout(3_000);
            jedis.ping();
            proxy.addLatency(Duration.ofMillis(50));
            FutureTask<String> ping = new FutureTask<>(jedis::ping);
            Thread pinging = new Thread(ping, "node-proxy-it-ping");
            pinging.start();
            Thread.sleep(20);
            proxy.freeze();
            Thread.sleep(200);
            assertThat(ping.isDone()).as("answered while frozen").isFalse();
            proxy.unfreeze();

            assertThat(ping.get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
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

            assertThat(relayThreads(proxy, true)).as("relay connection threads after disconnectAll").isEmpty();
            assertThatThrownBy(jedis::ping).isInstanceOf(JedisConnectionException.class);
        }
        try (Jedis jedis = throughProxy()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void closedClientLeavesNoRelayConnection() {
        proxy.addLatency(Duration.ofNanos(250_000));
        for (int i = 0; i < 3; i++) {
            try (Jedis jedis = throughProxy()) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
        }
        Await.until(Duration.ofSeconds(5), () -> relayThreads(proxy, true).isEmpty(),
            "no relay connection threads left after the clients closed");
    }

    @Test
    void proxyOutlivesAKilledNode() {
        Jedis open = throughProxy();
        open.ping();
        node.kill();
        try {
            assertThatThrownBy(open::ping).as("a connection whose server went away is closed, not left hanging")
                .isInstanceOf(JedisConnectionException.class)
                .satisfies(e -> assertThat(rootCause(e)).isNotInstanceOf(SocketTimeoutException.class));
            open.close();
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

    @Test
    void closeEndsEveryRelayThread() {
        NodeProxy closed;
        try (RedisNodes own = RedisNodes.start(1)) {
            closed = own.node(0).proxy();
            closed.addLatency(Duration.ofNanos(250_000));
            try (Jedis idle = new Jedis(closed.uri()); Jedis busy = new Jedis(closed.uri())) {
                assertThat(idle.ping()).isEqualTo("PONG");
                assertThat(busy.ping()).isEqualTo("PONG");
                closed.freeze();
                busy.getConnection().setSoTimeout(100);
                assertThatThrownBy(busy::ping).isInstanceOf(JedisConnectionException.class);
                assertThat(relayThreads(closed, true)).as("four threads per relayed connection").hasSize(8);
                own.close();
            }
        }

        assertThat(relayThreads(closed, false)).as("threads of the closed proxy's relay").isEmpty();
    }
}
