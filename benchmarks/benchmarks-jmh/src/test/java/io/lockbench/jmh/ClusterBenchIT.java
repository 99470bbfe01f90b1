package io.lockbench.jmh;

import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisSource;
import io.lockbench.report.BenchResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lockbench bench --redis cluster} below the CLI: the runner on a 3-master Redis Cluster the fixture starts,
 * one short baseline and one short contended step (3 keys, one per master) of jedis and lettuce, through the same
 * forks as a real run. It asserts where the work went and that it was counted, not how fast it was.
 */
class ClusterBenchIT {

    private static final RunSettings TINY = new RunSettings(1, 1, Duration.ofMillis(100), 1, Duration.ofMillis(200));
    private static final Pattern CALLS = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)");

    @BeforeAll
    static void runBesideOtherJmhRuns() {
        // As in EveryImplementationIT: this run measures nothing, so it may share the machine with another.
        System.setProperty("jmh.ignoreLock", "true");
    }

    @Test
    void aShortClusterRunLocksOnEveryMasterAndCountsCommandsOnAll(@TempDir Path dir) throws InterruptedException {
        List<String> implementations = List.of("jedis", "lettuce");
        List<BenchStep> steps = List.of(
                new BenchStep(Benchmarks.BASELINE, "lockCycle", Mode.Throughput, 1, Duration.ZERO,
                        Map.of("client", List.of(RoundTripClient.JEDIS)), List.of()),
                new BenchStep(Benchmarks.CONTENDED, "cycle", Mode.Throughput, 3, Duration.ZERO,
                        Map.of("keys", List.of("3"), "hold", List.of("0")), implementations));
        BenchPlan plan = new BenchPlan(Profile.QUICK, TINY, implementations, List.of(Duration.ZERO), steps,
                Optional.empty()).onCluster();

        try (BenchNodes nodes = BenchNodes.start(new RedisSource.Cluster(), BenchNodes.QUORUM_NODES, false)) {
            assertThat(nodes.cluster()).isTrue();
            assertThat(nodes.topology()).isEqualTo("Redis Cluster, 3 masters");
            List<RedisNode> masters = nodes.servers();

            String prefix = nodes.endpoints(Duration.ZERO).keyPrefix();
            try (RedisCommandCounter counter = counter(masters);
                 JedisCluster client = new JedisCluster(new HostAndPort(masters.get(0).host(), masters.get(0).port()))) {
                // The first round opens the client's connection to each master, whose handshake is counted too.
                for (int i = 0; i < 30; i++) {
                    client.set(prefix + "counted-" + i, "v");
                }
                long before = counter.total();
                for (int i = 0; i < 30; i++) {
                    client.set(prefix + "counted-" + i, "w");
                }
                assertThat(counter.total() - before).as("the counter sums every master").isEqualTo(30);
            }
            long[] scriptsBefore = masters.stream().mapToLong(ClusterBenchIT::scriptCalls).toArray();

            List<BenchResult> results = new BenchRunner(plan, nodes, dir.resolve("raw"), dir.resolve("jmh.log"),
                    (number, total, description, left) -> { }).run();

            assertThat(results).filteredOn(result -> result.shortName().equals("BaselineBenchmark.lockCycle"))
                    .as("the hand-written lock on the first master, on keys it serves (see %s)", dir.resolve("jmh.log"))
                    .singleElement().satisfies(result -> assertThat(result.primary().score()).isPositive());
            for (String impl : implementations) {
                assertThat(results).as("contended results of %s (see %s)", impl, dir.resolve("jmh.log"))
                        .filteredOn(result -> result.shortName().equals("ContendedBenchmark.cycle")
                                && result.param("impl").orElse("").equals(impl))
                        .singleElement()
                        .satisfies(result -> {
                            assertThat(result.secondary("acquired").orElseThrow().score()).isPositive();
                            // An acquire script and a release script at least, whichever master ran them.
                            assertThat(result.secondary("commandsPerSection").orElseThrow().score())
                                    .isGreaterThanOrEqualTo(2);
                        });
            }
            for (int master = 1; master < masters.size(); master++) {
                // Only the contended keys reach masters 1 and 2: the baseline writes on master 0.
                assertThat(scriptCalls(masters.get(master))).as("lock scripts run on master %d", master)
                        .isGreaterThan(scriptsBefore[master]);
            }
        }
    }

    private static RedisCommandCounter counter(List<RedisNode> masters) {
        return new RedisCommandCounter(masters.stream().map(RedisNode::uri).toList());
    }

    /** EVALSHA and EVAL calls the server has executed. */
    private static long scriptCalls(RedisNode node) {
        Matcher matcher = CALLS.matcher(node.<String>call(jedis -> jedis.info("commandstats")));
        long calls = 0;
        while (matcher.find()) {
            if (matcher.group(1).equals("evalsha") || matcher.group(1).equals("eval")) {
                calls += Long.parseLong(matcher.group(2));
            }
        }
        return calls;
    }
}
