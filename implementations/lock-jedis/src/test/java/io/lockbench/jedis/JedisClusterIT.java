package io.lockbench.jedis;

import java.net.URI;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockService;
import io.lockbench.api.Capability;
import io.lockbench.api.ClusterAddress;
import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LockKeys;
import io.lockbench.fixture.RedisCluster;
import io.lockbench.fixture.RedisNode;
import io.lockbench.testkit.Await;
import io.lockbench.testkit.ClusterKeys;
import io.lockbench.testkit.PubSub;
import redis.clients.jedis.util.JedisClusterCRC16;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link JedisLockService#cluster} on a real 3-master Redis Cluster: every lock's names share a slot, the
 * scripts reach whichever master owns it, waiters listen on every master and are woken by releases, and
 * fencing and mutual exclusion hold under contention.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JedisClusterIT {

    private static final Duration TTL = Duration.ofSeconds(30);

    private RedisCluster cluster;
    private final List<JedisLockService> services = new ArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    void start() {
        cluster = RedisCluster.start(3);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeServices() {
        services.forEach(JedisLockService::close);
        services.clear();
    }

    @Test
    void acquireReleaseAndFencingOnEveryMaster() {
        JedisLockService one = service();
        JedisLockService two = service();
        for (int master = 0; master < 3; master++) {
            for (String key : List.of(keyOn(master, "plain"), keyOn(master, "br{ace}"))) {
                Lease lease = one.tryAcquire(key, TTL).orElseThrow();
                assertThat(lease.fencingToken()).isPositive();
                int owner = master;
                String stored = cluster.masters().get(owner).call(jedis -> jedis.get(LockKeys.of(key).lock()));
                assertThat(stored).as("the lock lives on master %d", owner).isEqualTo(lease.ownerToken());
                assertThat(two.tryAcquire(key, TTL)).as("held on master %d", master).isEmpty();
                assertThat(lease.extend(TTL)).isTrue();
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
                Lease next = two.tryAcquire(key, TTL).orElseThrow();
                assertThat(next.fencingToken()).as("fencing token grows").isGreaterThan(lease.fencingToken());
                assertThat(lease.release()).as("stale release").isEqualTo(ReleaseResult.NOT_OWNER);
                next.close();
                assertThat(lease.release()).isEqualTo(ReleaseResult.EXPIRED);
            }
        }
    }

    /** The resolver's compare-and-delete runs on a connection to the key's own master, on every master. */
    @Test
    void theResolverDeletesATokenOnEveryMaster() throws Exception {
        JedisLockService service = service();
        for (int master = 0; master < 3; master++) {
            String key = keyOn(master, "resolved");
            String lockKey = LockKeys.of(key).lock();
            RedisNode owner = cluster.masters().get(master);
            owner.call(jedis -> jedis.psetex(lockKey, TTL.toMillis(), "token-of-a-lost-reply"));
            service.resolve("acquire of " + lockKey, LockKeys.of(key), "token-of-a-lost-reply")
                    .get(30, TimeUnit.SECONDS);
            assertThat(owner.<Boolean>call(jedis -> jedis.exists(lockKey))).as("on master %d", master).isFalse();
        }
        assertThat(service.unsettledRequests()).isZero();
    }

    /**
     * The resolver's call goes to the master the client's slot map names; when the slot has moved since, that
     * master answers MOVED and the call is sent again through the client, which follows it.
     */
    @Test
    void theResolverFollowsASlotThatMoved() throws Exception {
        JedisLockService service = service();
        String key = keyOn(0, "moved");
        String lockKey = LockKeys.of(key).lock();
        int slot = JedisClusterCRC16.getSlot(lockKey);
        RedisNode from = cluster.masters().get(0);
        RedisNode to = cluster.masters().get(1);
        String fromId = from.call(jedis -> jedis.clusterMyId());
        String toId = to.call(jedis -> jedis.clusterMyId());
        try {
            // The slot holds no key: every master can be told at once that it is served elsewhere now.
            cluster.masters().forEach(master -> master.call(jedis -> jedis.clusterSetSlotNode(slot, toId)));
            to.call(jedis -> jedis.psetex(lockKey, TTL.toMillis(), "token-of-a-lost-reply"));
            service.resolve("acquire of " + lockKey, LockKeys.of(key), "token-of-a-lost-reply")
                    .get(30, TimeUnit.SECONDS);
            assertThat(to.<Boolean>call(jedis -> jedis.exists(lockKey))).as("deleted where the slot is now").isFalse();
        } finally {
            to.call(jedis -> jedis.del(lockKey));
            cluster.masters().forEach(master -> master.call(jedis -> jedis.clusterSetSlotNode(slot, fromId)));
        }
    }

    @Test
    void theWaiterListensOnEveryMasterAndTheReleaseWakesIt() throws Exception {
        JedisLockService holder = service();
        JedisLockService waiter = service();
        for (int round = 0; round < 3; round++) {
            String key = keyOn(round, "handoff");
            String channel = LockKeys.of(key).channel();
            Lease lease = holder.tryAcquire(key, TTL).orElseThrow();
            long before = waiter.roundTrips();
            FutureTask<Optional<Lease>> waiting = new FutureTask<>(() -> waiter.acquire(key, TTL, Duration.ofSeconds(20)));
            Thread thread = new Thread(waiting, "cluster-it-waiter");
            thread.start();
            try {
                // The waiter's service subscribes on every master (the holder's never waited, so it has none):
                // a release is heard on the master that ran it, without the cluster bus (EveryMasterSubscriber).
                Await.until(Duration.ofSeconds(10), () -> waiter.roundTrips() > before && parked(thread)
                        && cluster.masters().stream().allMatch(node -> node.<Long>call(jedis -> jedis.pubsubNumPat()) == 1),
                        "the waiter parked and subscribed on every master");
                assertThat(waiting).as("waiting while held").isNotDone();
                RedisNode master = cluster.masters().get(round);
                CompletableFuture<String> heard = PubSub.listen(master, channel, lease.ownerToken());
                Await.until(Duration.ofSeconds(10), () -> PubSub.subscribers(master, channel) > 0, "the listener to subscribe");
                lease.release();
                assertThat(heard.get(10, TimeUnit.SECONDS)).as("the release published on the key's master %d", round)
                        .isEqualTo(lease.ownerToken());
                // The holder's ttl is 30 s: the lease came from the release, not the expiry.
                waiting.get(10, TimeUnit.SECONDS).orElseThrow().release();
            } finally {
                thread.interrupt();
            }
        }
    }

    @Test
    void contentionKeepsMutualExclusionAndFencing() throws Exception {
        ClusterKeys.contend(List.of(service(), service()), List.of(keyOn(1, "contention")), 600, 6, TTL);
    }

    @Test
    void createdByNameFromAClusterUriWithOneSeedLocksOnEveryMaster() {
        URI oneSeed = ClusterAddress.of(List.of(cluster.uris().get(1))).toUri();
        try (LockService service = LockServices.create("jedis", LockSettings.of(oneSeed))) {
            assertThat(service.capabilities()).contains(Capability.CLUSTER);
            for (int master = 0; master < 3; master++) {
                String key = keyOn(master, "by-name");
                Lease lease = service.tryAcquire(key, TTL).orElseThrow();
                int owner = master;
                assertThat(cluster.masters().get(owner).<String>call(jedis -> jedis.get(LockKeys.of(key).lock())))
                        .as("the lock lives on master %d", owner).isEqualTo(lease.ownerToken());
                assertThat(service.tryAcquire(key, TTL)).as("held on master %d", master).isEmpty();
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
            }
        }
    }

    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private JedisLockService service() {
        JedisLockService service = JedisLockService.cluster(LockSettings.of(cluster.uris()));
        services.add(service);
        return service;
    }

    /** A fresh key whose lock names hash to a slot of master {@code master} (masters own equal ranges). */
    private String keyOn(int master, String name) {
        return ClusterKeys.onEveryMaster(cluster, "cluster-it:" + name, key -> LockKeys.of(key).lock()).get(master);
    }
}
