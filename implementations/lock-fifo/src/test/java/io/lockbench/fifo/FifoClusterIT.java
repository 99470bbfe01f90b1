package io.lockbench.fifo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.Capability;
import io.lockbench.api.ClusterAddress;
import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.fixture.RedisCluster;
import io.lockbench.fixture.RedisNode;
import io.lockbench.testkit.Await;
import io.lockbench.testkit.ClusterKeys;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * {@link FifoLockService#cluster} on a 3-master Redis Cluster: the same queue and grants, each lock's four keys
 * on one slot, grant messages crossing the cluster bus to a subscriber on any node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FifoClusterIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MASTERS = 3;

    private RedisCluster cluster;
    private LockSettings settings;

    @BeforeAll
    void startCluster() {
        cluster = RedisCluster.start(MASTERS);
        settings = LockSettings.of(ClusterAddress.of(cluster.uris()).toUri());
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("LockServices.create(\"fifo\", redis-cluster://one-seed): acquire, held, extend, release on every master")
    void acquireAndReleaseOnEveryMasterFromOneSeed() {
        URI oneSeed = ClusterAddress.of(List.of(cluster.uris().get(1))).toUri();
        try (LockService service = LockServices.create("fifo", LockSettings.of(oneSeed))) {
            assertThat(service.capabilities()).contains(Capability.CLUSTER, Capability.FAIR);
            for (String key : keysOnEveryMaster()) {
                FifoKeys names = FifoKeys.of(key);
                Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
                RedisNode owner = ClusterKeys.masterOf(cluster, names.names().lock());
                assertThat(owner.<String>call(jedis -> jedis.get(names.names().lock()))).as("stored on %s", owner)
                        .isEqualTo(lease.ownerToken());
                assertThat(service.tryAcquire(key, LONG_TTL)).as("held: %s", key).isEmpty();
                assertThat(lease.extend(LONG_TTL)).isTrue();
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
                Lease again = service.tryAcquire(key, LONG_TTL).orElseThrow();
                assertThat(again.fencingToken()).isGreaterThan(lease.fencingToken());
                assertThat(again.release()).isEqualTo(ReleaseResult.RELEASED);
                assertThat(again.release()).isEqualTo(ReleaseResult.EXPIRED);
            }
        }
    }

    @Test
    @DisplayName("on every master, three waiters of three services are granted in the order they queued, by the release")
    void waitersAreGrantedInArrivalOrderOnEveryMaster() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<FifoLockService> services = new ArrayList<>();
        try {
            FifoLockService holder = FifoLockService.cluster(settings);
            services.add(holder);
            for (int i = 0; i < 3; i++) {
                services.add(FifoLockService.cluster(settings));
            }
            for (String key : keysOnEveryMaster()) {
                FifoKeys names = FifoKeys.of(key);
                RedisNode owner = ClusterKeys.masterOf(cluster, names.names().lock());
                Lease held = holder.tryAcquire(key, LONG_TTL).orElseThrow();
                List<Integer> order = Collections.synchronizedList(new ArrayList<>());
                List<Future<ReleaseResult>> waiting = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int index = i;
                    FifoLockService waiter = services.get(i + 1);
                    waiting.add(pool.submit(() -> {
                        Lease lease = waiter.acquire(key, LONG_TTL, WAIT).orElseThrow();
                        order.add(index);
                        return lease.release();
                    }));
                    Await.until(Duration.ofSeconds(10), () -> owner.<Long>call(jedis -> jedis.llen(names.queue())) == index + 1,
                            "waiter " + index + " queued on " + owner);
                }
                // The holder's ttl is 30 s and each wait 20 s: every lease below came from a release's grant.
                assertThat(held.release()).isEqualTo(ReleaseResult.RELEASED);
                for (Future<ReleaseResult> future : waiting) {
                    assertThat(future.get(15, TimeUnit.SECONDS)).isEqualTo(ReleaseResult.RELEASED);
                }
                assertThat(order).as("grant order on %s", owner).containsExactly(0, 1, 2);
                assertThat(owner.<Boolean>call((Jedis jedis) -> jedis.exists(names.queue()))).as("queue left behind").isFalse();
            }
        } finally {
            pool.shutdownNow();
            services.forEach(LockService::close);
        }
    }

    @Test
    @DisplayName("contention: 6 threads over 2 services, 300 sections on each of 3 keys, never two inside, no stale write")
    void mutualExclusionAndFencing() throws Exception {
        try (FifoLockService first = FifoLockService.cluster(settings);
             FifoLockService second = FifoLockService.cluster(settings)) {
            ClusterKeys.contend(List.of(first, second), keysOnEveryMaster(), 300, 6, LONG_TTL);
        }
    }

    @Test
    @DisplayName("replica acknowledgement on a cluster is refused by name")
    void replicaAcknowledgementIsRefusedOnACluster() {
        assertThatThrownBy(() -> FifoLockService.cluster(settings.withReplicaAck(1, Duration.ofMillis(100))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fifo cluster");
    }

    /** One lock name per master, whose Redis key falls in that master's slots. */
    private List<String> keysOnEveryMaster() {
        return ClusterKeys.onEveryMaster(cluster, "fifo-cluster-lock", key -> FifoKeys.of(key).names().lock());
    }
}
