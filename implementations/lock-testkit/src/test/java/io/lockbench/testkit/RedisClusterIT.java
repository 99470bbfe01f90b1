package io.lockbench.testkit;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisClusterIT {

    @Test
    void threeMastersServeEverySlot() {
        try (RedisCluster cluster = RedisCluster.start(3)) {
            assertThat(cluster.masters()).hasSize(3);
            assertThat(cluster.uris()).doesNotHaveDuplicates();
            for (RedisNode master : cluster.masters()) {
                String info = master.call(jedis -> jedis.clusterInfo());
                assertThat(AbstractNode.infoField(info, "cluster_state")).isEqualTo("ok");
                assertThat(AbstractNode.infoField(info, "cluster_known_nodes")).isEqualTo("3");
            }

            RedisNode seed = cluster.masters().get(0);
            try (JedisCluster client = new JedisCluster(new HostAndPort(seed.host(), seed.port()))) {
                for (int i = 0; i < 30; i++) {
                    client.set("key-" + i, "value-" + i);
                }
                for (int i = 0; i < 30; i++) {
                    assertThat(client.get("key-" + i)).isEqualTo("value-" + i);
                }
            }
            List<Long> keysPerMaster = cluster.masters().stream().map(m -> m.call(jedis -> jedis.dbSize())).toList();
            assertThat(keysPerMaster).as("keys spread over the masters").allMatch(count -> count > 0);
        }
    }

    @Test
    void dockerAndExternalSourcesCannotFormAClusterOfOurOwn() {
        assertThatThrownBy(() -> RedisCluster.start(3, new RedisSource.Docker("redis:7.4")))
            .isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("docker redis:7.4");
    }
}
