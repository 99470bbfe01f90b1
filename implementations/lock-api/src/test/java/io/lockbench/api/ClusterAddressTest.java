package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code redis-cluster://} node URIs: what parses, and that each bad one is refused naming what is wrong. */
class ClusterAddressTest {

    @Test
    void parsesSeedsInOrderAndRoundTrips() {
        URI node = URI.create("redis-cluster://10.0.0.1:7000,db2:7001");
        ClusterAddress address = ClusterAddress.parse(node);
        assertThat(address.seeds()).containsExactly("10.0.0.1:7000", "db2:7001");
        assertThat(address.seedUris()).containsExactly(URI.create("redis://10.0.0.1:7000"),
                URI.create("redis://db2:7001"));
        assertThat(new ClusterAddress(List.of("[::1]:7002")).seedUris()).containsExactly(URI.create("redis://[::1]:7002"));
        assertThat(ClusterAddress.host("[::1]:7002")).isEqualTo("::1");
        assertThat(ClusterAddress.port("[::1]:7002")).isEqualTo(7002);
        assertThat(address.toUri()).isEqualTo(node);
        assertThat(ClusterAddress.parse(URI.create("redis-cluster://h:1/")).seeds()).containsExactly("h:1");
        assertThat(ClusterAddress.of(List.of(URI.create("redis://h:1"), URI.create("redis://g:2"))).toUri())
                .isEqualTo(URI.create("redis-cluster://h:1,g:2"));
        assertThat(address).hasToString("cluster@10.0.0.1:7000,db2:7001");
    }

    @Test
    void refusesBadUrisNamingTheProblem() {
        assertBad("redis://h:1", "expected redis-cluster://host:port");
        assertBad(null, "expected redis-cluster://host:port");
        assertBad("redis-cluster:///", "no cluster node host:port");
        assertBad("redis-cluster://h", "expected host:port for each cluster node");
        assertBad("redis-cluster://h:0", "bad port '0'");
        assertBad("redis-cluster://h:65536", "bad port '65536'");
        assertBad("redis-cluster://h:1,", "stray comma");
        assertBad("redis-cluster://h:1,h:1", "listed twice");
        assertBad("redis-cluster://h:1/0", "no path, query or fragment");
        assertBad("redis-cluster://h:1?timeout=1", "no path, query or fragment");
        assertBad("redis-cluster://user:pw@h:1", "no user or password");
    }

    @Test
    void refusesBadComponents() {
        assertThatThrownBy(() -> new ClusterAddress(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("seeds:");
        assertThatThrownBy(() -> new ClusterAddress(List.of("::1:5"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("brackets");
        assertThatThrownBy(() -> ClusterAddress.of(List.of(URI.create("redis-sentinel://h:1/m"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("servers: expected redis://");
    }

    private static void assertBad(String uri, String message) {
        URI node = uri == null ? null : URI.create(uri);
        assertThatThrownBy(() -> ClusterAddress.parse(node)).as(uri).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
