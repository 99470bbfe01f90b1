package io.lockbench.jmh;

import io.lockbench.api.ClusterAddress;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointsTest {

    private static final List<URI> SERVERS = List.of(URI.create("redis://127.0.0.1:7001"),
            URI.create("redis://127.0.0.1:7002"));
    private static final List<URI> PROXIES = List.of(URI.create("redis://127.0.0.1:8001"),
            URI.create("redis://127.0.0.1:8002"));

    @Test
    void survivesTheTripToTheForks() {
        Endpoints direct = new Endpoints("lbt:1a2b:", SERVERS, List.of(), Duration.ZERO);
        Endpoints proxied = new Endpoints("lbt:1a2b:", SERVERS, PROXIES, Duration.ofNanos(500_000));

        assertThat(Endpoints.decode(direct.encode())).isEqualTo(direct);
        assertThat(Endpoints.decode(proxied.encode())).isEqualTo(proxied);
    }

    @Test
    void theRttParameterPicksDirectOrProxiedServers() {
        Endpoints endpoints = new Endpoints("p:", SERVERS, PROXIES, Duration.ofNanos(500_000));

        assertThat(endpoints.nodes("0")).isEqualTo(SERVERS);
        assertThat(endpoints.nodes("500us")).isEqualTo(PROXIES);
        assertThatThrownBy(() -> endpoints.nodes("2ms")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("injected 500us");
    }

    @Test
    void refusesInconsistentEndpoints() {
        assertThatThrownBy(() -> new Endpoints("p:", List.of(), List.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoints("p:", SERVERS, List.of(), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoints("p:", SERVERS, PROXIES.subList(0, 1), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Endpoints.decode("prefix=p:;direct=redis://h:1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saysHowToRunWhenThePropertyIsMissing() {
        assertThat(System.getProperty(Endpoints.PROPERTY)).isNull();
        assertThatThrownBy(Endpoints::fromSystemProperty).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lockbench bench");
    }

    @Test
    void aClusterTravelsToTheForksAndGivesImplementationsItsAddress() {
        Endpoints cluster = new Endpoints("p:", SERVERS, List.of(), Duration.ZERO, true);
        assertThat(Endpoints.decode(cluster.encode())).isEqualTo(cluster);
        assertThat(cluster.settings("0").cluster()).map(ClusterAddress::seedUris).contains(SERVERS);
        assertThat(new Endpoints("p:", SERVERS, List.of(), Duration.ZERO).settings("0").nodes()).isEqualTo(SERVERS);
        assertThatThrownBy(() -> new Endpoints("p:", SERVERS, PROXIES, Duration.ofMillis(1), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Redis Cluster");
    }
}
