package io.lockbench.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisSourceTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(RedisSource.PROPERTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "AUTO", " auto ", "", "   "})
    void autoAndBlankMeanAuto(String spec) {
        assertThat(RedisSource.parse(spec)).isEqualTo(new RedisSource.Auto());
    }

    @Test
    void nullMeansAuto() {
        assertThat(RedisSource.parse(null)).isEqualTo(new RedisSource.Auto());
    }

    @Test
    void keywords() {
        assertThat(RedisSource.parse("embedded")).isEqualTo(new RedisSource.Embedded());
        assertThat(RedisSource.parse("path")).isEqualTo(new RedisSource.Path(Path.of("redis-server")));
        assertThat(RedisSource.parse("path:/opt/redis/bin/redis-server"))
            .isEqualTo(new RedisSource.Path(Path.of("/opt/redis/bin/redis-server")));
        assertThat(RedisSource.parse("docker")).isEqualTo(new RedisSource.Docker("redis:7.4"));
        assertThat(RedisSource.parse("docker:redis:7.2-alpine")).isEqualTo(new RedisSource.Docker("redis:7.2-alpine"));
    }

    @Test
    void externalServers() {
        RedisSource source = RedisSource.parse("redis://10.0.0.1:6379, redis://redis-b:6380");

        assertThat(source).isEqualTo(new RedisSource.External(
            List.of(URI.create("redis://10.0.0.1:6379"), URI.create("redis://redis-b:6380"))));
        assertThat(source.describe()).isEqualTo("external redis://10.0.0.1:6379, redis://redis-b:6380");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embeded", "docker:", "path:", "redis://host", "redis://h:1,http://h:2",
        "redis://h:1,,redis://h:2", "rediss://h:6379", "redis://:6379", "6379"})
    void badSpecsAreRejectedByName(String spec) {
        assertThatThrownBy(() -> RedisSource.parse(spec))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + spec + "'")
            .hasMessageContaining("expected auto | embedded");
    }

    @Test
    void externalNeedsRedisUris() {
        assertThatThrownBy(() -> new RedisSource.External(List.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisSource.External(List.of(URI.create("http://h:1"))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("http://h:1");
    }

    @Test
    void systemPropertyWins() {
        System.setProperty(RedisSource.PROPERTY, "docker:redis:7.2");

        assertThat(RedisSource.fromEnvironment()).isEqualTo(new RedisSource.Docker("redis:7.2"));
    }

    @Test
    void badSystemPropertyNamesItsOrigin() {
        System.setProperty(RedisSource.PROPERTY, "nonsense");

        assertThatThrownBy(RedisSource::fromEnvironment)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("system property lockbench.redis")
            .hasMessageContaining("'nonsense'");
    }

    @Test
    void describeNamesDockerImage() {
        assertThat(new RedisSource.Docker("redis:7.4").describe()).isEqualTo("docker redis:7.4");
    }

    @Test
    void describeSaysWhyAMissingBinaryIsNotUsable() {
        String description = new RedisSource.Path(Path.of("/nonexistent/redis-server")).describe();

        assertThat(description).contains("not usable").contains("/nonexistent/redis-server");
    }
}
