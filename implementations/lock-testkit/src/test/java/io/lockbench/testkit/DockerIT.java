package io.lockbench.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DockerIT {

    @Test
    void dockerNodeAnswers() {
        assumeTrue(Docker.available(), "no Docker engine on this machine");

        try (RedisNodes redis = RedisNodes.start(1, new RedisSource.Docker(RedisSource.Docker.DEFAULT_IMAGE))) {
            RedisNode node = redis.node(0);
            assertThat(node.<String>call(jedis -> jedis.ping())).isEqualTo("PONG");
            assertThat(node.version()).startsWith("7.4");
            assertThat(node.managed()).isTrue();
        }
    }

    @Test
    void dockerWithoutAnEngineSaysSo() {
        assumeFalse(Docker.available(), "a Docker engine answers");

        assertThatThrownBy(() -> RedisNodes.start(1, new RedisSource.Docker("redis:7.4")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("docker was asked for")
            .hasMessageContaining("no Docker engine answers");
    }
}
