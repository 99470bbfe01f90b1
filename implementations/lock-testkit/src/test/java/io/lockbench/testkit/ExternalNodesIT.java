package io.lockbench.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** External servers, played by a server the kit started itself. */
class ExternalNodesIT {

    private static RedisNodes backing;
    private static RedisSource.External external;

    @BeforeAll
    static void startBackingServer() {
        backing = RedisNodes.start(1);
        external = new RedisSource.External(backing.uris());
    }

    @AfterAll
    static void stopBackingServer() {
        backing.close();
    }

    @Test
    void externalServersAreNeverOurs() {
        try (RedisNodes redis = RedisNodes.start(1, external)) {
            RedisNode node = redis.node(0);

            assertThat(node.managed()).isFalse();
            assertThat(node.pid()).isEqualTo(-1);
            assertThat(node.uri()).isEqualTo(backing.node(0).uri());
            assertThat(node.version()).isEqualTo(backing.node(0).version());
            assertThatThrownBy(node::kill).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("external").hasMessageContaining(node.uri().toString());
            assertThatThrownBy(node::restart).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(backing.node(0).<String>call(jedis -> jedis.ping())).isEqualTo("PONG");
    }

    @Test
    void pauseUsesClientPause() {
        try (RedisNodes redis = RedisNodes.start(1, external)) {
            redis.node(0).pause(Duration.ofMillis(300));
            long start = System.nanoTime();
            backing.node(0).call(jedis -> jedis.ping());

            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 2_000L);
        }
    }

    @Test
    void resumeWaitsOutAClientPauseBecauseRedisHoldsUnpauseToo() {
        try (RedisNodes redis = RedisNodes.start(1, external)) {
            long start = System.nanoTime();
            redis.node(0).pause(Duration.ofMillis(400));
            redis.node(0).resume();
            long resumedAfterMillis = (System.nanoTime() - start) / 1_000_000;
            long pingStart = System.nanoTime();
            backing.node(0).call(jedis -> jedis.ping());

            assertThat(resumedAfterMillis).isGreaterThanOrEqualTo(350L);
            assertThat((System.nanoTime() - pingStart) / 1_000_000).isLessThan(200L);
        }
    }

    @Test
    void closeDeletesOnlyKeysUnderItsPrefix() {
        String strangers = backing.keyPrefix() + "not-ours";
        backing.node(0).call(jedis -> jedis.set(strangers, "keep"));
        RedisNodes redis = RedisNodes.start(1, external);
        String prefix = redis.keyPrefix();
        List<String> ours = List.of(prefix + "lock", "{" + prefix + "lock}:fence");
        ours.forEach(key -> redis.node(0).call(jedis -> jedis.set(key, "x")));

        redis.close();
        redis.close();

        for (String key : ours) {
            assertThat(backing.node(0).<Boolean>call(jedis -> jedis.exists(key))).as(key).isFalse();
        }
        assertThat(backing.node(0).<String>call(jedis -> jedis.get(strangers))).isEqualTo("keep");
    }

    @Test
    void needsAsManyServersAsNodes() {
        assertThatThrownBy(() -> RedisNodes.start(2, external))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2 nodes")
            .hasMessageContaining("only 1");
    }

    @Test
    void unreachableServerIsNamed() {
        URI nobody = URI.create("redis://127.0.0.1:" + FreePorts.pick());

        assertThatThrownBy(() -> RedisNodes.start(1, new RedisSource.External(List.of(nobody))))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(nobody.toString());
    }
}
