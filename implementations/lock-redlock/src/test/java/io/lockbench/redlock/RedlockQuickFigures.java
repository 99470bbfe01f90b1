package io.lockbench.redlock;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.lettuce.LettuceLockService;
import io.lockbench.api.ReleaseResult;
import io.lockbench.testkit.RedisNode;
import io.lockbench.testkit.RedisNodes;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Quick figures, not a benchmark: the uncontended acquire + release cycle of Redlock over 5 nodes next to
 * single-node Lettuce and Redlock's own code over 1 and 3 nodes, on the same servers in the same run, one
 * thread. The services take turns in rounds so that drift of the machine hits all of them alike. Prints
 * markdown tables of p50 / p90 / p99 / max in microseconds and the ratios to Lettuce: once on loopback, where 5
 * servers and the client share the machine's cores, and once through the testkit's TCP proxy adding 1 ms
 * each way, where round trips dominate as they do between machines (a tenth of the cycles).
 *
 * <p>Run: {@code ./mvnw -q -o -pl implementations/lock-redlock test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.lockbench.redlock.RedlockQuickFigures}
 * (optional arguments: rounds, cycles per round; default 20 and 2,000).
 */
public final class RedlockQuickFigures {

    private static final Duration TTL = Duration.ofSeconds(10);
    /** The histograms' highest trackable value: 10 s in microseconds. */
    private static final long MAX_MICROS = 10_000_000L;
    private static final List<Integer> SIZES = List.of(1, 3, 5);
    private static final String REFERENCE = "lettuce (1 node)";
    /** Injected per direction: loopback hides what round trips cost between machines. */
    private static final Duration PROXY_LATENCY = Duration.ofMillis(1);

    private RedlockQuickFigures() {
    }

    /**
     * Measures and prints.
     *
     * @param args optional: rounds, cycles per round
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        try (RedisNodes redis = RedisNodes.start(5)) {
            System.out.printf("Redlock uncontended acquire+release cycle, one thread, Redis %s, %d cores, Java %s%n",
                    redis.node(0).version(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            print("Loopback, direct", rounds * cycles, measure(redis.uris(), redis.keyPrefix(), rounds, cycles));
            for (RedisNode node : redis.nodes()) {
                node.proxy().addLatency(PROXY_LATENCY);
            }
            List<URI> proxied = redis.nodes().stream().map(node -> node.proxy().uri()).toList();
            int proxiedCycles = Math.max(1, cycles / 10);
            print("Through a TCP proxy adding " + PROXY_LATENCY.toMillis() + " ms each way per node",
                    rounds * proxiedCycles, measure(proxied, redis.keyPrefix() + "proxied:", rounds, proxiedCycles));
        }
    }

    /**
     * Each service's histogram, measured in alternating rounds: single-node Lettuce (the reference the
     * issue compares against: same client library, one round trip per call), and Redlock over the first 1,
     * 3 and 5 of the given nodes.
     */
    private static Map<String, Histogram> measure(List<URI> nodes, String prefix, int rounds, int cycles) {
        Map<String, LockService> services = new LinkedHashMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        try {
            services.put(REFERENCE, new LettuceLockService(LockSettings.of(nodes.subList(0, 1))));
            for (int size : SIZES) {
                services.put("redlock-" + size + " (quorum " + (size / 2 + 1) + ")",
                        new RedlockLockService(LockSettings.of(nodes.subList(0, size))));
            }
            services.keySet().forEach(name -> histograms.put(name, new Histogram(MAX_MICROS, 3)));
            services.forEach((name, service) -> cycle(service, prefix + "warm-up-" + name, Math.max(cycles, 1_000), null));
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, LockService> entry : services.entrySet()) {
                    cycle(entry.getValue(), prefix + "cycle-" + entry.getKey(), cycles, histograms.get(entry.getKey()));
                }
            }
            return histograms;
        } finally {
            services.values().forEach(LockService::close);
        }
    }

    private static void cycle(LockService service, String key, int cycles, Histogram histogram) {
        for (int i = 0; i < cycles; i++) {
            long start = System.nanoTime();
            Lease lease = service.tryAcquire(key, TTL)
                    .orElseThrow(() -> new IllegalStateException("uncontended key held"));
            ReleaseResult released = lease.release();
            long micros = (System.nanoTime() - start) / 1_000;
            if (released != ReleaseResult.RELEASED) {
                throw new IllegalStateException("release found " + released);
            }
            if (histogram != null) {
                histogram.recordValue(Math.max(1, Math.min(micros, MAX_MICROS)));
            }
        }
    }

    private static void print(String setup, int samples, Map<String, Histogram> histograms) {
        Histogram single = histograms.get(REFERENCE);
        System.out.printf("%n%s, %d samples per service:%n%n", setup, samples);
        System.out.println("| service | p50 µs | p90 µs | p99 µs | max µs | p50 / lettuce | p99 / lettuce |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        histograms.forEach((name, histogram) -> System.out.printf("| %s | %d | %d | %d | %d | %.2fx | %.2fx |%n",
                name,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99), histogram.getMaxValue(),
                (double) histogram.getValueAtPercentile(50) / single.getValueAtPercentile(50),
                (double) histogram.getValueAtPercentile(99) / single.getValueAtPercentile(99)));
    }
}
