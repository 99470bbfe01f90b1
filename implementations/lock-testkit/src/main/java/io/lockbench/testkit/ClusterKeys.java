package io.lockbench.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.ReleaseResult;
import io.lockbench.fixture.RedisCluster;
import io.lockbench.fixture.RedisNode;
import io.lockbench.safety.FencedResource;
import io.lockbench.safety.SafetyChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Lock names and contention for the cluster tests of every implementation, on a fixture {@link RedisCluster}:
 * its masters serve the slots in equal ranges, in the order of {@link RedisCluster#masters()}.
 */
public final class ClusterKeys {

    /** Redis Cluster's slot count. */
    public static final int SLOTS = 16_384;

    private static final AtomicInteger NAMES = new AtomicInteger();

    private ClusterKeys() {
    }

    /**
     * @param cluster the cluster
     * @param redisKey a Redis key
     * @return the master that serves the key's slot
     */
    public static RedisNode masterOf(RedisCluster cluster, String redisKey) {
        List<RedisNode> masters = cluster.masters();
        return masters.get(JedisClusterCRC16.getSlot(redisKey) * masters.size() / SLOTS);
    }

    /**
     * One lock name per master, in the masters' order: names {@code prefix-n} whose Redis key falls in that
     * master's slots.
     *
     * @param cluster the cluster
     * @param prefix the names' prefix
     * @param redisKey the implementation's Redis key for a lock name (its provider's {@code lockKey})
     * @return the names
     */
    public static List<String> onEveryMaster(RedisCluster cluster, String prefix, UnaryOperator<String> redisKey) {
        List<RedisNode> masters = cluster.masters();
        String[] found = new String[masters.size()];
        Set<RedisNode> covered = new HashSet<>();
        while (covered.size() < masters.size()) {
            String name = prefix + "-" + NAMES.incrementAndGet();
            RedisNode master = masterOf(cluster, redisKey.apply(name));
            if (covered.add(master)) {
                found[masters.indexOf(master)] = name;
            }
        }
        return List.of(found);
    }

    /**
     * Runs {@code perKey} critical sections on each key, from {@code threads} threads spread over the
     * services, each section writing its fencing token to a fenced resource of its key, and asserts that no
     * two sections on a key overlapped, no stale token was written and every section ran.
     *
     * @param services the services the threads take turns on
     * @param keys the lock names
     * @param perKey sections per key
     * @param threads how many threads
     * @param ttl each lease's ttl, far longer than a section
     * @throws Exception when a thread failed or took longer than 100 s
     */
    public static void contend(List<? extends LockService> services, List<String> keys, int perKey, int threads,
                               Duration ttl) throws Exception {
        List<SafetyChecker> checkers = new ArrayList<>();
        List<FencedResource> resources = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            checkers.add(new SafetyChecker());
            resources.add(FencedResource.fenced());
        }
        AtomicInteger started = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                LockService service = services.get(t % services.size());
                futures.add(pool.submit(() -> {
                    int n;
                    while ((n = started.getAndIncrement()) < perKey * keys.size()) {
                        int k = n % keys.size();
                        Lease lease = service.acquire(keys.get(k), ttl, Duration.ofSeconds(60)).orElseThrow();
                        try (SafetyChecker.Section section = checkers.get(k).enter("t" + thread, lease.fencingToken())) {
                            section.write(resources.get(k));
                        }
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
        for (int k = 0; k < keys.size(); k++) {
            SafetyChecker.Report report = checkers.get(k).report(resources.get(k));
            assertThat(report.overlaps()).as("overlaps on %s: %s", keys.get(k), report.examples()).isZero();
            assertThat(report.sections()).as("sections on %s", keys.get(k)).isEqualTo(perKey);
            assertThat(resources.get(k).rejected()).as("stale fencing tokens on %s", keys.get(k)).isZero();
        }
    }
}
