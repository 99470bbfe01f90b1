package io.lockbench.lettuce;

import java.net.URI;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockService;
import io.lockbench.api.Capability;
import io.lockbench.api.ClusterAddress;
import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.AsyncLease;
import io.lockbench.api.Lease;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LockKeys;
import io.lockbench.fixture.RedisCluster;
import io.lockbench.fixture.RedisNode;
import io.lockbench.testkit.Await;
import io.lockbench.testkit.ClusterKeys;
import io.lockbench.testkit.PubSub;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LettuceLockService#cluster} on a 3-master Redis Cluster: the same lock logic, with each lock's keys
 * on one slot and release messages crossing the cluster bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LettuceClusterIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    private static final int MASTERS = 3;

    private RedisCluster cluster;
    private LockSettings settings;

    @BeforeAll
    void startCluster() {
        cluster = RedisCluster.start(MASTERS);
        settings = LockSettings.of(cluster.uris());
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("acquire, held, release, acquire again on keys spread over all three masters")
    void acquireAndReleaseOnEveryMaster() {
        try (LettuceLockService service = LettuceLockService.cluster(settings)) {
            List<String> spread = keysOnEveryMaster();
            for (String key : spread) {
                Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
                assertThat(lease.fencingToken()).isPositive();
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
    @DisplayName("a waiter listens on the master that holds the key and is woken by the release message")
    void waiterWokenAcrossTheCluster() throws Exception {
        try (LettuceLockService holder = LettuceLockService.cluster(settings);
             LettuceLockService waiter = LettuceLockService.cluster(settings)) {
            List<String> spread = keysOnEveryMaster();
            for (int i = 0; i < 2 * spread.size(); i++) {
                String key = spread.get(i % spread.size());
                String channel = LockKeys.of(key).channel();
                Lease lease = holder.tryAcquire(key, LONG_TTL).orElseThrow();
                CompletableFuture<Optional<AsyncLease>> waiting =
                        waiter.acquireAsync(key, LONG_TTL, Duration.ofSeconds(20));
                Await.until(Duration.ofSeconds(10), () -> subscribedMaster(channel) != null,
                        "the waiter's subscription to " + channel);
                assertThat(waiting).isNotDone();
                // What the waiter's subscription receives: a listener of our own beside it on the same master.
                RedisNode master = subscribedMaster(channel);
                // The master that runs the release, so the message reaches the waiter without the cluster bus.
                assertThat(master).as("where the waiter listens for %s", key).isEqualTo(ClusterKeys.masterOf(cluster, LockKeys.of(key).lock()));
                CompletableFuture<String> heard = PubSub.listen(master, channel, lease.ownerToken());
                Await.until(Duration.ofSeconds(10), () -> PubSub.subscribers(master, channel) > 1, "the listener to subscribe");
                lease.release();
                assertThat(heard.get(10, TimeUnit.SECONDS)).as("the release of %s, heard where the waiter listens", key)
                        .isEqualTo(lease.ownerToken());
                // The holder's ttl is 30 s: the lease came from the release, not the expiry.
                Lease next = waiting.get(10, TimeUnit.SECONDS).orElseThrow();
                next.release();
            }
        }
    }

    @Test
    @DisplayName("contention: 8 threads over 2 services, 600 sections on each of 3 keys, never two inside, no stale write")
    void mutualExclusionAndFencing() throws Exception {
        try (LettuceLockService first = LettuceLockService.cluster(settings);
             LettuceLockService second = LettuceLockService.cluster(settings)) {
            ClusterKeys.contend(List.of(first, second), keysOnEveryMaster(), 600, 8, LONG_TTL);
        }
    }

    @Test
    @DisplayName("LockServices.create(\"lettuce\", redis-cluster://one-seed) locks on every master")
    void createdByNameFromAClusterUriWithOneSeed() {
        URI oneSeed = ClusterAddress.of(List.of(cluster.uris().get(2))).toUri();
        try (LockService service = LockServices.create("lettuce", LockSettings.of(oneSeed))) {
            assertThat(service.capabilities()).contains(Capability.CLUSTER);
            for (String key : keysOnEveryMaster()) {
                Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
                RedisNode owner = ClusterKeys.masterOf(cluster, LockKeys.of(key).lock());
                assertThat(owner.<String>call(jedis -> jedis.get(LockKeys.of(key).lock()))).as("stored on %s", owner)
                        .isEqualTo(lease.ownerToken());
                assertThat(service.tryAcquire(key, LONG_TTL)).as("held: %s", key).isEmpty();
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
            }
        }
    }

    /** @return the master with a subscriber on {@code channel}, or null */
    private RedisNode subscribedMaster(String channel) {
        return cluster.masters().stream().filter(node -> PubSub.subscribers(node, channel) > 0).findFirst().orElse(null);
    }

    /** One key per master: their hash tags map to slots in each master's third of the slot range. */
    private List<String> keysOnEveryMaster() {
        return ClusterKeys.onEveryMaster(cluster, "cluster-lock", key -> LockKeys.of(key).lock());
    }
}
