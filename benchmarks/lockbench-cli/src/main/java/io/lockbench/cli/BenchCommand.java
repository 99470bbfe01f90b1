package io.lockbench.cli;

import io.lockbench.api.LockServices;
import io.lockbench.fixture.RedisSource;
import io.lockbench.jmh.BenchNodes;
import io.lockbench.jmh.BenchPlan;
import io.lockbench.jmh.Benchmarks;
import io.lockbench.jmh.LockServiceState;
import io.lockbench.jmh.OpenLoop;
import io.lockbench.jmh.Profile;
import io.lockbench.report.DurationLabel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code lockbench bench}: reads the options into a {@link BenchPlan} and hands it to {@link BenchRun}. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Benchmark every lock implementation on the classpath; print ops/s against the round-trip bound.",
        description = {
            "Benchmarks every lock implementation on the classpath with JMH: round-trip baseline, uncontended"
                + " cycle, contention (threads x keys x hold time), handoff to a waiter, extend, async acquires in"
                + " flight (on the implementations with an async API); each at injected"
                + " round-trip latencies. Starts its own Redis servers (or uses --redis) once per run, writes"
                + " <out>/<run-id>/raw/*.json (JMH JSON) and env.json, and prints a summary: ops/s, fraction of"
                + " the round-trip bound 1/(2*RTT + hold) per key (RTT of the implementation's own client library),"
                + " p50/p99/p99.9.",
            "",
            "Each case's fork records the PING round trip at its start and end, the load average and the CPU steal"
                + " (noise/*.jsonl); a case whose round trip drifted or that ran beside other load is flagged after"
                + " its step and in the summary, whose footnote gives the thresholds.",
            "",
            "Profiles: --quick (all implementations in a few minutes on 2 cores), the standard matrix when"
                + " neither flag is given (about an hour), --full (several hours). The plan and its estimate are"
                + " printed before anything runs; --dry-run stops there.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  lockbench bench --quick",
            "  lockbench bench --only contended --threads 4,16 --impl jedis,redisson",
            "  lockbench bench --only contended --threads 5 --keys 1 --hold 50ms   (the redlock4j comparison's shape)",
            "  lockbench bench --open-loop --rate 2000,4000,8000 --impl jedis",
            "  lockbench bench --quick --redis redis://db1:6379,redis://db2:6379,redis://db3:6379",
            "  lockbench bench --quick --redis cluster --only uncontended,contended",
            "  lockbench bench --redis redis-cluster://10.0.0.1:7000,10.0.0.2:7000 --impl jedis,lettuce",
            "",
            "Redis runs as separate processes; where taskset exists they are pinned to CPU 0 and the benchmark"
                + " JVMs to the other CPUs, so neither steals the other's core (--no-pin turns this off)."
        })
final class BenchCommand implements Callable<Integer> {

