package io.lockbench.redisson;

import io.lockbench.testkit.RedisNode;
import io.lockbench.testkit.RedisNodes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.redisson.api.RFencedLock;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisMaster;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * Quick figures for {@link RedissonLockService} on this machine, not a benchmark (JMH in benchmarks-jmh is):
 * the round trip (PING, over Jedis and over a Redisson client configured like the service's), single-thread
 * uncontended acquire+release cycles per second, and the Redis commands one cycle costs: those the client
 * sends (round trips, counted with MONITOR) and those Redis executes, scripts' calls included
 * ({@code INFO commandstats}); the same for plain Redisson ({@code RFencedLock} taken and unlocked by one
 * thread) on an identically configured client, for comparison.
 *
 * <p>Run from the checkout:
 * <pre>{@code
 * ./mvnw -q -o -pl implementations/lock-redisson exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.lockbench.redisson.RedissonQuickFigures [-Dexec.args="20000"]
 * }</pre>
 */
public final class RedissonQuickFigures {

    /** Commands the measurement itself sends (INFO, CONFIG RESETSTAT, the connection handshake, pings). */
    private static final Set<String> HARNESS_COMMANDS = Set.of("info", "config", "config|resetstat", "client",
            "client|setinfo", "client|setname", "hello", "ping", "select", "monitor", "echo");
    private static final Pattern COMMAND_STAT = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+)", Pattern.MULTILINE);
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final int ROUNDS = 9;
    private static final int PINGS = 2_000;

    private RedissonQuickFigures() {
    }

    /**
     * @param args optional: the number of timed cycles (default 20,000)
     */
    public static void main(String[] args) {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (RedisNodes redis = RedisNodes.start(1);
             RedissonLockService service = new RedissonLockService(redis.settings())) {
            RedisNode node = redis.node(0);
            String key = redis.keyPrefix() + "figures";
            System.out.printf("Redis %s at %s; %d cores; Java %s; load average %.1f%n", node.version(), node.uri(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            RedissonClient plain = RedissonClients.connect(redis.settings());
            try {
                RedisMaster server = plain.getRedisNodes(org.redisson.api.redisnode.RedisNodes.SINGLE).getInstance();
                Runnable ours = () -> service.tryAcquire(key, TTL)
                        .orElseThrow(() -> new IllegalStateException(key + " is held")).release();
                RFencedLock lock = plain.getFencedLock(key + ":native");
                Runnable nativeRedisson = () -> {
                    if (lock.tryLockAndGetToken(0, TTL.toMillis(), TimeUnit.MILLISECONDS) == null) {
                        throw new IllegalStateException(key + ":native is held");
                    }
                    lock.unlock();
                };
                // Rounds interleave every measurement, so that a busy spell of a shared machine hits all alike.
                int perRound = Math.max(1, cycles / ROUNDS);
                timePerCall(ours, perRound);
                timePerCall(nativeRedisson, perRound);
                long[] jedisPing = new long[ROUNDS];
                long[] redissonPing = new long[ROUNDS];
                long[] ourCycle = new long[ROUNDS];
                long[] nativeCycle = new long[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    jedisPing[round] = node.call(jedis -> timePerCall(jedis::ping, PINGS));
                    redissonPing[round] = timePerCall(server::ping, PINGS);
                    ourCycle[round] = timePerCall(ours, perRound);
                    nativeCycle[round] = timePerCall(nativeRedisson, perRound);
                }
                System.out.printf("%d rounds; medians, with [min - max] over the rounds%n", ROUNDS);
                System.out.printf("RTT (PING, 1 thread): Jedis %s µs, Redisson %s µs%n",
                        micros(jedisPing), micros(redissonPing));
                report("RedissonLockService tryAcquire+release", ours, ourCycle, redissonPing, node);
                report("plain RFencedLock tryLockAndGetToken+unlock, one thread (same client config)",
                        nativeRedisson, nativeCycle, redissonPing, node);
            } finally {
                plain.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
    }

    private static void report(String label, Runnable cycle, long[] cycleNanos, long[] rttNanos, RedisNode node) {
        long[] perSecond = new long[cycleNanos.length];
        long[] percentOfBound = new long[cycleNanos.length];
        for (int round = 0; round < cycleNanos.length; round++) {
            perSecond[round] = 1_000_000_000L / cycleNanos[round];
            percentOfBound[round] = 100 * 2 * rttNanos[round] / cycleNanos[round];
        }
        System.out.printf("%n%s, uncontended, 1 thread:%n  %s cycles/s, %s µs/cycle; "
                        + "%s %% of the bound 1/(2 x Redisson RTT) of the same round%n",
                label, range(perSecond, 1), micros(cycleNanos), range(percentOfBound, 1));

        int counted = 1_000;
        node.call(jedis -> jedis.configResetStat());
        Map<String, Long> wire;
        try (WireCounter counter = WireCounter.start(node)) {
            for (int i = 0; i < counted; i++) {
                cycle.run();
            }
            wire = counter.stop();
        }
        Map<String, Long> executed = commandCalls(node.call(jedis -> jedis.info("commandstats")));
        executed.keySet().removeIf(HARNESS_COMMANDS::contains);
        System.out.printf("  per cycle, over %d cycles:%n", counted);
        System.out.printf("    sent by the client (MONITOR):         %s = %.3f round trips%n",
                perCycle(wire, counted), total(wire) / (double) counted);
        System.out.printf("    executed by Redis (INFO commandstats): %s = %.3f commands%n",
                perCycle(executed, counted), total(executed) / (double) counted);
    }

    private static String micros(long[] nanos) {
        return range(nanos, 1_000);
    }

    private static String range(long[] values, long divisor) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return String.format("%,.1f [%,.1f - %,.1f]", sorted[sorted.length / 2] / (double) divisor,
                sorted[0] / (double) divisor, sorted[sorted.length - 1] / (double) divisor);
    }

    private static String perCycle(Map<String, Long> calls, int cycles) {
        StringBuilder text = new StringBuilder();
        calls.forEach((command, count) -> text.append(text.length() == 0 ? "" : " + ")
                .append(String.format("%s %.3f", command.toUpperCase(java.util.Locale.ROOT), count / (double) cycles)));
        return text.toString();
    }

    private static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long timePerCall(Runnable call, int times) {
        for (int i = 0; i < Math.min(times, 2_000); i++) {
            call.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / times;
    }

    private static Map<String, Long> commandCalls(String commandStats) {
        Map<String, Long> calls = new LinkedHashMap<>();
        Matcher matcher = COMMAND_STAT.matcher(commandStats);
        while (matcher.find()) {
            calls.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return calls;
    }

    /**
     * Counts the commands clients send, by name, with MONITOR (which also shows the commands scripts run,
     * tagged {@code lua}; those are left out here). The measurement's own commands are left out too.
     */
    private static final class WireCounter implements AutoCloseable {

        private static final Pattern LINE = Pattern.compile("^\\d+\\.\\d+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\"(?: \"([^\"]*)\")?");
        private static final String END_MARKER = "lockbench-figures-end";

        private final Jedis monitor;
        private final Thread reader;
        private final Map<String, Long> counts = new java.util.concurrent.ConcurrentSkipListMap<>();
        private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        private final RedisNode node;

        private WireCounter(RedisNode node) {
            this.node = node;
            this.monitor = new Jedis(node.host(), node.port());
            this.reader = new Thread(this::read, "figures-monitor");
            reader.setDaemon(true);
        }

        static WireCounter start(RedisNode node) {
            WireCounter counter = new WireCounter(node);
            counter.reader.start();
            await(counter.started);
            return counter;
        }

        private void read() {
            try {
                monitor.monitor(new JedisMonitor() {
                    @Override
                    public void proceed(Connection connection) {
                        started.countDown();
                        super.proceed(connection);
                    }

                    @Override
                    public void onCommand(String line) {
                        count(line);
                    }
                });
            } catch (RuntimeException closed) {
                started.countDown();
            }
        }

        private void count(String line) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.find() || "lua".equals(matcher.group(1))) {
                return;
            }
            String command = matcher.group(2).toLowerCase(java.util.Locale.ROOT);
            if ("echo".equals(command) && END_MARKER.equals(matcher.group(3))) {
                ended.countDown();
            } else if (!HARNESS_COMMANDS.contains(command)) {
                counts.merge(command, 1L, Long::sum);
            }
        }

        /** @return the counts, once every command sent before this call has been seen */
        Map<String, Long> stop() {
            node.call(jedis -> jedis.echo(END_MARKER));
            await(ended);
            return new LinkedHashMap<>(counts);
        }

        private static void await(java.util.concurrent.CountDownLatch latch) {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("MONITOR did not respond within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        @Override
        public void close() {
            monitor.close();
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
