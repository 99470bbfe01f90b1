package io.lockbench.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisNodesIT {

    private static RedisNodes redis;

    @BeforeAll
    static void startServers() {
        redis = RedisNodes.start(3);
    }

    @AfterAll
    static void stopServers() {
        redis.close();
    }

    @Test
    void threeIndependentServersOnLoopback() {
        assertThat(redis.size()).isEqualTo(3);
        assertThat(redis.nodes()).extracting(RedisNode::port).doesNotHaveDuplicates();
        for (RedisNode node : redis.nodes()) {
            assertThat(node.<String>call(jedis -> jedis.ping())).isEqualTo("PONG");
            assertThat(RedisBinary.atLeast(node.version(), 6, 2)).as("version %s", node.version()).isTrue();
            assertThat(node.uri()).isEqualTo(URI.create("redis://127.0.0.1:" + node.port()));
        }
        assertThat(redis.settings().nodes()).isEqualTo(redis.uris());
        assertThat(redis.keyPrefix()).matches("lbt:[0-9a-f]{8}:");
        assertThat(redis.source().describe()).contains("redis-server");
    }

    @Test
    void serversAreOurProcesses() {
        for (RedisNode node : redis.nodes()) {
            assertThat(node.managed()).isTrue();
            assertThat(node.pid()).isPositive();
            assertThat(ProcessHandle.of(node.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            String pid = node.call(jedis -> AbstractNode.infoField(jedis.info("server"), "process_id"));
            assertThat(pid).isEqualTo(Long.toString(node.pid()));
        }
    }

    @Test
    void nothingIsPersisted() {
        List<String> config = redis.node(0).call(jedis -> List.of(
            jedis.configGet("save").get("save"), jedis.configGet("appendonly").get("appendonly"),
            jedis.configGet("bind").get("bind")));

        assertThat(config).containsExactly("", "no", "127.0.0.1");
    }

    @Test
    void pauseBlocksCommandsForThatLong() {
        RedisNode node = redis.node(1);

        node.pause(Duration.ofMillis(300));
        long start = System.nanoTime();
        String reply = node.call(jedis -> jedis.ping());
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(reply).isEqualTo("PONG");
        assertThat(elapsedMillis).isBetween(250L, 2_000L);
    }

    @Test
    void resumeEndsAPauseEarly() {
        RedisNode node = redis.node(1);

        node.pause(Duration.ofSeconds(30));
        node.resume();
        long start = System.nanoTime();
        node.call(jedis -> jedis.ping());

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000L);
        node.resume();
    }

    @Test
    void killRefusesConnectionsAndRestartComesBackEmptyOnTheSamePort() {
        RedisNode node = redis.node(2);
        String key = redis.keyPrefix() + "survivor";
        node.call(jedis -> jedis.set(key, "v"));
        long oldPid = node.pid();
        int port = node.port();

        node.kill();

        assertThat(ProcessHandle.of(oldPid)).isEmpty();
        assertThatThrownBy(() -> node.call(jedis -> jedis.ping()))
            .isInstanceOf(JedisConnectionException.class)
            .hasMessageContaining("Failed to connect to 127.0.0.1:" + port);
        assertThatThrownBy(() -> node.pause(Duration.ofSeconds(1)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("127.0.0.1:" + port);

        node.restart();

        assertThat(node.port()).isEqualTo(port);
        assertThat(node.pid()).isNotEqualTo(oldPid);
        assertThat(node.<String>call(jedis -> jedis.ping())).isEqualTo("PONG");
        assertThat(node.<String>call(jedis -> jedis.get(key))).isNull();
    }

    @Test
    void restartOfARunningNodeReplacesIt() {
        RedisNode node = redis.node(0);
        long oldPid = node.pid();

        node.restart();

        assertThat(node.pid()).isNotEqualTo(oldPid);
        assertThat(ProcessHandle.of(oldPid)).isEmpty();
        assertThat(node.<String>call(jedis -> jedis.ping())).isEqualTo("PONG");
    }

    @Test
    void closeKillsEveryServerEvenAPausedOne() {
        RedisNodes own = RedisNodes.start(2);
        List<Long> pids = own.nodes().stream().map(RedisNode::pid).toList();
        own.node(0).pause(Duration.ofSeconds(30));

        own.close();
        own.close();

        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d", pid).isEmpty();
        }
        assertThatThrownBy(() -> own.node(1).proxy()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingBinaryIsNamed() {
        RedisSource source = new RedisSource.Path(Path.of("/nonexistent/bin/redis-server"));

        assertThatThrownBy(() -> RedisNodes.start(1, source))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("/nonexistent/bin/redis-server");
    }

    @Test
    void atLeastOneNode() {
        assertThatThrownBy(() -> RedisNodes.start(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("got 0");
    }
}
