package io.lockbench.scenario;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;
import io.lockbench.fixture.NodeProxy;
import io.lockbench.fixture.RedisNodes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import redis.clients.jedis.Jedis;

/**
 * Story 2, "voucher claimed by two users": consumers on two pods hand out vouchers from one stock. One pod is
 * under load: its every round trip to Redis is slowed (latency injected on its connections through the proxy).
 * Three ways to use the same lock:
 * <ul>
 *   <li>{@code lock-after-read}, the story's code: read the first unclaimed voucher, then lock that voucher,
 *       then claim it. Two consumers read the same voucher; the second takes the lock after the first released it
 *       and claims the voucher again.</li>
 *   <li>{@code delayed-release}, the original author's fix: the same, holding the lock a little longer before
 *       releasing it (the critical-section time, measured on the unloaded pod). Under load the gap between the
 *       read and the lock is longer than the delay, and vouchers are still claimed twice.</li>
 *   <li>{@code lock-around-rmw}, the fix: lock the stock, then read, claim and release: never twice.</li>
 * </ul>
 * The failure is in how the lock is used, not in the lock: every implementation shows it in the first two ways
 * and none in the third.
 */
public final class VoucherScenario implements Scenario {

    /**
     * How the run is sized.
     *
     * @param vouchers vouchers in stock
     * @param consumersPerPod consumer threads on each of the two pods
     * @param loadedPodLatency the latency added each way on the loaded pod's connections
     */
    public record Timing(int vouchers, int consumersPerPod, Duration loadedPodLatency) {

        /** @return 200 vouchers, two consumers per pod, 5 ms each way on the loaded pod */
        public static Timing story() {
            return new Timing(200, 2, Duration.ofMillis(5));
        }
    }

    /** How the consumers use the lock. */
    enum Pattern {
        LOCK_AFTER_READ("lock-after-read", true),
        DELAYED_RELEASE("delayed-release", true),
        LOCK_AROUND_RMW("lock-around-rmw", false);

        final String label;
        final boolean broken;

        Pattern(String label, boolean broken) {
            this.label = label;
            this.broken = broken;
        }
    }

    static final String ID = "voucher";
    private static final Duration LOCK_TTL = Duration.ofSeconds(5);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(1);
    private static final int CALIBRATION_CYCLES = 21;

    private final Timing timing;

    /**
     * @param timing the stock size, consumers and load
     */
    public VoucherScenario(Timing timing) {
        this.timing = timing;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "voucher claimed by two users: " + timing.vouchers() + " vouchers, two pods of "
                + timing.consumersPerPod() + " consumers, one pod's round trips slowed by "
                + Durations.label(timing.loadedPodLatency().multipliedBy(2));
    }

    @Override
    public List<String> defaultImplementations() {
        return List.of("jedis", "lettuce", "redisson");
    }

    /** One implementation after the other: the story is about timing under load, which parallel runs would blur. */
    @Override
    public List<ScenarioResult> run(List<String> implementations, ScenarioEnvironment environment)
            throws InterruptedException {
        List<ScenarioResult> results = new ArrayList<>();
        for (String impl : implementations) {
            results.addAll(runOne(impl, environment));
        }
        return results;
    }

    private List<ScenarioResult> runOne(String impl, ScenarioEnvironment environment) throws InterruptedException {
        try (RedisNodes redis = environment.startRedis()) {
            NodeProxy loaded = redis.node(0).proxy();
            URI direct = redis.node(0).uri();
            try (LockService fastPod = LockServices.create(impl, redis.settings());
                 LockService loadedPod = LockServices.create(impl, LockSettings.of(loaded.uri()));
                 Jedis admin = link(direct)) {
                Duration delay = criticalSectionTime(fastPod, admin, redis.keyPrefix());
                loaded.addLatency(timing.loadedPodLatency());
                List<ScenarioResult> results = new ArrayList<>();
                for (Pattern pattern : Pattern.values()) {
                    environment.progress(ID, impl, pattern.label + (pattern == Pattern.DELAYED_RELEASE
                            ? " (release delayed " + Durations.label(delay) + ")" : ""));
                    VoucherStock stock = new VoucherStock(redis.keyPrefix() + pattern.label + ":");
                    stock.fill(admin, timing.vouchers());
                    List<Consumer> consumers = new ArrayList<>();
                    for (int i = 0; i < timing.consumersPerPod(); i++) {
                        consumers.add(new Consumer(fastPod, direct, stock, pattern, delay,
                                redis.keyPrefix() + pattern.label + ":"));
                        consumers.add(new Consumer(loadedPod, loaded.uri(), stock, pattern, delay,
                                redis.keyPrefix() + pattern.label + ":"));
                    }
                    runAll(consumers);
                    results.add(result(impl, pattern, stock.claimed(admin), stock.claimedTwice(admin), delay));
                    stock.delete(admin);
                }
                return results;
            }
        }
    }