    /** The most keys the contended benchmark may share out, as many as the most threads. */
    private static final int MAX_KEYS = 1024;
    /** The most servers {@code --nodes} starts: enough for a Redlock of 9 on a machine of a few cores. */
    static final int MAX_NODES = 9;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true)
    private ProfileChoice profileChoice;

    @Option(names = "--impl", split = ",", paramLabel = "NAME",
            description = "Implementations to run, by registered name (default: every one on the classpath: ${COMPLETION-CANDIDATES}).",
            completionCandidates = RegisteredNames.class)
    private List<String> implementations = new ArrayList<>();

    @Option(names = "--only", split = ",", paramLabel = "BENCHMARK",
            description = "Benchmarks to run: baseline, uncontended, contended, handoff, extend, async (default: all;"
                    + " the PING baseline always runs, it gives the bound; async runs only on implementations with"
                    + " an async API).")
    private List<String> only = new ArrayList<>();

    @Option(names = "--threads", split = ",", paramLabel = "N",
            description = "Thread counts for the uncontended and contended benchmarks (default by profile: quick 1"
                    + " uncontended and 4 contended; standard 1,4 and 1,4,16; full 1,4,16 and 1,4,16,64).")
    private List<Integer> threads = new ArrayList<>();

    @Option(names = "--hold", split = ",", paramLabel = "DURATION",
            description = "Hold times for the contended benchmark, such as 0,100us,50ms (default by profile: quick"
                    + " 100us; standard and full 0,100us,1ms). Each shorter than the 1s a contended acquire waits.")
    private List<String> holds = new ArrayList<>();

    @Option(names = "--keys", split = ",", paramLabel = "N",
            description = "Key counts for the contended benchmark: how many keys its threads share (default by"
                    + " profile: 1,16).")
    private List<Integer> keys = new ArrayList<>();

    @Option(names = "--rtt", split = ",", paramLabel = "LATENCY",
            description = "Round-trip latencies to inject through a proxy, such as 0,500us,2ms (default: 0,500us;"
                    + " on a Redis Cluster 0 only). Loopback hides what a round trip costs in a data centre.")
    private List<String> rtts = new ArrayList<>();

    @Option(names = "--redis", paramLabel = "SOURCE",
            description = "Where the Redis servers come from: auto, embedded, path[:binary], docker[:image],"
                    + " redis://host:port[,...] (three for quorum locks; never flushed, the run's keys are deleted at"
                    + " the end), cluster (a 3-master Redis Cluster lockbench starts and stops), or"
                    + " redis-cluster://host:port[,...] (your Redis Cluster, any master as seed; never flushed, the"
                    + " run's keys are deleted at the end). On a cluster only the implementations that support"
                    + " Redis Cluster run (the plan names the others and why not), every benchmark runs, the contended"
                    + " keys are spread over the masters, the baseline runs on the first master, commands are counted"
                    + " on every master, and no latency is injected (--rtt 0 only)."
                    + " Default: $LOCKBENCH_REDIS or auto.")
    private String redis;

    @Option(names = "--nodes", paramLabel = "N",
            description = "How many independent Redis servers the quorum implementation (redlock) runs on: 3 by"
                    + " default, 5 for the usual Redlock deployment, at most " + MAX_NODES + ". lockbench starts that"
                    + " many; with redis:// URIs, the first N listed are used. The other implementations use the"
                    + " first server. Not on a Redis Cluster.")
    private Integer nodes;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory; each run gets <DIR>/<run-id>/ (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--open-loop",
            description = "Instead of the JMH matrix: acquire latency at fixed offered rates, measured from each"
                    + " intended start (HdrHistogram), so queueing is not hidden (coordinated omission).")
    private boolean openLoop;

    @Option(names = "--rate", split = ",", paramLabel = "PER_SECOND",
            description = "Offered rates for --open-loop (default: 0.25 to 1.5 times the bound on one key).")
    private List<Double> rates = new ArrayList<>();

    @Option(names = "--no-pin", description = "Do not pin Redis and the benchmark JVMs to separate CPUs.")
    private boolean noPin;

    @Option(names = "--dry-run", description = "Print the plan and its time estimate, run nothing.")
    private boolean dryRun;

    /** Which profile; at most one flag. */
    static final class ProfileChoice {
        @Option(names = "--quick", required = true,
                description = "All implementations in about 3 to 5 minutes on 2 cores: short iterations, reduced matrix.")
        boolean quick;

        @Option(names = "--full", required = true,
                description = "The whole matrix with 2 forks and longer iterations: several hours.")
        boolean full;
    }

    /** The registered names, for the help text. */
    static final class RegisteredNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return LockServices.names().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        BenchPlan plan = plan(LockServices.names());
        RedisSource source = redisSource();
        return new BenchRun(plan, source, nodeCount(source), out, !noPin, "lockbench " + String.join(" ",
                spec.commandLine().getParseResult().originalArgs()), spec.commandLine().getOut(),
                spec.commandLine().getErr()).execute(dryRun);
    }

    /**
     * The plan these options describe; on a Redis Cluster ({@code --redis cluster} or
     * {@code redis-cluster://}) without the implementations that do not run there ({@link BenchPlan#onCluster()}).
     *
     * @param registered the implementations on the classpath
     * @return the plan
     * @throws ParameterException for an option value that makes no sense, saying which
     */
    BenchPlan plan(List<String> registered) {
        BenchPlan plan = plan(registered, onCluster());
        if (!onCluster()) {
            return plan;
        }
        try {
            return plan.onCluster();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw usage(message.startsWith("rtts: ") ? "--rtt: " + message.substring("rtts: ".length())
                    : "--impl: " + message.replaceFirst("^implementations: ", ""));
        }
    }

    private BenchPlan plan(List<String> registered, boolean cluster) {
        Profile profile = profile();
        List<String> chosen = implementations(registered);
        List<Duration> latencies = latencies();
        if (cluster && latencies.isEmpty()) {
            latencies = List.of(Duration.ZERO);
        }
        for (int count : threads) {
            if (count < 1 || count > 1024) {
                throw usage("--threads: each count must be between 1 and 1024, got " + count);
            }
        }
        if (!rates.isEmpty() && !openLoop) {
            throw usage("--rate needs --open-loop");
        }
        List<Duration> holdTimes = holdTimes();
        List<Integer> keyCounts = keyCounts();
        if ((!holdTimes.isEmpty() || !keyCounts.isEmpty()) && !benchmarks().isEmpty()
                && !benchmarks().contains(Benchmarks.CONTENDED)) {
            throw usage("--hold and --keys shape the contended benchmark, which --only leaves out");
        }
        if (openLoop) {
            if (!only.isEmpty() || !threads.isEmpty() || !holdTimes.isEmpty() || !keyCounts.isEmpty()) {
                throw usage("--open-loop runs the open-loop sweep only; --only, --threads, --hold and --keys do not"
                        + " apply");
            }
            for (double rate : rates) {
                if (!(rate > 0) || Double.isInfinite(rate)) {
                    throw usage("--rate: each rate must be a positive number per second, got " + rate);
                }
            }
            return BenchPlan.openLoop(profile, chosen, latencies, openLoopSettings(profile));
        }
        Set<Benchmarks> selected = benchmarks();
        for (Benchmarks benchmark : selected) {
            if (chosen.stream().noneMatch(benchmark::runsOn)) {
                List<String> able = registered.stream().filter(benchmark::runsOn).toList();
                throw usage("--only " + benchmark.id() + ": needs an implementation that declares "
                        + benchmark.requires().orElseThrow() + "; none of " + String.join(", ", chosen) + " does ("
                        + (able.isEmpty() ? "no registered implementation does" : "registered ones that do: "
                        + String.join(", ", able)) + ")");
            }
        }
        return BenchPlan.jmh(profile, profile.settings(), chosen, threads, latencies, selected, keyCounts, holdTimes);
    }

    private List<Duration> holdTimes() {
        List<Duration> parsed = new ArrayList<>();
        for (String label : holds) {
            Duration hold;
            try {
                hold = DurationLabel.parse(label);
            } catch (IllegalArgumentException e) {
                throw usage("--hold: " + e.getMessage());
            }
            if (parsed.contains(hold)) {
                throw usage("--hold: " + label + " is listed twice");
            }
            if (hold.compareTo(LockServiceState.MAX_WAIT) >= 0) {
                throw usage("--hold: each must be shorter than the " + DurationLabel.format(LockServiceState.MAX_WAIT)
                        + " a contended acquire waits, got " + label);
            }
            parsed.add(hold);
        }
        return parsed;
    }

    private List<Integer> keyCounts() {
        for (int count : keys) {
            if (count < 1 || count > MAX_KEYS) {
                throw usage("--keys: each count must be between 1 and " + MAX_KEYS + ", got " + count);
            }
        }
        if (Set.copyOf(keys).size() != keys.size()) {
            throw usage("--keys: a count is listed twice, got " + keys);
        }
        return List.copyOf(keys);
    }

    private Profile profile() {
        if (profileChoice == null) {
            return Profile.STANDARD;
        }
        return profileChoice.quick ? Profile.QUICK : Profile.FULL;
    }

    private List<String> implementations(List<String> registered) {
        if (registered.isEmpty()) {
            throw usage("No lock implementation is on the classpath (none registered as a LockServiceProvider)");
        }
        if (implementations.isEmpty()) {
            return registered;
        }
        return ImplOption.chosen(implementations, registered, spec);
    }

    private List<Duration> latencies() {
        List<Duration> latencies = new ArrayList<>();
        for (String label : rtts) {
            Duration rtt;
            try {
                rtt = DurationLabel.parse(label);
            } catch (IllegalArgumentException e) {
                throw usage("--rtt: " + e.getMessage());
            }
            if (latencies.contains(rtt)) {
                throw usage("--rtt: " + label + " is listed twice");
            }
            if (rtt.compareTo(Duration.ofSeconds(1)) > 0) {
                throw usage("--rtt: at most 1s, got " + label);
            }
            latencies.add(rtt);
        }
        return latencies;
    }

    private Set<Benchmarks> benchmarks() {
        Set<Benchmarks> selected = EnumSet.noneOf(Benchmarks.class);
        for (String id : only) {
            try {
                selected.add(Benchmarks.byId(id));
            } catch (IllegalArgumentException e) {
                throw usage("--only: " + e.getMessage());
            }
        }
        return selected;
    }

    private OpenLoop.Settings openLoopSettings(Profile profile) {
        return switch (profile) {
            case QUICK -> new OpenLoop.Settings(rates, Duration.ofSeconds(1), Duration.ofSeconds(2), 16);
            case STANDARD -> new OpenLoop.Settings(rates, Duration.ofSeconds(2), Duration.ofSeconds(5), 16);
            case FULL -> new OpenLoop.Settings(rates, Duration.ofSeconds(5), Duration.ofSeconds(10), 16);
        };
    }

    /**
     * How many servers the run uses: {@code --nodes}, or three (fewer when {@code redis://} URIs list fewer).
     *
     * @param source the servers' source
     * @return the count
     * @throws ParameterException when {@code --nodes} is out of range, given on a cluster, or asks for more
     *     servers than the URIs list
     */
    int nodeCount(RedisSource source) {
        int listed = source instanceof RedisSource.External external ? external.uris().size() : Integer.MAX_VALUE;
        if (nodes == null) {
            return Math.min(BenchNodes.QUORUM_NODES, listed);
        }
        if (nodes < 1 || nodes > MAX_NODES) {
            throw usage("--nodes: must be between 1 and " + MAX_NODES + ", got " + nodes);
        }
        if (source.isCluster()) {
            throw usage("--nodes: a Redis Cluster brings its own masters; --nodes applies to independent servers");
        }
        if (nodes > listed) {
            throw usage("--nodes " + nodes + ": --redis lists only " + listed + " server" + (listed == 1 ? "" : "s"));
        }
        return nodes;
    }

    /** Whether {@code --redis} (or its default) names a Redis Cluster. */
    private boolean onCluster() {
        return redisSource().isCluster();
    }

    RedisSource redisSource() {
        try {
            return redis == null ? RedisSource.fromEnvironment() : RedisSource.parse(redis);
        } catch (IllegalArgumentException e) {
            throw usage("--redis: " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
