package io.lockbench.cli;

import io.lockbench.jmh.BenchPlan;
import io.lockbench.jmh.BenchStep;
import io.lockbench.jmh.Benchmarks;
import io.lockbench.jmh.Profile;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchCommandTest {

    private static final List<String> REGISTERED = List.of("jedis", "naive-setnx", "redisson", "redlock");

    @Test
    void quickRunsEveryRegisteredImplementation() {
        BenchPlan plan = plan("--quick");

        assertThat(plan.profile()).isEqualTo(Profile.QUICK);
        assertThat(plan.implementations()).isEqualTo(REGISTERED);
        assertThat(plan.rtts()).containsExactly(Duration.ZERO, Duration.ofNanos(500_000));
        assertThat(plan.openLoop()).isEmpty();
    }

    @Test
    void optionsNarrowThePlan() {
        BenchPlan plan = plan("--full", "--impl", "redisson,jedis", "--threads", "2,8", "--rtt", "0,2ms", "--only",
                "contended");

        assertThat(plan.profile()).isEqualTo(Profile.FULL);
        assertThat(plan.implementations()).containsExactly("redisson", "jedis");
        assertThat(plan.rtts()).containsExactly(Duration.ZERO, Duration.ofMillis(2));
        assertThat(plan.steps()).filteredOn(step -> step.benchmark() == Benchmarks.CONTENDED)
                .extracting(BenchStep::threads).containsOnly(2, 8);
        assertThat(plan.steps()).extracting(step -> step.benchmark()).containsOnly(Benchmarks.BASELINE,
                Benchmarks.CONTENDED);
    }

    @Test
    void holdAndKeysShapeTheContendedBenchmarkAsTheRedlock4jComparison() {
        BenchPlan plan = plan("--quick", "--only", "contended", "--threads", "5", "--keys", "1", "--hold", "50ms");

        assertThat(plan.steps()).filteredOn(step -> step.benchmark() == Benchmarks.CONTENDED).isNotEmpty()
                .allSatisfy(step -> {
                    assertThat(step.threads()).isEqualTo(5);
                    assertThat(step.params()).containsEntry("keys", List.of("1")).containsEntry("hold", List.of("50ms"));
                });
        assertThat(plan("--keys", "1,4", "--hold", "0,250us").steps())
                .filteredOn(step -> step.benchmark() == Benchmarks.CONTENDED)
                .allSatisfy(step -> assertThat(step.params()).containsEntry("keys", List.of("1", "4"))
                        .containsEntry("hold", List.of("0", "250us")));
    }

    @Test
    void neitherFlagMeansTheStandardProfile() {
        assertThat(plan().profile()).isEqualTo(Profile.STANDARD);
    }

    @Test
    void openLoopTakesRates() {
        BenchPlan plan = plan("--quick", "--open-loop", "--rate", "1000,2500.5");

        assertThat(plan.openLoop()).hasValueSatisfying(loop -> assertThat(loop.rates()).containsExactly(1000.0, 2500.5));
        assertThat(plan.steps()).extracting(BenchStep::id).containsExactly("baseline-ping-sample-t1-rtt0",
                "baseline-ping-sample-t1-rtt500us");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        assertUsageError("--impl: no implementation called 'nope'; registered: jedis, naive-setnx", "--impl", "nope");
        assertUsageError("--threads: each count must be between 1 and 1024", "--threads", "0");
        assertUsageError("--rate needs --open-loop", "--rate", "100");
        assertUsageError("--rate: each rate must be a positive number", "--open-loop", "--rate", "-5");
        assertUsageError("--rtt: duration", "--rtt", "soon");
        assertUsageError("--rtt: 0us is listed twice", "--rtt", "0,0us");
        assertUsageError("--only: unknown benchmark 'everything'", "--only", "everything");
        assertUsageError("--open-loop runs the open-loop sweep only", "--open-loop", "--only", "contended");
        assertUsageError("--hold: ", "--hold", "soon");
        assertUsageError("--hold: ", "--hold=-5ms");
        assertUsageError("--hold: each must be shorter than the 1s a contended acquire waits, got 1s", "--hold", "1s");
        assertUsageError("--hold: 50000us is listed twice", "--hold", "50ms,50000us");
        assertUsageError("--keys: each count must be between 1 and 1024, got 0", "--keys", "0");
        assertUsageError("--keys: each count must be between 1 and 1024, got 1025", "--keys", "1025");
        assertUsageError("--keys: a count is listed twice", "--keys", "1,1");
        assertUsageError("--hold and --keys shape the contended benchmark, which --only leaves out", "--only",
                "handoff", "--keys", "2");
        assertUsageError("--open-loop runs the open-loop sweep only", "--open-loop", "--hold", "1ms");
        assertUsageError("--only async: needs an implementation that declares ASYNC; none of jedis, redisson does"
                + " (no registered implementation does)", "--only", "async", "--impl", "jedis,redisson");
    }

    @Test
    void asyncRunsOnlyOnTheImplementationsThatDeclareIt() {
        CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.parseArgs("--quick", "--only", "async");
        BenchPlan plan = commandLine.<BenchCommand>getCommand().plan(List.of("jedis", "lettuce", "naive-setnx"));

        assertThat(plan.steps()).filteredOn(step -> step.benchmark() == Benchmarks.ASYNC).singleElement()
                .satisfies(step -> {
                    assertThat(step.implementations()).containsExactly("lettuce");
                    assertThat(step.describe()).isEqualTo("async thrpt, 1 thread, rtt 0, keys=[1, 16],"
                            + " inFlight=[16], impl=[lettuce]");
                });
    }

    @Test
    void badCommandLinesExitWithTwoAndSayWhy() {
        assertExitTwo("mutually exclusive", "bench", "--quick", "--full");
        assertExitTwo("Unknown option: '--fast'", "bench", "--fast");
        assertExitTwo("no implementation called 'nope'", "bench", "--impl", "nope", "--dry-run");
        assertExitTwo("Redis source 'mongodb://x'", "bench", "--redis", "mongodb://x", "--dry-run");
        assertExitTwo("Invalid value for option '--threads'", "bench", "--threads", "many");
        assertExitTwo("Invalid value for option '--keys'", "bench", "--keys", "many");
        assertExitTwo("--hold: each must be shorter", "bench", "--hold", "2s", "--dry-run");
        assertExitTwo("Missing command", new String[0]);
    }

    @Test
    void nodesSetsHowManyServersTheQuorumImplementationRunsOn() {
        assertThat(nodeCount("--quick")).isEqualTo(3);
        assertThat(nodeCount("--quick", "--nodes", "5")).isEqualTo(5);
        assertThat(nodeCount("--redis", "redis://db1:6379,redis://db2:6379")).isEqualTo(2);
        assertThat(nodeCount("--nodes", "1", "--redis", "redis://db1:6379,redis://db2:6379")).isEqualTo(1);
        assertNodesRefused("--nodes: must be between 1 and 9, got 0", "--nodes", "0");
        assertNodesRefused("--nodes: must be between 1 and 9, got 10", "--nodes", "10");
        assertNodesRefused("--nodes 5: --redis lists only 3 servers", "--nodes", "5", "--redis",
                "redis://db1:6379,redis://db2:6379,redis://db3:6379");
        assertNodesRefused("--nodes: a Redis Cluster brings its own masters", "--nodes", "5", "--redis", "cluster");
        assertExitTwo("--nodes: must be between 1 and 9, got -1", "bench", "--nodes", "-1", "--dry-run");
        assertExitTwo("Invalid value for option '--nodes'", "bench", "--nodes", "five");
    }

    @Test
    void dryRunSaysHowManyServersItWouldStart() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
                .execute("bench", "--quick", "--dry-run", "--impl", "redlock", "--nodes", "5", "--redis", "embedded");

        assertThat(code).isZero();
        assertThat(err.toString()).contains("Starting 5 Redis servers");
    }

    private static int nodeCount(String... args) {
        CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.parseArgs(args);
        BenchCommand command = commandLine.getCommand();
        return command.nodeCount(command.redisSource());
    }

    private static void assertNodesRefused(String message, String... args) {
        assertThatThrownBy(() -> nodeCount(args)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining(message);
    }

    @Test
    void dryRunPrintsThePlanAndRunsNothing() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
                .execute("bench", "--quick", "--dry-run", "--impl", "naive-setnx");

        assertThat(code).isZero();
        assertThat(err.toString()).contains("quick profile, 1 implementations (naive-setnx)")
                .contains("contended sample, 4 threads, rtt 0, keys=[1, 16], hold=[100us]");
    }

    @Test
    void helpListsEveryOptionAndAnExample() {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("bench", "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--quick", "--full", "--impl", "--threads", "--redis", "--out",
                "--open-loop", "--rate", "--rtt", "--only", "--hold", "--keys", "--nodes", "lockbench bench --quick", "naive-setnx",
                "--keys 1 --hold 50ms");
    }

    private static BenchPlan plan(String... args) {
        CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.parseArgs(args);
        BenchCommand command = commandLine.getCommand();
        return command.plan(REGISTERED);
    }

    private static void assertUsageError(String message, String... args) {
        assertThatThrownBy(() -> plan(args)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining(message);
    }

    private static void assertExitTwo(String message, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
                .execute(args);
        assertThat(code).as("exit code of %s", List.of(args)).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }

    @Test
    void aClusterRunSkipsWhatCannotRunThereAndInjectsNoLatency() {
        BenchPlan plan = plan("--quick", "--redis", "redis-cluster://db1:7000,db2:7000");

        assertThat(plan.implementations()).containsExactly("jedis", "redisson");
        assertThat(plan.skipped()).containsOnlyKeys("naive-setnx", "redlock");
        assertThat(plan.rtts()).containsExactly(Duration.ZERO);
        assertUsageError("--rtt: a Redis Cluster run injects no latency", "--redis", "cluster", "--rtt", "0,500us");
        assertUsageError("--impl: none of [redlock] runs on a Redis Cluster", "--redis", "cluster", "--impl",
                "redlock");
        assertUsageError("--redis: Redis source 'redis-cluster://db1': expected host:port for each cluster node",
                "--redis", "redis-cluster://db1");
    }
}
