package io.lockbench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a benchmark run ran on and with, written as {@code env.json} next to the raw results so that a
 * figure can always be traced to its machine, Redis, client versions and round-trip time.
 *
 * @param runId the run's id, the name of its results directory
 * @param startedAt when the run started, ISO-8601 UTC
 * @param command the command line that started it
 * @param cpu the processor
 * @param os the operating system
 * @param jvm the JVM that ran the benchmarks
 * @param redis the Redis servers
 * @param clientLibraries {@code groupId:artifactId} to version of the Redis clients and benchmark tools
 * @param rttMicros measured round-trip time in microseconds per injected-latency setting, the fastest client's;
 *     empty until measured
 * @param rttMicrosByClient the same per client library ({@code jedis}, {@code lettuce}): each implementation's
 *     bound is computed from its own client's round trip; empty until measured (absent from older runs)
 * @param git the source revision
 * @param implementations the lock implementations benchmarked
 * @param settings how the run was configured: profile, forks, iterations, threads
 */
public record RunEnvironment(String runId, String startedAt, String command, Cpu cpu, Os os, Jvm jvm, Redis redis,
                             Map<String, String> clientLibraries, Map<String, Double> rttMicros,
                             Map<String, Map<String, Double>> rttMicrosByClient, Git git,
                             List<String> implementations, Map<String, Object> settings) {

    /** Copies the collections, keeping their order (sorted where the order carries no meaning). */
    public RunEnvironment {
        clientLibraries = Collections.unmodifiableMap(new TreeMap<>(clientLibraries));
        rttMicros = Collections.unmodifiableMap(new TreeMap<>(rttMicros));
        Map<String, Map<String, Double>> byClient = new TreeMap<>();
        if (rttMicrosByClient != null) {
            rttMicrosByClient.forEach((rtt, clients) -> byClient.put(rtt, Collections.unmodifiableMap(
                    new TreeMap<>(clients))));
        }
        rttMicrosByClient = Collections.unmodifiableMap(byClient);
        implementations = List.copyOf(implementations);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * A copy with the measured round-trip times.
     *
     * @param roundTrips the round-trip times from the baseline
     * @return the new environment
     */
    public RunEnvironment withRoundTrips(RoundTrips roundTrips) {
        Map<String, Double> micros = new TreeMap<>();
        roundTrips.all().forEach((rtt, nanos) -> micros.put(rtt, micros(nanos)));
        Map<String, Map<String, Double>> byClient = new TreeMap<>();
        roundTrips.byClient().forEach((rtt, clients) -> clients.forEach((client, nanos) -> byClient
                .computeIfAbsent(rtt, key -> new TreeMap<>()).put(client, micros(nanos))));
        return new RunEnvironment(runId, startedAt, command, cpu, os, jvm, redis, clientLibraries, micros, byClient,
                git, implementations, settings);
    }

    /** Nanoseconds to microseconds with two decimals. */
    private static double micros(double nanos) {
        return Math.round(nanos / 10.0) / 100.0;
    }

    /**
     * Where the figures were measured, in one line for chart subtitles and table headings: machine, Redis,
     * measured round trip and commit.
     *
     * @return such as {@code AMD EPYC, 2 cores · Redis 7.0.15 · RTT 61.5 µs · commit a256972}
     */
    public String where() {
        List<String> parts = new ArrayList<>();
        if (cpu != null) {
            parts.add(cpu.model() + ", " + cpu.cores() + " cores");
        }
        if (redis != null) {
            parts.add("Redis " + redis.version() + (redis.topology() == null ? "" : " (" + redis.topology() + ")"));
        }
        if (rttMicros != null && !rttMicros.isEmpty()) {
            List<String> rtts = new ArrayList<>();
            rttMicros.forEach((rtt, micros) -> rtts.add(String.format(Locale.ROOT, "%.1f µs", micros)
                    + (rtt.equals("0") ? "" : " (" + rtt + " injected)")));
            parts.add("PING RTT " + String.join(", ", rtts));
        }
        if (git != null && git.commit() != null) {
            parts.add("commit " + git.commit().substring(0, Math.min(7, git.commit().length())));
        }
        return String.join(" · ", parts);
    }

    /**
     * The processor.
     *
     * @param model the model name from {@code /proc/cpuinfo}, or the architecture when unknown
     * @param cores processors available to the JVM
     */
    public record Cpu(String model, int cores) {
    }

    /**
     * The operating system.
     *
     * @param name such as {@code Linux}
     * @param version the kernel version
     * @param arch such as {@code amd64}
     */
    public record Os(String name, String version, String arch) {
    }

    /**
     * The JVM.
     *
     * @param name the VM name
     * @param vendor the vendor
     * @param version the full version
     */
    public record Jvm(String name, String vendor, String version) {
    }

    /**
     * The Redis servers.
     *
     * @param version {@code redis_version} of the first server
     * @param source where the servers came from, as lock-fixture's {@code RedisSource} describes it
     * @param nodes how many servers were started
     * @param cpuPinning which CPUs the servers and the benchmark JVMs were pinned to, or why they were not
     * @param topology how the servers relate, such as {@code Redis Cluster, 3 masters}; null for independent
     *     servers (and in an {@code env.json} written before it was recorded)
     */
    public record Redis(String version, String source, int nodes, String cpuPinning, String topology) {

        /**
         * Independent servers.
         *
         * @param version {@code redis_version} of the first server
         * @param source where the servers came from
         * @param nodes how many servers were started
         * @param cpuPinning which CPUs were pinned, or why not
         */
        public Redis(String version, String source, int nodes, String cpuPinning) {
            this(version, source, nodes, cpuPinning, null);
        }
    }

    /**
     * The source revision.
     *
     * @param commit {@code git rev-parse HEAD}, or {@code unknown}
     * @param dirty whether tracked files had uncommitted changes; null when unknown
     */
    public record Git(String commit, Boolean dirty) {
    }
}
