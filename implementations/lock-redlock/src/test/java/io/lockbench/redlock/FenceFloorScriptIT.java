package io.lockbench.redlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** fence_floor.lua on a real server: its SHA1 as the server computes it, and what it does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FenceFloorScriptIT {

    private RedisNodes redis;
    private RedisNode node;

    @BeforeAll
    void start() {
        redis = RedisNodes.start(1);
        node = redis.node(0);
    }

    @AfterAll
    void stop() {
        redis.close();
    }

    @Test
    @DisplayName("the SHA1 EVALSHA uses is the one SCRIPT LOAD returns")
    void sha1IsPinned() {
        String loaded = node.call(jedis -> jedis.scriptLoad(NodeSet.FENCE_FLOOR.source()));
        // Pinned as a literal: a change to the script's text shows here, and the server must agree.
        assertThat(loaded).isEqualTo("3379786e333249c47da8005f279535cf36dbefba");
        assertThat(NodeSet.FENCE_FLOOR.sha1()).isEqualTo(loaded);
    }

    @Test
    @DisplayName("raises a missing or lower counter to the floor, never lowers a higher one")
    void raisesNeverLowers() {
        String fence = redis.keyPrefix() + "fence";
        assertThat(floor(fence, 7)).as("missing counter").isEqualTo(7L);
        assertThat(stored(fence)).isEqualTo("7");
        assertThat(floor(fence, 3)).as("lower floor").isEqualTo(7L);
        assertThat(stored(fence)).isEqualTo("7");
        assertThat(floor(fence, 12)).as("higher floor").isEqualTo(12L);
        long ttl = node.call(jedis -> jedis.ttl(fence));
        assertThat(ttl).as("the counter never expires").isEqualTo(-1L);
    }

    private String stored(String fence) {
        return node.call(jedis -> jedis.get(fence));
    }

    private long floor(String fence, long value) {
        return (Long) node.call(jedis -> jedis.evalsha(NodeSet.FENCE_FLOOR.sha1(), List.of(fence),
                List.of(Long.toString(value))));
    }
}
