package io.lockbench.spring;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Spring Integration's {@code RedisLockRegistry}, both lock types, on a 3-master Redis Cluster through a
 * {@code redis-cluster://} node: Spring Data Redis's cluster connection factory, each lock on the master of
 * its key's slot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpringClusterIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    private static final int MASTERS = 3;

    private RedisCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = RedisCluster.start(MASTERS);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SpringLockType.class)
    @DisplayName("created by name from one seed: acquire, held, extend, release on every master, the key on its slot's master")
    void acquireAndReleaseOnEveryMaster(SpringLockType type) {
        URI oneSeed = ClusterAddress.of(List.of(cluster.uris().get(1))).toUri();
        try (LockService service = LockServices.create(type.implementation(), LockSettings.of(oneSeed))) {
            assertThat(service.capabilities()).contains(Capability.CLUSTER);
            for (String key : keysOnEveryMaster()) {
                String redisKey = SpringRegistry.lockKey(key);
                Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
                RedisNode owner = ClusterKeys.masterOf(cluster, redisKey);
                assertThat(owner.<Boolean>call(jedis -> jedis.exists(redisKey))).as("stored on %s", owner).isTrue();
                assertThat(lease.extend(LONG_TTL)).isTrue();
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
                assertThat(owner.<Boolean>call(jedis -> jedis.exists(redisKey))).as("released on %s", owner).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SpringLockType.class)
    @DisplayName("a waiter in another service gets the lock its holder releases, on every master, long before the ttl")
    void waiterGetsTheReleasedLockOnEveryMaster(SpringLockType type) throws Exception {
        LockSettings settings = LockSettings.of(ClusterAddress.of(cluster.uris()).toUri());
        // The registry's locks belong to the thread that took them: each side keeps one thread.
        ExecutorService holding = Executors.newSingleThreadExecutor();
        ExecutorService waiting = Executors.newSingleThreadExecutor();
        try (LockService holder = new SpringLockService(type, settings);
             LockService waiter = new SpringLockService(type, settings)) {
            for (String key : keysOnEveryMaster()) {
                Lease lease = holding.submit(() -> holder.tryAcquire(key, LONG_TTL).orElseThrow())
                        .get(10, TimeUnit.SECONDS);
                AtomicReference<Thread> waiterThread = new AtomicReference<>();
                Future<Optional<Lease>> next = waiting.submit(() -> {
                    waiterThread.set(Thread.currentThread());
                    Optional<Lease> got = waiter.acquire(key, LONG_TTL, Duration.ofSeconds(20));
                    got.ifPresent(Lease::release);
                    return got;
                });
                // The waiter has asked and is blocked in its wait, not merely submitted.
                Await.until(Duration.ofSeconds(10), () -> waiterThread.get() != null
                        && EnumSet.of(Thread.State.WAITING, Thread.State.TIMED_WAITING).contains(waiterThread.get().getState()),
                        "the waiter blocked on " + key);
                assertThat(next).isNotDone();
                assertThat(holding.submit(lease::release).get(10, TimeUnit.SECONDS)).isEqualTo(ReleaseResult.RELEASED);
                // The holder's ttl is 30 s and the wait 20 s: the lease came from the release.
                assertThat(next.get(15, TimeUnit.SECONDS)).isPresent();
            }
        } finally {
            holding.shutdownNow();
            waiting.shutdownNow();
        }
    }

    /** One lock name per master, whose Redis key falls in that master's slots. */
    private List<String> keysOnEveryMaster() {
        return ClusterKeys.onEveryMaster(cluster, "spring-cluster-lock", SpringRegistry::lockKey);
    }
}
