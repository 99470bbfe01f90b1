package io.lockbench.jmh;

import io.lockbench.report.DurationLabel;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;

/**
 * One JMH run: one benchmark in one mode with one thread count and one injected latency, over the listed
 * implementations and parameter values. JMH takes one thread count per run, so the runner loops over thread
 * counts as steps.
 *
 * @param benchmark the benchmark, such as {@code contended} ({@link Benchmarks})
 * @param method the benchmark method (or {@code @Group} name), such as {@code cycle}
 * @param mode throughput or sample time
 * @param threads benchmark threads
 * @param rtt injected round-trip latency; zero for direct connections
 * @param params parameter values other than {@code impl} and {@code rtt}, such as {@code keys -> [1, 16]};
 *     a parameter not listed keeps the benchmark's defaults
 * @param implementations the lock implementations it runs ({@code impl}), by registered name: the plan's, less
 *     those without the capability the benchmark {@linkplain Benchmarks#requires() requires}; empty for the
 *     baseline, which runs per client library
 */
public record BenchStep(Benchmarks benchmark, String method, Mode mode, int threads, Duration rtt,
                        Map<String, List<String>> params, List<String> implementations) {

    /**
     * Copies the parameters and implementations.
     *
     * @throws IllegalArgumentException for a method the benchmark lacks, fewer than one thread, or implementations
     *     given to the baseline or missing for a benchmark that runs per implementation
     */
    public BenchStep {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        implementations = List.copyOf(implementations);
        if (benchmark.perImplementation() == implementations.isEmpty()) {
            throw new IllegalArgumentException("implementations: " + benchmark.id() + (benchmark.perImplementation()
                    ? " runs per implementation and needs at least one" : " runs per client library, not per"
                    + " implementation") + "; got " + implementations);
        }
        if (!benchmark.methods().contains(method)) {
            throw new IllegalArgumentException("method: " + benchmark.id() + " has " + benchmark.methods()
                    + ", not " + method);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: at least 1, got " + threads);
        }
    }

    /**
     * The same step over other implementations.
     *
     * @param others the implementations; see the record's description
     * @return the copy
     */
    public BenchStep withImplementations(List<String> others) {
        return new BenchStep(benchmark, method, mode, threads, rtt, params, others);
    }

    /**
     * A name for the step's raw result file: {@code contended-thrpt-t4-rtt0}.
     *
     * @return the id
     */
    public String id() {
        return name() + "-" + mode.shortLabel() + "-t" + threads + "-rtt" + DurationLabel.format(rtt);
    }

    /**
     * The benchmark's id, with the method when the benchmark has several: {@code baseline-ping}.
     *
     * @return the name
     */
    public String name() {
        return benchmark.methods().size() > 1 ? benchmark.id() + "-" + method : benchmark.id();
    }

    /**
     * The JMH include pattern that selects exactly this method.
     *
     * @return a regular expression over benchmark names
     */
    public String includePattern() {
        return "^" + Pattern.quote(benchmark.type().getName() + "." + method) + "$";
    }

    /**
     * How many JMH cases the step runs: implementations times parameter combinations.
     *
     * @return the case count
     */
    public int cases() {
        int cases = benchmark.perImplementation() ? implementations.size() : 1;
        for (List<String> values : params.values()) {
            cases *= values.size();
        }
        return cases;
    }

    /**
     * The step for the progress line: {@code contended thrpt, 4 threads, rtt 0, keys=[1, 16]}; a benchmark that
     * runs only on some implementations names them: {@code async thrpt, 1 thread, rtt 0, ..., impl=[lettuce]}.
     *
     * @return a short description
     */
    public String describe() {
        StringBuilder text = new StringBuilder(name()).append(' ').append(mode.shortLabel())
                .append(String.format(Locale.ROOT, ", %d thread%s, rtt %s", threads, threads == 1 ? "" : "s",
                        DurationLabel.format(rtt)));
        params.forEach((name, values) -> text.append(", ").append(name).append('=').append(values));
        if (benchmark.requires().isPresent()) {
            text.append(", impl=").append(implementations);
        }
        return text.toString();
    }
}
