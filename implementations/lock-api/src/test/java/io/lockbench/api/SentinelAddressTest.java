package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentinelAddressTest {

    @Test
    void parsesSentinelsAndMasterName() {
        SentinelAddress address = SentinelAddress.parse(URI.create("redis-sentinel://127.0.0.1:26379,h2:26380/orders"));
        assertThat(address.sentinels()).containsExactly("127.0.0.1:26379", "h2:26380");
        assertThat(address.masterName()).isEqualTo("orders");
        assertThat(SentinelAddress.host("h2:26380")).isEqualTo("h2");
        assertThat(SentinelAddress.port("h2:26380")).isEqualTo(26380);
        assertThat(address.toUri()).isEqualTo(URI.create("redis-sentinel://127.0.0.1:26379,h2:26380/orders"));
        assertThat(address).hasToString("orders@127.0.0.1:26379,h2:26380");
    }

    @Test
    void parsesOneSentinelAndBracketedIpv6() {
        SentinelAddress address = SentinelAddress.parse(URI.create("redis-sentinel://[::1]:26379/m"));
        assertThat(address.sentinels()).containsExactly("[::1]:26379");
        assertThat(SentinelAddress.host("[::1]:26379")).isEqualTo("::1");
        assertThat(SentinelAddress.port("[::1]:26379")).isEqualTo(26379);
    }

    @Test
    void refusesOddUrisNamingTheProblem() {
        assertBad(null, "expected redis-sentinel://");
        assertBad("redis://h:1", "expected redis-sentinel://");
        assertBad("redis-sentinel://h:1", "primary's name");
        assertBad("redis-sentinel://h:1/", "primary's name");
        assertBad("redis-sentinel://h:1/a/b", "primary's name");
        assertBad("redis-sentinel:///m", "no Sentinel host:port");
        assertBad("redis-sentinel://h:0/m", "bad port '0'");
        assertBad("redis-sentinel://h:65536/m", "bad port '65536'");
        assertBad("redis-sentinel://h:x1,h:2/m", "bad port 'x1'");
        assertBad("redis-sentinel://h/m", "expected host:port");
        assertBad("redis-sentinel://h:1,/m", "stray comma");
        assertBad("redis-sentinel://,h:1/m", "stray comma");
        assertBad("redis-sentinel://h:1/m?x=1", "no query");
    }

    @Test
    void refusesBadComponents() {
        assertThatThrownBy(() -> new SentinelAddress(List.of(), "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sentinels:");
        assertThatThrownBy(() -> new SentinelAddress(null, "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sentinels:");
        assertThatThrownBy(() -> new SentinelAddress(List.of("h:1"), " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("masterName:");
        assertThatThrownBy(() -> new SentinelAddress(List.of("::1:5"), "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brackets");
    }

    private static void assertBad(String uri, String message) {
        URI node = uri == null ? null : URI.create(uri);
        assertThatThrownBy(() -> SentinelAddress.parse(node)).as(uri).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
