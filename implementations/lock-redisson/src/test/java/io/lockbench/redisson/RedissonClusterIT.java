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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link RedissonLockService} on a 3-master Redis Cluster through a {@code redis-cluster://} node: Redisson's
 * own cluster mode, each lock's hash and fencing counter on one slot, release messages crossing the cluster bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedissonClusterIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    private static final int MASTERS = 3;
    private static final int SLOTS = 16_384;

    private RedisCluster cluster;
    private LockSettings settings;
    private final AtomicInteger keys = new AtomicInteger();

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
                RedisNode owner = masterOf(key);
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
                Await.until(Duration.ofSeconds(10), () -> subscribers(masterOf(key), channel) == 1,
                        "the waiter's subscription on " + masterOf(key));
                assertThat(cluster.masters()).filteredOn(node -> !node.equals(masterOf(key)))
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
    @DisplayName("contention: 6 threads over 2 services, 300 sections on each of 3 keys, never two inside, tokens rising")
    void mutualExclusionAndFencing() throws Exception {
        List<String> spread = keysOnEveryMaster();
        int perKey = 300;
        try (LockService first = new RedissonLockService(settings);
             LockService second = new RedissonLockService(settings)) {
            List<AtomicInteger> inside = List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
            List<AtomicLong> lastToken = List.of(new AtomicLong(), new AtomicLong(), new AtomicLong());
            List<AtomicInteger> done = List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger decreasing = new AtomicInteger();
            AtomicInteger started = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    LockService service = t % 2 == 0 ? first : second;
                    futures.add(pool.submit(() -> {
                        int n;
                        while ((n = started.getAndIncrement()) < perKey * spread.size()) {
                            int k = n % spread.size();
                            Lease lease = service.acquire(spread.get(k), LONG_TTL, Duration.ofSeconds(60)).orElseThrow();
                            if (inside.get(k).incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            if (lastToken.get(k).getAndSet(lease.fencingToken()) >= lease.fencingToken()) {
                                decreasing.incrementAndGet();
                            }
                            done.get(k).incrementAndGet();
                            inside.get(k).decrementAndGet();
                            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(100, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(overlaps).as("sections that began while another held the key").hasValue(0);
            assertThat(decreasing).as("fencing tokens not above the previous grant's").hasValue(0);
            assertThat(done).allSatisfy(count -> assertThat(count).hasValue(perKey));
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

    private RedisNode masterOf(String key) {
        return cluster.masters().get(JedisClusterCRC16.getSlot(key) * MASTERS / SLOTS);
    }

    /** One key per master: Redisson keeps a lock under its own name, whose slot falls in each master's third. */
    private List<String> keysOnEveryMaster() {
        List<String> found = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        while (covered.size() < MASTERS) {
            String key = "redisson-cluster-lock-" + keys.incrementAndGet();
            if (covered.add(JedisClusterCRC16.getSlot(key) * MASTERS / SLOTS)) {
                assertThat(JedisClusterCRC16.getSlot("redisson_lock_token:{" + key + "}")).as("fencing counter's slot")
                        .isEqualTo(JedisClusterCRC16.getSlot(key));
                found.add(key);
            }
        }
        return found;
    }
}
