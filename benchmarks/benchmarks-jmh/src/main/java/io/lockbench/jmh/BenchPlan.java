package io.lockbench.jmh;

import io.lockbench.report.DurationLabel;
import io.lockbench.api.Capability;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;

/**
 * Everything one {@code lockbench bench} run will do, decided before anything starts: the JMH steps in
 * order (grouped by injected latency, baseline first in each group), and the open-loop sweep if asked for.
 *
 * @param profile the profile the matrix comes from
 * @param settings JMH iterations
 * @param implementations the lock implementations, by registered name
 * @param rtts injected round-trip latencies, in run order
 * @param steps the JMH runs, in order
 * @param openLoop the open-loop sweep, when asked for
 * @param skipped implementations asked for that do not run, each with the reason (in a Redis Cluster run, those
 *     that do not declare {@link Capability#CLUSTER}); empty when all run
 */
public record BenchPlan(Profile profile, RunSettings settings, List<String> implementations, List<Duration> rtts,
                        List<BenchStep> steps, Optional<OpenLoop.Settings> openLoop, Map<String, String> skipped) {

    /** The injected latencies a run uses unless told otherwise: none, and half a millisecond. */
    public static final List<Duration> DEFAULT_RTTS = List.of(Duration.ZERO, Duration.ofNanos(500_000));

    private static final Map<String, List<String>> CLIENTS = Map.of("client",
            List.of(RoundTripClient.JEDIS, RoundTripClient.LETTUCE));

    /**
     * @throws IllegalArgumentException when there are no implementations or latencies, or a latency repeats
     */
    public BenchPlan {
        implementations = List.copyOf(implementations);
        rtts = List.copyOf(rtts);
        steps = List.copyOf(steps);
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        if (implementations.isEmpty()) {
            throw new IllegalArgumentException("implementations: at least one is needed");
        }
        if (rtts.isEmpty() || Set.copyOf(rtts).size() != rtts.size()) {
            throw new IllegalArgumentException("rtts: at least one, none twice; got " + rtts);
        }
    }

    /**
     * A plan where every implementation asked for runs.
     *
     * @param profile the profile the matrix comes from
     * @param settings JMH iterations
     * @param implementations the lock implementations, by registered name
     * @param rtts injected round-trip latencies, in run order
     * @param steps the JMH runs, in order
     * @param openLoop the open-loop sweep, when asked for
     */
    public BenchPlan(Profile profile, RunSettings settings, List<String> implementations, List<Duration> rtts,
                     List<BenchStep> steps, Optional<OpenLoop.Settings> openLoop) {
        this(profile, settings, implementations, rtts, steps, openLoop, Map.of());
    }

    /**
     * This plan for a Redis Cluster: the same steps, run only by the implementations that declare
     * {@link Capability#CLUSTER}; the others are {@linkplain #skipped() skipped} with their provider's
     * {@linkplain io.lockbench.api.LockServiceProvider#clusterUnsupportedReason() reason}, and a benchmark no
     * remaining implementation runs is dropped. Every benchmark runs on a cluster: the baseline on the first
     * master, the contended one with its keys spread over the masters.
     *
     * @return the cluster plan
     * @throws IllegalArgumentException when a latency is injected (a cluster client connects to the addresses in
     *     the slot map, past any proxy) or no implementation of the plan runs on a cluster, saying why each does not
     */
    public BenchPlan onCluster() {
        if (rtts.stream().anyMatch(rtt -> !rtt.isZero())) {
            throw new IllegalArgumentException("rtts: a Redis Cluster run injects no latency (its clients connect to"
                    + " the addresses in the slot map, past any proxy); got " + rtts.stream()
                    .map(DurationLabel::format).toList());
        }
        Map<String, String> notOnCluster = new LinkedHashMap<>(skipped);
        List<String> kept = new ArrayList<>();
        for (String impl : implementations) {
            LockServiceProvider provider = LockServices.provider(impl);
            if (provider.capabilities().contains(Capability.CLUSTER)) {
                kept.add(impl);
            } else {
                notOnCluster.put(impl, "not on a Redis Cluster: " + provider.clusterUnsupportedReason());
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("implementations: none of " + implementations + " runs on a Redis"
                    + " Cluster (" + notOnCluster.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("; ")) + ")");
        }
        List<BenchStep> clusterSteps = new ArrayList<>();
        for (BenchStep step : steps) {
            if (!step.benchmark().perImplementation()) {
                clusterSteps.add(step);
                continue;
            }
            List<String> runs = step.implementations().stream().filter(kept::contains).toList();
            if (!runs.isEmpty()) {
                clusterSteps.add(step.withImplementations(runs));
            }
        }
        return new BenchPlan(profile, settings, kept, rtts, clusterSteps, openLoop, notOnCluster);
    }

    /**
     * Plans a JMH run.
     *
     * @param profile the matrix and iterations
     * @param settings JMH iterations, usually {@code profile.settings()} (tests use tiny ones)
     * @param implementations registered names; at least one
     * @param threads thread counts for the uncontended and contended benchmarks, or empty for the profile's
     * @param rtts injected latencies, or empty for {@link #DEFAULT_RTTS}
     * @param only the benchmarks to run, or empty for all; the baseline always runs (it gives the bound). A
     *     benchmark that {@linkplain Benchmarks#requires() requires} a capability runs on the implementations
     *     that declare it, and not at all when none does
     * @return the plan
     */
    public static BenchPlan jmh(Profile profile, RunSettings settings, List<String> implementations,
                                List<Integer> threads, List<Duration> rtts, Set<Benchmarks> only) {
        return jmh(profile, settings, implementations, threads, rtts, only, List.of(), List.of());
    }

    /**
     * Plans a JMH run whose contended benchmark takes the given shape, such as the published redlock4j
     * comparison's: 5 threads, one key, 50 ms held.
     *
     * @param profile the matrix and iterations
     * @param settings JMH iterations
     * @param implementations registered names; at least one
     * @param threads thread counts for the uncontended and contended benchmarks, or empty for the profile's
     * @param rtts injected latencies, or empty for {@link #DEFAULT_RTTS}
     * @param only the benchmarks to run, or empty for all
     * @param keys the contended benchmark's key counts ({@link ContendedBenchmark#keys}), or empty for the
     *     profile's
     * @param holds its hold times ({@link ContendedBenchmark#hold}), or empty for the profile's
     * @return the plan
     */
    public static BenchPlan jmh(Profile profile, RunSettings settings, List<String> implementations,
                                List<Integer> threads, List<Duration> rtts, Set<Benchmarks> only,
                                List<Integer> keys, List<Duration> holds) {
        List<Duration> latencies = rtts.isEmpty() ? DEFAULT_RTTS : rtts;
        Set<Benchmarks> selected = only.isEmpty() ? EnumSet.allOf(Benchmarks.class) : EnumSet.copyOf(only);
        List<BenchStep> steps = new ArrayList<>();
        for (Duration rtt : latencies) {
            boolean everything = rtt.equals(latencies.get(0)) || profile.everythingAtEveryRtt();
            List<String> baselineMethods = profile == Profile.QUICK || !selected.contains(Benchmarks.BASELINE)
                    ? List.of("ping", "lockCycle") : Benchmarks.BASELINE.methods();
            for (String method : baselineMethods) {
                for (Mode mode : profile.modes()) {
                    steps.add(new BenchStep(Benchmarks.BASELINE, method, mode, 1, rtt, CLIENTS, List.of()));
                }
            }
            if (selected.contains(Benchmarks.UNCONTENDED)) {
                for (int count : threads.isEmpty() ? profile.uncontendedThreads() : threads) {
                    addModes(steps, profile, Benchmarks.UNCONTENDED, count, rtt, Map.of(), implementations);
                }
            }
            if (!everything) {
                continue;
            }
            if (selected.contains(Benchmarks.CONTENDED)) {
                Map<String, List<String>> params = new LinkedHashMap<>();
                params.put("keys", keys.isEmpty() ? profile.keys() : keys.stream().map(String::valueOf).toList());
                params.put("hold", holds.isEmpty() ? profile.holds() : holds.stream().map(DurationLabel::format).toList());
                for (int count : threads.isEmpty() ? profile.contendedThreads() : threads) {
                    addModes(steps, profile, Benchmarks.CONTENDED, count, rtt, params, implementations);
                }
            }
            if (selected.contains(Benchmarks.HANDOFF)) {
                // One holder-waiter pair; the handoff time comes from counters, so throughput mode suffices.
                steps.add(new BenchStep(Benchmarks.HANDOFF, "handoff", Mode.Throughput, 2, rtt, Map.of(),
                        implementations));
            }
            if (selected.contains(Benchmarks.EXTEND)) {
                addModes(steps, profile, Benchmarks.EXTEND, 1, rtt, Map.of(), implementations);
            }
            List<String> async = selected.contains(Benchmarks.ASYNC)
                    ? implementations.stream().filter(Benchmarks.ASYNC::runsOn).toList() : List.of();
            if (!async.isEmpty()) {
                // One thread keeps the requests in flight; a sample would time the wait for whichever completes
                // next, not a section, so throughput mode only.
                Map<String, List<String>> params = new LinkedHashMap<>();
                params.put("keys", profile.keys());
                params.put("inFlight", List.of(Integer.toString(AsyncBenchmark.IN_FLIGHT)));
                steps.add(new BenchStep(Benchmarks.ASYNC, "cycle", Mode.Throughput, 1, rtt, params, async));
            }
        }
        return new BenchPlan(profile, settings, implementations, latencies, steps, Optional.empty());
    }

    /**
     * Plans an open-loop run: the single-thread PING baseline at each latency (it gives the bound the default
     * rates are fractions of), then the open-loop sweep.
     *
     * @param profile the profile whose iterations the baseline uses
     * @param implementations registered names; at least one
     * @param rtts injected latencies, or empty for {@link #DEFAULT_RTTS}
     * @param openLoop rates, durations and workers
     * @return the plan
     */
    public static BenchPlan openLoop(Profile profile, List<String> implementations, List<Duration> rtts,
                                     OpenLoop.Settings openLoop) {
        List<Duration> latencies = rtts.isEmpty() ? DEFAULT_RTTS : rtts;
        List<BenchStep> steps = new ArrayList<>();
        for (Duration rtt : latencies) {
            steps.add(new BenchStep(Benchmarks.BASELINE, "ping", Mode.SampleTime, 1, rtt, CLIENTS, List.of()));
        }
        return new BenchPlan(profile, profile.settings(), implementations, latencies, steps, Optional.of(openLoop));
    }

    /**
     * JMH cases in the whole plan, for the progress line.
     *
     * @return the count
     */
    public int totalCases() {
        int jmh = steps.stream().mapToInt(BenchStep::cases).sum();
        return jmh + openLoop.map(loop -> loop.cases(implementations.size(), rtts.size())).orElse(0);
    }

    /**
     * About how long the plan takes.
     *
     * @return the estimate
     */
    public Duration estimate() {
        int jmhCases = steps.stream().mapToInt(BenchStep::cases).sum();
        Duration jmh = settings.estimatePerCase().multipliedBy(jmhCases);
        return openLoop.map(loop -> jmh.plus(loop.estimate(implementations.size(), rtts.size()))).orElse(jmh);
    }

    /**
     * The steps at one injected latency, in run order.
     *
     * @param rtt the latency
     * @return its steps
     */
    public List<BenchStep> steps(Duration rtt) {
        return steps.stream().filter(step -> step.rtt().equals(rtt)).toList();
    }

    private static void addModes(List<BenchStep> steps, Profile profile, Benchmarks benchmark, int threads,
                                 Duration rtt, Map<String, List<String>> params, List<String> implementations) {
        for (Mode mode : profile.modes()) {
            steps.add(new BenchStep(benchmark, benchmark.methods().get(0), mode, threads, rtt, params,
                    implementations));
        }
    }
}
