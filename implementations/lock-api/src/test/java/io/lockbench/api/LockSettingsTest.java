package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockSettingsTest {

    @Test
    void defaultsAndCopies() {
        LockSettings settings = LockSettings.of(URI.create("redis://127.0.0.1:6379"), URI.create("redis://h2:7000"));
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.firstNode()).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        LockSettings faster = settings.withCommandTimeout(Duration.ofMillis(100));
        assertThat(faster.commandTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(faster.nodes()).isEqualTo(settings.nodes());
        assertThat(settings.commandTimeout()).as("original untouched").isEqualTo(Duration.ofSeconds(2));
        assertThat(LockSettings.address(settings.nodes().get(1))).isEqualTo("h2:7000");
    }

    @Test
    void refusesBadNodesNamingThem() {
        assertThatThrownBy(() -> LockSettings.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodes");
        assertThatThrownBy(() -> LockSettings.of(URI.create("http://h:1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://h:1");
        assertThatThrownBy(() -> LockSettings.of(URI.create("redis://h"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://h");
    }

    @Test
    void refusesNullNodesNamingThem() {
        assertThatThrownBy(() -> LockSettings.of((List<URI>) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodes:");
        assertThatThrownBy(() -> LockSettings.of((URI[]) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodes:");
        assertThatThrownBy(() -> LockSettings.of(URI.create("redis://h:1"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nodes:");
    }

    @Test
    void refusesTimeoutsOutOfRange() {
        LockSettings settings = LockSettings.of(URI.create("redis://h:1"));
        for (Duration timeout : new Duration[] {null, Duration.ZERO, Duration.ofMillis(-1), Duration.ofDays(365),
                LockSettings.MAX_COMMAND_TIMEOUT.plusMillis(1), ChronoUnit.FOREVER.getDuration()}) {
            assertThatThrownBy(() -> settings.withCommandTimeout(timeout)).as("timeout %s", timeout)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("commandTimeout:");
        }
        assertThat(settings.withCommandTimeout(LockSettings.MAX_COMMAND_TIMEOUT).commandTimeout())
                .isEqualTo(LockSettings.MAX_COMMAND_TIMEOUT);
    }

    @Test
    void acceptsSentinelNodesAndKeepsThemFirst() {
        URI sentinel = URI.create("redis-sentinel://127.0.0.1:26379,127.0.0.1:26380/lockbench");
        LockSettings settings = LockSettings.of(sentinel);
        assertThat(settings.firstNode()).isEqualTo(sentinel);
        assertThat(LockSettings.address(sentinel)).isEqualTo("lockbench@127.0.0.1:26379,127.0.0.1:26380");
        assertThat(settings.replicaAck()).isEqualTo(ReplicaAck.OFF);
        assertThatThrownBy(() -> settings.requireNoSentinel("redlock", "a quorum of Sentinel groups"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redlock").hasMessageContaining("redis-sentinel://");
        LockSettings.of(URI.create("redis://h:1")).requireNoSentinel("redlock", "why");
    }

    @Test
    void refusesBadSentinelNodesNamingThem() {
        for (String bad : new String[] {"redis-sentinel://h:0/m", "redis-sentinel://h:1", "redis-sentinel://h:1,/m",
                "redis-sentinel:///m"}) {
            assertThatThrownBy(() -> LockSettings.of(URI.create(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nodes:")
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void replicaAckIsOffByDefaultAndValidated() {
        LockSettings settings = LockSettings.of(URI.create("redis://h:1"));
        assertThat(settings.replicaAck().isOn()).isFalse();
        LockSettings acked = settings.withReplicaAck(1, Duration.ofMillis(100));
        assertThat(acked.replicaAck()).isEqualTo(new ReplicaAck(1, Duration.ofMillis(100)));
        assertThat(acked.replicaAck().timeoutMillis()).isEqualTo(100);
        assertThat(acked.withCommandTimeout(Duration.ofSeconds(1)).replicaAck()).as("kept by copies")
                .isEqualTo(acked.replicaAck());
        assertThat(acked.withoutReplicaAck().replicaAck()).isEqualTo(ReplicaAck.OFF);
        assertThat(new LockSettings(settings.nodes(), Duration.ofSeconds(1)).replicaAck()).isEqualTo(ReplicaAck.OFF);

        assertThatThrownBy(() -> settings.withReplicaAck(0, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("replicas:");
        assertThatThrownBy(() -> settings.withReplicaAck(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("replicas:");
        assertThatThrownBy(() -> settings.withReplicaAck(-1, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("replicas:");
        for (Duration timeout : new Duration[] {null, Duration.ZERO, Duration.ofNanos(999_999), Duration.ofMillis(-5),
                ReplicaAck.MAX_TIMEOUT.plusMillis(1), ChronoUnit.FOREVER.getDuration()}) {
            assertThatThrownBy(() -> settings.withReplicaAck(1, timeout)).as("timeout %s", timeout)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("replica ack timeout:");
        }
        assertThatThrownBy(() -> settings.withReplicaAck(1, LockSettings.DEFAULT_COMMAND_TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("replicaAck:")
                .hasMessageContaining("shorter than the command timeout");
        assertThatThrownBy(() -> acked.withCommandTimeout(Duration.ofMillis(50)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("replicaAck:");
        assertThatThrownBy(() -> new LockSettings(settings.nodes(), Duration.ofSeconds(1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("replicaAck:");
    }

    @Test
    void notAcknowledgedNamesKeyCountsAndAddress() {
        ReplicationNotAcknowledgedException e = new ReplicationNotAcknowledgedException("m@h:1", "orders", 0,
                new ReplicaAck(2, Duration.ofMillis(50)));
        assertThat(e).isInstanceOf(LockBackendException.class)
                .hasMessageContaining("'orders'").hasMessageContaining("only 0 of 2 required replicas")
                .hasMessageContaining("50 ms").hasMessageContaining("m@h:1");
        assertThat(e.key()).isEqualTo("orders");
        assertThat(e.acknowledged()).isZero();
        assertThat(e.required()).isEqualTo(2);
    }

    @Test
    void aClusterNodeIsTheOnlyNodeAndSingleServerReadersRefuseIt() {
        URI node = URI.create("redis-cluster://h1:7000,h2:7001");
        LockSettings settings = LockSettings.of(node);
        assertThat(settings.cluster()).map(ClusterAddress::seeds).contains(List.of("h1:7000", "h2:7001"));
        assertThat(settings.clusterSeeds()).containsExactly(URI.create("redis://h1:7000"), URI.create("redis://h2:7001"));
        assertThat(LockSettings.address(node)).isEqualTo("cluster@h1:7000,h2:7001");
        assertThatThrownBy(settings::firstNode).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a Redis Cluster").hasMessageContaining("Capability.CLUSTER");
        assertThatThrownBy(() -> settings.requireNoCluster("redlock", "a quorum needs independent servers"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("redlock: a redis-cluster:// node is not supported (a quorum needs independent servers),"
                        + " got " + node);
        LockSettings plain = LockSettings.of(URI.create("redis://h:1"), URI.create("redis://g:2"));
        assertThat(plain.cluster()).isEmpty();
        assertThat(plain.clusterSeeds()).as("plain nodes are a cluster's servers to its own factory")
                .isEqualTo(plain.nodes());
        plain.requireNoCluster("redlock", "unused");
    }

    @Test
    void refusesBadClusterNodesNamingThem() {
        assertThatThrownBy(() -> LockSettings.of(URI.create("redis-cluster://h:1"), URI.create("redis://g:2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nodes:")
                .hasMessageContaining("must be the only node");
        assertThatThrownBy(() -> LockSettings.of(URI.create("redis-cluster://h:99999")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nodes:")
                .hasMessageContaining("bad port '99999'");
        assertThatThrownBy(() -> LockSettings.of(URI.create("redis-cluster://h:1/3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nodes:")
                .hasMessageContaining("no database number");
        assertThatThrownBy(() -> LockSettings.of(URI.create("redis-sentinel://s:1/m")).clusterSeeds())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis-sentinel://");
    }
}