    /**
     * The author's delay: the median time of a lock, claim and release on the unloaded pod, measured after as
     * many warm-up cycles (the first calls of a client load its classes and scripts).
     */
    private static Duration criticalSectionTime(LockService locks, Jedis link, String prefix) {
        String key = prefix + "calibration";
        long[] times = new long[CALIBRATION_CYCLES];
        for (int i = -CALIBRATION_CYCLES; i < CALIBRATION_CYCLES; i++) {
            long start = System.nanoTime();
            try (Lease lease = locks.tryAcquire(key, LOCK_TTL).orElseThrow()) {
                link.hincrBy(prefix + "calibration:claims", "v", 1);
            }
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        link.del(prefix + "calibration:claims");
        Arrays.sort(times);
        return Duration.ofNanos(Math.max(Duration.ofMillis(1).toNanos(), times[CALIBRATION_CYCLES / 2]));
    }

    private static void runAll(List<Consumer> consumers) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(consumers.size(), task -> {
            Thread thread = new Thread(task, "lockbench-voucher-consumer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Consumer consumer : consumers) {
                futures.add(pool.submit(consumer::run));
            }
            for (Future<Void> future : futures) {
                try {
                    future.get(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a voucher consumer failed: " + e.getCause().getMessage(),
                            e.getCause());
                } catch (TimeoutException e) {
                    throw new IllegalStateException("the vouchers were not all claimed within " + RUN_LIMIT, e);
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(LOCK_TTL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private ScenarioResult result(String impl, Pattern pattern, long claimed, long twice, Duration delay) {
        String prefix = pattern.label + ":";
        List<Outcome> outcomes = new ArrayList<>(List.of(
                new Outcome(ID, impl, prefix + "vouchers", timing.vouchers(), "count"),
                new Outcome(ID, impl, prefix + "claimed", claimed, "count"),
                new Outcome(ID, impl, prefix + "claimed_twice", twice, "count")));
        if (pattern == Pattern.DELAYED_RELEASE) {
            outcomes.add(new Outcome(ID, impl, prefix + "release_delay", delay.toNanos() / 1e6, "ms"));
        }
        String headline = String.format(Locale.ROOT, "%d of %d vouchers claimed twice", twice, claimed);
        return new ScenarioResult(ID, impl, pattern.label, pattern.broken, twice > 0, outcomes, headline);
    }

    private static Jedis link(URI uri) {
        return DataLink.open(uri, LOCK_TTL);
    }

    /** One consumer thread: its pod's lock service, a Redis connection of its own, one way of using the lock. */
    private static final class Consumer {
        private final LockService locks;
        private final URI redis;
        private final VoucherStock stock;
        private final Pattern pattern;
        private final Duration delay;
        private final String keyPrefix;

        Consumer(LockService locks, URI redis, VoucherStock stock, Pattern pattern, Duration delay, String keyPrefix) {
            this.locks = locks;
            this.redis = redis;
            this.stock = stock;
            this.pattern = pattern;
            this.delay = delay;
            this.keyPrefix = keyPrefix;
        }

        Void run() throws InterruptedException {
            try (Jedis link = link(redis)) {
                boolean more = true;
                while (more) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    more = pattern == Pattern.LOCK_AROUND_RMW ? claimUnderLock(link) : lockAfterRead(link);
                }
            }
            return null;
        }

        /** The fix: the lock covers the read and the writes. */
        private boolean claimUnderLock(Jedis link) throws InterruptedException {
            Optional<Lease> lease = locks.acquire(keyPrefix + "vouchers:lock", LOCK_TTL, LOCK_TTL);
            if (lease.isEmpty()) {
                return true;
            }
            try (Lease held = lease.get()) {
                String voucher = stock.firstUnclaimed(link);
                if (voucher == null) {
                    return false;
                }
                stock.claim(link, voucher);
                return true;
            }
        }

        /** The story's code: read, then lock what was read, then claim it without reading again. */
        private boolean lockAfterRead(Jedis link) throws InterruptedException {
            String voucher = stock.firstUnclaimed(link);
            if (voucher == null) {
                return false;
            }
            Optional<Lease> lease = locks.tryAcquire(keyPrefix + "voucher:" + voucher, LOCK_TTL);
            if (lease.isEmpty()) {
                return true;
            }
            try (Lease held = lease.get()) {
                stock.claim(link, voucher);
                if (pattern == Pattern.DELAYED_RELEASE) {
                    TimeUnit.NANOSECONDS.sleep(delay.toNanos());
                }
            }
            return true;
        }
    }
}
