package io.lockbench.jmh;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.annotations.Mode;

/**
 * How much a run measures. Each profile fixes the JMH iterations and the benchmark matrix; thread counts and
 * injected latencies can be overridden on the command line.
 */
public enum Profile {
    /**
     * Every implementation in a few minutes on two cores: one short fork per case, sample time only (the
     * throughput is derived from it, threads / mean time per operation), contention at 4 threads with 100 µs
     * holds, injected latency only for the baseline and the uncontended cycle.
     */
    QUICK(new RunSettings(1, 1, Duration.ofMillis(500), 1, Duration.ofSeconds(2)), List.of(Mode.SampleTime),
            List.of(1), List.of(4), List.of("1", "16"), List.of("100us"), false),
    /** The whole matrix at 1, 4 and 16 threads with short iterations: about an hour for six implementations. */
    STANDARD(new RunSettings(1, 2, Duration.ofSeconds(1), 3, Duration.ofSeconds(1)),
            List.of(Mode.Throughput, Mode.SampleTime),
            List.of(1, 4), List.of(1, 4, 16), List.of("1", "16"), List.of("0", "100us", "1ms"), true),
    /** The whole matrix at 1, 4, 16 and 64 threads, two forks, longer iterations: several hours. */
    FULL(new RunSettings(2, 3, Duration.ofSeconds(2), 5, Duration.ofSeconds(2)),
            List.of(Mode.Throughput, Mode.SampleTime),
            List.of(1, 4, 16), List.of(1, 4, 16, 64), List.of("1", "16"), List.of("0", "100us", "1ms"), true);

    private final RunSettings settings;
    private final List<Mode> modes;
    private final List<Integer> uncontendedThreads;
    private final List<Integer> contendedThreads;
    private final List<String> keys;
    private final List<String> holds;
    private final boolean everythingAtEveryRtt;

    Profile(RunSettings settings, List<Mode> modes, List<Integer> uncontendedThreads, List<Integer> contendedThreads,
            List<String> keys, List<String> holds, boolean everythingAtEveryRtt) {
        this.settings = settings;
        this.modes = modes;
        this.uncontendedThreads = uncontendedThreads;
        this.contendedThreads = contendedThreads;
        this.keys = keys;
        this.holds = holds;
        this.everythingAtEveryRtt = everythingAtEveryRtt;
    }

    /**
     * The JMH iterations.
     *
     * @return forks, warmup and measurement
     */
    public RunSettings settings() {
        return settings;
    }

    /** @return the JMH modes every benchmark but the handoff runs in */
    List<Mode> modes() {
        return modes;
    }

    /** @return thread counts of the uncontended benchmark unless overridden */
    List<Integer> uncontendedThreads() {
        return uncontendedThreads;
    }

    /** @return thread counts of the contended benchmark unless overridden */
    List<Integer> contendedThreads() {
        return contendedThreads;
    }

    /** @return the contended benchmark's key counts */
    List<String> keys() {
        return keys;
    }

    /** @return the contended benchmark's hold times */
    List<String> holds() {
        return holds;
    }

    /**
     * Whether every benchmark runs at every injected latency; otherwise only the baseline and the uncontended
     * cycle do, the rest at the first latency listed.
     *
     * @return true for the larger profiles
     */
    boolean everythingAtEveryRtt() {
        return everythingAtEveryRtt;
    }

    /**
     * The profile's name on the command line.
     *
     * @return {@code quick}, {@code standard} or {@code full}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
