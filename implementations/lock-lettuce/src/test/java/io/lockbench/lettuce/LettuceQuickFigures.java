package io.lockbench.lettuce;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lockbench.api.Lease;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Quick figures for the closing note of the Lettuce implementation; not a test and not the benchmark suite
 * (that is JMH, in benchmarks-jmh). On one embedded Redis server it measures:
 * <ul>
 *   <li>the round trip: mean PING on a Lettuce connection with the service's options, waited for the way the
 *       service waits (an asynchronous command joined);</li>
 *   <li>one thread, uncontended: acquire + release cycles per second, and that as a fraction of the bound
 *       1 / (2 RTT) (a cycle is two round trips). Each cycle follows one PING, so that load from elsewhere
 *       on the machine hits both alike;</li>
 *   <li>8 threads on one key, zero hold: cycles per second and the acquire wait's p50 / p99 / max.</li>
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -o -pl implementations/lock-lettuce test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.lockbench.lettuce.LettuceQuickFigures}
 */
public final class LettuceQuickFigures {

    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURE = Duration.ofSeconds(5);
    private static final int THREADS = 8;

    private LettuceQuickFigures() {
    }

    /**
     * Starts a Redis server, prints the figures, stops it.
     *
     * @param args none
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        try (RedisNodes nodes = RedisNodes.start(1);
             LettuceLockService service = new LettuceLockService(nodes.settings());
             PingClient ping = new PingClient(nodes)) {
            String key = nodes.keyPrefix() + "uncontended";
            uncontended(service, ping, key, WARM_UP);
            Uncontended run = uncontended(service, ping, key, MEASURE);
            double rtt = run.pings().getMean();
            double cycle = run.cycles().getMean();
            System.out.printf(Locale.ROOT, "RTT (mean PING on a Lettuce connection like the service's, async joined): "
                    + "%.1f µs (median %.1f µs)%n", rtt / 1e3, run.pings().getValueAtPercentile(50) / 1e3);
            System.out.printf(Locale.ROOT, "1 thread uncontended: %.0f cycles/s (mean cycle %.1f µs, median %.1f µs); "
                            + "bound 1/(2 RTT) = %.0f/s; fraction %.3f (from medians %.3f; %d cycles)%n",
                    1e9 / cycle, cycle / 1e3, run.cycles().getValueAtPercentile(50) / 1e3, 1e9 / (2 * rtt),
                    2 * rtt / cycle,
                    2.0 * run.pings().getValueAtPercentile(50) / run.cycles().getValueAtPercentile(50),
                    run.cycles().getTotalCount());

            String contendedKey = nodes.keyPrefix() + "contended";
            contended(service, contendedKey, WARM_UP);
            Histogram waits = new Histogram(3);
            double contendedPerSecond = contended(service, contendedKey, MEASURE, waits);
            System.out.printf(Locale.ROOT,
                    "%d threads, one key, zero hold: %.0f cycles/s; acquire wait p50 %.1f µs, p99 %.1f µs, max %.1f µs (%d samples)%n",
                    THREADS, contendedPerSecond, waits.getValueAtPercentile(50) / 1e3,
                    waits.getValueAtPercentile(99) / 1e3, waits.getMaxValue() / 1e3, waits.getTotalCount());
        }
    }

    /**
     * One PING, then one acquire + release cycle, repeated: both see the same load from elsewhere on the
     * machine, which on a shared box moves from one second to the next.
     */
    private static Uncontended uncontended(LettuceLockService service, PingClient ping, String key, Duration duration)
            throws InterruptedException {
        Histogram pings = new Histogram(3);
        Histogram cycles = new Histogram(3);
        long end = System.nanoTime() + duration.toNanos();
        long now;
        do {
            long start = System.nanoTime();
            ping.once();
            long pinged = System.nanoTime();
            Lease lease = service.acquire(key, TTL, MAX_WAIT).orElseThrow();
            lease.release();
            now = System.nanoTime();
            pings.recordValue(pinged - start);
            cycles.recordValue(now - pinged);
        } while (now - end < 0);
        return new Uncontended(pings, cycles);
    }

    /**
     * @param pings PING round trips in nanoseconds
     * @param cycles acquire + release cycles in nanoseconds
     */
    private record Uncontended(Histogram pings, Histogram cycles) {
    }

    private static void contended(LettuceLockService service, String key, Duration duration) throws Exception {
        contended(service, key, duration, new Histogram(3));
    }

    private static double contended(LettuceLockService service, String key, Duration duration, Histogram waits)
            throws Exception {
        Recorder recorder = new Recorder(3);
        LongAdder cycles = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    while (!stop.get()) {
                        long asked = System.nanoTime();
                        Lease lease = service.acquire(key, TTL, MAX_WAIT).orElseThrow();
                        recorder.recordValue(System.nanoTime() - asked);
                        lease.release();
                        cycles.increment();
                    }
                    return null;
                }));
            }
            long start = System.nanoTime();
            recorder.reset();
            cycles.reset();
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            long counted = cycles.sum();
            long elapsed = System.nanoTime() - start;
            waits.add(recorder.getIntervalHistogram());
            stop.set(true);
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            return counted * 1e9 / elapsed;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A Lettuce connection with the service's options and thread counts, for PING. */
    private static final class PingClient implements AutoCloseable {

        private final ClientResources resources = LettuceLink.newResources();
        private final RedisClient client = RedisClient.create(resources);
        private final StatefulRedisConnection<String, String> connection;

        PingClient(RedisNodes nodes) {
            LockSettings settings = nodes.settings();
            client.setOptions(ClientOptions.builder()
                    .socketOptions(LettuceLink.socketOptions(settings))
                    .timeoutOptions(LettuceLink.timeoutOptions(settings))
                    .maintNotificationsConfig(LettuceLink.maintNotifications())
                    .build());
            connection = client.connect(StringCodec.UTF8, RedisURI.create(settings.firstNode()));
        }

        /** One PING, waited for the way the service waits for its replies. */
        void once() {
            connection.async().ping().toCompletableFuture().join();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3_000);
        }
    }
}
