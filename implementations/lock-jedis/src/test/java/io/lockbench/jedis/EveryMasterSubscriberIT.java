package io.lockbench.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.ClusterAddress;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import io.lockbench.fixture.RedisCluster;
import io.lockbench.fixture.RedisNode;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EveryMasterSubscriber} on a real 3-master cluster: a pattern subscription on every master, each
 * release passed on once although every master's subscriber hears it (the publishing master's at once, the
 * others over the cluster bus).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EveryMasterSubscriberIT {

    private RedisCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = RedisCluster.start(3);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("a cluster service subscribes on every master, and a release published on any of them is passed on once")
    void everyMasterHeardEachReleasePassedOnOnce() throws Exception {
        LockSettings settings = LockSettings.of(ClusterAddress.of(List.of(cluster.uris().get(0))).toUri());
        JedisClients.Connected connected = JedisClients.cluster(settings);
        List<String> passedOn = new CopyOnWriteArrayList<>();
        try (ReleaseListener listener = ReleaseListener.of(connected.subscribeTo(),
                JedisClients.clientConfig(Duration.ofSeconds(2)), (channel, message) -> passedOn.add(message),
                () -> { }, Duration.ofSeconds(2))) {
            assertThat(listener).isInstanceOf(EveryMasterSubscriber.class);
            listener.subscribe(LockKeys.of("any").channel()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (RedisNode master : cluster.masters()) {
                Await.until(Duration.ofSeconds(10), () -> master.<Long>call(jedis -> jedis.pubsubNumPat()) == 1,
                        "a pattern subscription on " + master);
            }
            EveryMasterSubscriber every = (EveryMasterSubscriber) listener;
            int published = 0;
            for (RedisNode master : cluster.masters()) {
                String message = "token-from-" + master.port();
                master.call(jedis -> jedis.publish(LockKeys.of("k" + master.port()).channel(), message));
                published++;
                int expected = published;
                // Every master's subscriber hears it: the publisher's at once, the other two over the bus. The copy
                // that is passed on may reach the callback after the other two were dropped (another thread).
                Await.until(Duration.ofSeconds(10), () -> every.copiesDropped() == 2L * expected
                        && passedOn.contains(message), "the two copies of " + message + " that came over the"
                        + " cluster bus, and the one passed on");
                assertThat(passedOn).as("passed on once").containsOnlyOnce(message).hasSize(expected);
            }
        } finally {
            connected.client().close();
        }
    }
}
