package io.lockbench.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.LockBackendException;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a primary made a replica by {@code REPLICAOF} keeps its clients (only Sentinel's own
 * reconfiguration kills them; the chaos run's old primary, back on its port, is demoted this way), so the
 * service's command connection stays on a server that answers every acquire with READONLY. Through
 * Sentinel only a new connection asks where the primary is, so the connection must be replaced. Told on the
 * server by client ids: the acquire after the refusal runs on a connection that did not exist before it.
 */
class LettuceReadOnlyReplicaIT {

    private static final Duration TTL = Duration.ofSeconds(30);

    @Test
    void aReadOnlyReplyReplacesTheConnection() {
        try (RedisNodes nodes = RedisNodes.start(2);
             LettuceLockService service = new LettuceLockService(nodes.settings())) {
            RedisNode server = nodes.node(0);
            RedisNode primary = nodes.node(1);
            String prefix = nodes.keyPrefix() + "readonly:";
            service.tryAcquire(prefix + "before", TTL).orElseThrow().release();
            Set<String> scriptClients = scriptClients(server);
            assertThat(scriptClients).as("the service's command connection").hasSize(1);

            server.call(jedis -> jedis.replicaof(primary.host(), primary.port()));
            assertThatThrownBy(() -> service.tryAcquire(prefix + "on-replica", TTL))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("READONLY");
            server.call(jedis -> jedis.replicaofNoOne());

            assertThat(service.tryAcquire(prefix + "after", TTL)).as("granted once a primary again").isPresent();
            assertThat(scriptClients(server)).as("the acquire came on a new connection; the old one is closed")
                    .hasSize(1).doesNotContainAnyElementsOf(scriptClients);
        }
    }

    /** @return the ids of the server's clients whose last command ran a script */
    private static Set<String> scriptClients(RedisNode node) {
        return node.<String>call(jedis -> jedis.clientList()).lines()
                .filter(line -> line.contains(" cmd=evalsha ") || line.contains(" cmd=eval "))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .collect(Collectors.toSet());
    }
}
