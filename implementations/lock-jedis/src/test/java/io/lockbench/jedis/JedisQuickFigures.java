package io.lockbench.jedis;

import io.lockbench.api.Lease;
import io.lockbench.core.LockKeys;
import io.lockbench.core.OwnerTokens;
import io.lockbench.testkit.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.UnifiedJedis;

/**
 * Quick figures for {@link JedisLockService} on one local server, run by hand, not by the build (the name
 * matches neither the unit-test nor the integration-test pattern). Speed targets belong to the benchmark
 * suite; this is the sanity check behind the numbers in the closing note.
 *
 * <ol>
 *   <li>Uncontended, one thread: acquire + release cycles per second against the bound 1 / (2 RTT), where
 *       RTT is the mean PING on a pooled client built like the service's. Also the same two scripts called
 *       bare through that client (EVALSHA acquire.lua + release.lua, no service around them), which splits
 *       the gap to the bound into the server's script cost and the service's own. Blocks of 50 ms of each
 *       alternate, so all three see the same machine load; aggregate fractions and the median of the
 *       per-block fractions are printed.</li>
 *   <li>Eight threads on one key, zero hold time: cycles per second, acquire wait percentiles (HdrHistogram,
 *       time inside {@code acquire}), and client commands per critical section from INFO commandstats.</li>
 * </ol>
 *
 * <p>Run from the checkout (the argument is the seconds per measured phase, default 5):
 * <pre>
 * ./mvnw -q -o -pl implementations/lock-jedis test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.lockbench.jedis.JedisQuickFigures -Dexec.args=5
 * </pre>
 */
public final class JedisQuickFigures {

    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** PING and cycle blocks alternate this often, so that load from elsewhere hits both alike. */
    private static final Duration BLOCK = Duration.ofMillis(50);
    private static final int THREADS = 8;

    private JedisQuickFigures() {
    }

    /**
     * @param args optional: seconds per measured phase
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        try (RedisNodes redis = RedisNodes.start(1);
             UnifiedJedis pinger = JedisClients.standalone(redis.settings());
             JedisLockService service = new JedisLockService(redis.settings())) {
            String key = redis.keyPrefix() + "figures";
            System.out.printf(Locale.ROOT, "Redis %s at %s; %d cores; Java %s%n", redis.node(0).version(),
                    redis.node(0).uri(), Runtime.getRuntime().availableProcessors(), Runtime.version());

            JedisScripts bare = new JedisScripts(pinger, "bare");
            LockKeys bareKeys = LockKeys.of(key + ":bare");
            pings(pinger, Duration.ofSeconds(2));
            cycles(service, key + ":solo", Duration.ofSeconds(2));
            bareCycles(bare, bareKeys, Duration.ofSeconds(2));
            long[] pingTotal = new long[2];
            long[] cycleTotal = new long[2];
            long[] bareTotal = new long[2];
            int rounds = (int) Math.max(1, phase.toMillis() / BLOCK.toMillis());
            double[] fractions = new double[rounds];
            double[] bareFractions = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long[] p = add(pingTotal, pings(pinger, BLOCK));
                long[] c = add(cycleTotal, cycles(service, key + ":solo", BLOCK));
                long[] b = add(bareTotal, bareCycles(bare, bareKeys, BLOCK));
                double bound = p[0] / (2.0 * p[1]);
                fractions[round] = ((double) c[0] / c[1]) / bound;
                bareFractions[round] = ((double) b[0] / b[1]) / bound;
            }
            Arrays.sort(fractions);
            Arrays.sort(bareFractions);
            double rttMicros = pingTotal[1] / 1e3 / pingTotal[0];
            double bound = 1e6 / (2 * rttMicros);
            double cyclesPerSecond = cycleTotal[0] / (cycleTotal[1] / 1e9);
            double barePerSecond = bareTotal[0] / (bareTotal[1] / 1e9);
            System.out.printf(Locale.ROOT, "uncontended, 1 thread: RTT (mean PING, pooled) %.1f µs; "
                            + "bound 1/(2 RTT) %.0f cycles/s; service %.0f cycles/s = %.3f of the bound "
                            + "(median of %d alternating %d ms blocks %.3f); bare script calls %.0f cycles/s = "
                            + "%.3f of the bound (median %.3f)%n",
                    rttMicros, bound, cyclesPerSecond, cyclesPerSecond / bound, rounds, BLOCK.toMillis(),
                    fractions[rounds / 2], barePerSecond, barePerSecond / bound, bareFractions[rounds / 2]);

            contended(service, redis, key + ":shared", Duration.ofSeconds(2), false);
            contended(service, redis, key + ":shared", phase, true);
        }
    }

    /** @return {count, elapsed nanos} of PINGs sent back to back for {@code duration} */
    private static long[] pings(UnifiedJedis pinger, Duration duration) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long count = 0;
        long now;
        do {
            pinger.ping();
            count++;
            now = System.nanoTime();
        } while (now - end < 0);
        return new long[] {count, now - start};
    }

    /** @return {count, elapsed nanos} of bare acquire.lua + release.lua calls run for {@code duration} */
    private static long[] bareCycles(JedisScripts scripts, LockKeys keys, Duration duration) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long count = 0;
        long now;
        do {
            String token = OwnerTokens.next();
            scripts.acquire(keys, token, TTL.toMillis());
            scripts.release(keys, token);
            count++;
            now = System.nanoTime();
        } while (now - end < 0);
        return new long[] {count, now - start};
    }

    /** Adds a block's {count, nanos} to a total and returns the block. */
    private static long[] add(long[] total, long[] block) {
        total[0] += block[0];
        total[1] += block[1];
        return block;
    }

    /** @return {count, elapsed nanos} of uncontended acquire + release cycles run for {@code duration} */
    private static long[] cycles(JedisLockService service, String key, Duration duration) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long count = 0;
        long now;
        do {
            service.acquire(key, TTL, MAX_WAIT).orElseThrow().release();
            count++;
            now = System.nanoTime();
        } while (now - end < 0);
        return new long[] {count, now - start};
    }

    private static void contended(JedisLockService service, RedisNodes redis, String key, Duration duration,
                                  boolean report) throws Exception {
        CommandStats before = CommandStats.of(redis.node(0));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<Histogram>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < THREADS; i++) {
            results.add(threads.submit(() -> {
                Histogram waits = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                while (!stop.get()) {
                    long asked = System.nanoTime();
                    Lease lease = service.acquire(key, TTL, MAX_WAIT).orElseThrow();
                    waits.recordValue(System.nanoTime() - asked);
                    lease.release();
                }
                return waits;
            }));
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (Future<Histogram> result : results) {
            all.add(result.get(60, TimeUnit.SECONDS));
        }
        long elapsed = System.nanoTime() - start;
        threads.shutdown();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        if (!report) {
            return;
        }
        long sections = all.getTotalCount();
        long commands = CommandStats.of(redis.node(0)).clientCommandsSince(before);
        System.out.printf(Locale.ROOT, "%d threads, one key, zero hold: %.0f cycles/s; acquire wait p50 %.0f µs, "
                        + "p99 %.0f µs, p99.9 %.0f µs, max %.1f ms; %.2f commands per section (%d sections)%n",
                THREADS, sections / (elapsed / 1e9), all.getValueAtPercentile(50) / 1e3,
                all.getValueAtPercentile(99) / 1e3, all.getValueAtPercentile(99.9) / 1e3, all.getMaxValue() / 1e6,
                (double) commands / sections, sections);
    }
}
