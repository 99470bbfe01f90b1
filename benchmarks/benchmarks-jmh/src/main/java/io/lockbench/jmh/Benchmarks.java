package io.lockbench.jmh;

import io.lockbench.api.Capability;
import io.lockbench.api.LockServices;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The JMH benchmarks the runner knows, by the names {@code --only} takes. */
public enum Benchmarks {
    /**
     * {@link BaselineBenchmark}: PING, the hand-written lock cycle and SET+DEL; always runs first (PING gives the
     * bound, the hand-written cycle the row every implementation is set beside).
     */
    BASELINE(BaselineBenchmark.class, false, "ping", "lockCycle", "setDel"),
    /** {@link UncontendedBenchmark}. */
    UNCONTENDED(UncontendedBenchmark.class, true, "cycle"),
    /** {@link ContendedBenchmark}. */
    CONTENDED(ContendedBenchmark.class, true, "cycle"),
    /** {@link HandoffBenchmark}. */
    HANDOFF(HandoffBenchmark.class, true, "handoff"),
    /** {@link ExtendBenchmark}. */
    EXTEND(ExtendBenchmark.class, true, "extend"),
    /** {@link AsyncBenchmark}: only implementations that declare {@link Capability#ASYNC}. */
    ASYNC(AsyncBenchmark.class, Capability.ASYNC, "cycle");

    private final Class<?> type;
    private final boolean perImplementation;
    private final Optional<Capability> requires;
    private final List<String> methods;

    Benchmarks(Class<?> type, boolean perImplementation, String... methods) {
        this(type, perImplementation, Optional.empty(), methods);
    }

    Benchmarks(Class<?> type, Capability requires, String... methods) {
        this(type, true, Optional.of(requires), methods);
    }

    Benchmarks(Class<?> type, boolean perImplementation, Optional<Capability> requires, String... methods) {
        this.type = type;
        this.perImplementation = perImplementation;
        this.requires = requires;
        this.methods = List.of(methods);
    }

    /**
     * The benchmark methods, a {@code @Group} counting as one under its group name.
     *
     * @return the method names
     */
    public List<String> methods() {
        return methods;
    }

    /**
     * The benchmark's name on the command line and in file names: {@code contended}.
     *
     * @return the id
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The JMH benchmark class.
     *
     * @return the class
     */
    public Class<?> type() {
        return type;
    }

    /**
     * Whether it runs once per lock implementation (all but the baseline, which runs per client library).
     *
     * @return true when it has the {@code impl} parameter
     */
    public boolean perImplementation() {
        return perImplementation;
    }

    /**
     * The capability an implementation must declare to run this benchmark.
     *
     * @return such as {@link Capability#ASYNC}; empty when every implementation runs it
     */
    public Optional<Capability> requires() {
        return requires;
    }

    /**
     * Whether a registered implementation runs this benchmark: it declares what the benchmark
     * {@linkplain #requires() requires}, as its provider says without connecting.
     *
     * @param implementation a registered name
     * @return true when it qualifies (always, for a benchmark that requires nothing)
     * @throws IllegalArgumentException when no provider has that name
     */
    public boolean runsOn(String implementation) {
        return requires.isEmpty() || LockServices.provider(implementation).capabilities().contains(requires.get());
    }

    /**
     * The benchmark of that name.
     *
     * @param id such as {@code contended}; case-insensitive
     * @return the benchmark
     * @throws IllegalArgumentException when there is none, listing the names
     */
    public static Benchmarks byId(String id) {
        for (Benchmarks benchmark : values()) {
            if (benchmark.id().equalsIgnoreCase(id.strip())) {
                return benchmark;
            }
        }
        throw new IllegalArgumentException("unknown benchmark '" + id + "'; known: " + ids());
    }

    /**
     * All names, comma-separated.
     *
     * @return {@code baseline, uncontended, ...}
     */
    public static String ids() {
        return Arrays.stream(values()).map(Benchmarks::id).collect(Collectors.joining(", "));
    }
}
