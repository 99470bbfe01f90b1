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
import io.lockbench.safety.FencedResource;
import io.lockbench.safety.SafetyChecker;
import io.lockbench.testkit.Await;
import io.lockbench.testkit.PubSub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link JedisLockService#cluster} on a real 3-master Redis Cluster: every lock's names share a slot, the
 * scripts reach whichever master owns it, waiters are woken by releases published on other masters, and
 * fencing and mutual exclusion hold under contention.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JedisClusterIT {

    private static final int SLOTS = 16_384;
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

    @Test
    void aReleaseOnAnotherMasterWakesTheWaiter() throws Exception {
        JedisLockService holder = service();
        JedisLockService waiter = service();
        for (int round = 0; round < 3; round++) {
            // The key lives on the last master; the waiter's subscriber listens on another one.
            String key = keyOn(2, "handoff");
            String channel = LockKeys.of(key).channel();
            Lease lease = holder.tryAcquire(key, TTL).orElseThrow();
            long before = waiter.roundTrips();
            FutureTask<Optional<Lease>> waiting = new FutureTask<>(() -> waiter.acquire(key, TTL, Duration.ofSeconds(20)));
            Thread thread = new Thread(waiting, "cluster-it-waiter");
            thread.start();
            try {
                Await.until(Duration.ofSeconds(10), () -> waiter.roundTrips() > before
                        && subscribedMaster() >= 0 && parked(thread), "the waiter to be subscribed and parked");
                int listening = subscribedMaster();
                assertThat(listening).as("the master the waiter listens on").isNotEqualTo(2);
                assertThat(waiting).as("waiting while held").isNotDone();
                // What the waiter's pattern subscription receives: a listener of our own beside it on that master.
                RedisNode master = cluster.masters().get(listening);
                CompletableFuture<String> heard = PubSub.listen(master, channel, lease.ownerToken());
                Await.until(Duration.ofSeconds(10), () -> PubSub.subscribers(master, channel) > 0, "the listener to subscribe");
                lease.release();
                assertThat(heard.get(10, TimeUnit.SECONDS)).as("the release published on the key's master, "
                        + "heard on master %d", listening).isEqualTo(lease.ownerToken());
                // The holder's ttl is 30 s: the lease came from the release, not the expiry.
                waiting.get(10, TimeUnit.SECONDS).orElseThrow().release();
            } finally {
                thread.interrupt();
            }
        }
    }

    @Test
    void contentionKeepsMutualExclusionAndFencing() throws Exception {
        List<JedisLockService> two = List.of(service(), service());
        String key = keyOn(1, "contention");
        SafetyChecker checker = new SafetyChecker();
        FencedResource resource = FencedResource.fenced();
        AtomicInteger started = new AtomicInteger();
        int sections = 600;
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int index = i;
                done.add(CompletableFuture.runAsync(() -> {
                    JedisLockService service = two.get(index % 2);
                    try {
                        while (started.getAndIncrement() < sections) {
                            Lease lease = service.acquire(key, TTL, Duration.ofSeconds(60)).orElseThrow();
                            try (SafetyChecker.Section section = checker.enter("t" + index, lease.fencingToken())) {
                                section.write(resource);
                            }
                            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
        SafetyChecker.Report report = checker.report(resource);
        assertThat(report.sections()).isEqualTo(sections);
        assertThat(report.overlaps()).as("overlaps: %s", report.examples()).isZero();
        assertThat(resource.rejected()).as("writes refused for a stale fencing token").isZero();
        assertThat(resource.accepted()).isEqualTo(sections);
    }

    /**
     * @return the index of the master where a service's pattern subscription to every release channel is, or
     *     -1 (only the waiter waits, so it is the waiter's)
     */
    private int subscribedMaster() {
        for (int i = 0; i < cluster.masters().size(); i++) {
            if (cluster.masters().get(i).<Long>call(jedis -> jedis.pubsubNumPat()) > 0) {
                return i;
            }
        }
        return -1;
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
        int masters = cluster.masters().size();
        while (true) {
            String key = "cluster-it:" + name + ":" + names.incrementAndGet();
            int slot = JedisClusterCRC16.getSlot(LockKeys.of(key).lock());
            if (slot >= master * SLOTS / masters && slot < (master + 1) * SLOTS / masters) {
                return key;
            }
        }
    }
}
