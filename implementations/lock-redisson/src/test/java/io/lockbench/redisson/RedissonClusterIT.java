package io.lockbench.redisson;

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
import java.util.List;
import java.util.Optional;
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

/**
 * {@link RedissonLockService} on a 3-master Redis Cluster through a {@code redis-cluster://} node: Redisson's
 * own cluster mode, each lock's hash and fencing counter on one slot, release messages crossing the cluster bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedissonClusterIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);
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
    @DisplayName("LockServices.create(\"redisson\", redis-cluster://one-seed): acquire, held, extend, release on every master, the hash on its slot's master")
    void acquireAndReleaseOnEveryMasterFromOneSeed() {
        URI oneSeed = ClusterAddress.of(List.of(cluster.uris().get(2))).toUri();
        try (LockService service = LockServices.create("redisson", LockSettings.of(oneSeed))) {
            assertThat(service.capabilities()).contains(Capability.CLUSTER);
            for (String key : keysOnEveryMaster()) {
                Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
                assertThat(lease.fencingToken()).isPositive();
                RedisNode owner = ClusterKeys.masterOf(cluster, key);
                assertThat(owner.<Boolean>call(jedis -> jedis.exists(key))).as("the lock's hash on %s", owner).isTrue();
                assertThat(service.tryAcquire(key, LONG_TTL)).as("held: %s", key).isEmpty();
                assertThat(lease.extend(LONG_TTL)).isTrue();
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
                assertThat(owner.<Boolean>call(jedis -> jedis.exists(key))).as("released on %s", owner).isFalse();
                Lease again = service.tryAcquire(key, LONG_TTL).orElseThrow();
                assertThat(again.fencingToken()).isGreaterThan(lease.fencingToken());
                assertThat(again.release()).isEqualTo(ReleaseResult.RELEASED);
                assertThat(again.release()).isEqualTo(ReleaseResult.EXPIRED);
            }
        }
    }

    @Test
    @DisplayName("a waiter in another service listens on the key's master and gets the lock its holder releases, on every master")
    void waiterGetsTheReleasedLockOnEveryMaster() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (LockService holder = new RedissonLockService(settings);
             LockService waiter = new RedissonLockService(settings)) {
            for (String key : keysOnEveryMaster()) {
                Lease lease = holder.tryAcquire(key, LONG_TTL).orElseThrow();
                Future<Optional<Lease>> waiting = pool.submit(() -> waiter.acquire(key, LONG_TTL, Duration.ofSeconds(20)));
                // Redisson subscribes on the master that serves the channel's slot, the key's own: the release
                // message reaches the waiter without crossing the cluster bus.
                String channel = "redisson_lock__channel:{" + key + "}";
                Await.until(Duration.ofSeconds(10), () -> subscribers(ClusterKeys.masterOf(cluster, key), channel) == 1,
                        "the waiter's subscription on " + ClusterKeys.masterOf(cluster, key));
                assertThat(cluster.masters()).filteredOn(node -> !node.equals(ClusterKeys.masterOf(cluster, key)))
                        .allSatisfy(node -> assertThat(subscribers(node, channel)).as("on %s", node).isZero());
                assertThat(waiting).isNotDone();
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
                // The holder's ttl is 30 s and the wait 20 s: the lease came from the release.
                Lease next = waiting.get(15, TimeUnit.SECONDS).orElseThrow();
                assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
                assertThat(next.release()).isEqualTo(ReleaseResult.RELEASED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("contention: 6 threads over 2 services, 300 sections on each of 3 keys, never two inside, no stale write")
    void mutualExclusionAndFencing() throws Exception {
        try (LockService first = new RedissonLockService(settings);
             LockService second = new RedissonLockService(settings)) {
            ClusterKeys.contend(List.of(first, second),
                    keysOnEveryMaster(), 300, 6, LONG_TTL);
        }
    }

    @Test
    @DisplayName("replica acknowledgement on a cluster is refused by name: WAIT would not reach the node that wrote the lock")
    void replicaAcknowledgementIsRefusedOnACluster() {
        assertThatThrownBy(() -> new RedissonLockService(settings.withReplicaAck(1, Duration.ofMillis(100))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redisson cluster")
                .hasMessageContaining("WAIT would not reach the node that wrote the lock");
    }

    private static long subscribers(RedisNode node, String channel) {
        return node.<Long>call(jedis -> jedis.pubsubNumSub(channel).getOrDefault(channel, 0L));
    }

    /** One lock name per master, whose Redis key falls in that master's slots. */
    private List<String> keysOnEveryMaster() {
        return ClusterKeys.onEveryMaster(cluster, "redisson-cluster-lock", key -> key);
    }
}
