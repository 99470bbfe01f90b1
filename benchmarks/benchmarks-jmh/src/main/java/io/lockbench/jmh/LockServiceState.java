package io.lockbench.jmh;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The lock implementation under test, shared by all benchmark threads: one {@link LockService} per trial,
 * created by name through {@link LockServices}, so every registered implementation is benchmarked without
 * code changes and result tables read {@code impl=jedis}, {@code impl=redisson}.
 *
 * <p>Every implementation gets all servers the runner started: single-node implementations use the first
 * ({@link LockSettings#firstNode()}), quorum implementations (Redlock) all of them; on a Redis Cluster it
 * gets the cluster's {@code redis-cluster://} address ({@link Endpoints#settings}). Around every iteration
 * it counts the commands the servers (every master of a cluster) executed, which {@link SectionCounters} turn
 * into commands per section.
 */
@State(Scope.Benchmark)
public class LockServiceState {

    /** The ttl of every lease the benchmarks take: far longer than any hold, so no lock expires while held. */
    public static final Duration TTL = Duration.ofSeconds(30);

    /** How long a blocking acquire waits at most, so that an iteration ends soon after JMH says stop. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(1);

    /** The implementation's registered name; the runner passes every registered name it benchmarks. */
    @Param({})
    public String impl;

    /** Injected round-trip latency: {@code 0} for direct connections, else through the runner's proxies. */
    @Param({})
    public String rtt;

    private LockService service;
    private String keyPrefix;
    private KeyPlacement placement;
    private RedisCommandCounter commands;
    private long commandsAtStart;
    private final LongAdder sections = new LongAdder();
    private volatile long iterationSections;
    private volatile double iterationCommandsPerSection;
    private Optional<NoiseProbe> noise = Optional.empty();

    /**
     * Connects the implementation to the runner's servers, then takes the trial's start noise figures.
     *
     * @param params the trial's benchmark and parameters, for its noise record
     */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        Endpoints endpoints = Endpoints.fromSystemProperty();
        keyPrefix = endpoints.keyPrefix() + "jmh:" + impl + ":"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ":";
        placement = KeyPlacement.of(endpoints);
        commands = new RedisCommandCounter(endpoints.direct());
        service = LockServices.create(impl, endpoints.settings(rtt));
        noise = NoiseProbe.start(params, NoiseProbe.clientOf(impl), endpoints.nodes(rtt).get(0));
    }

    /** Takes the trial's end noise figures, then closes the service; its leases are released or expire. */
    @TearDown(Level.Trial)
    public void close() {
        noise.ifPresent(NoiseProbe::finish);
        if (service != null) {
            service.close();
        }
        if (commands != null) {
            commands.close();
        }
    }

    /** Notes the servers' command count before the iteration. */
    @Setup(Level.Iteration)
    public void startCounting() {
        sections.reset();
        commandsAtStart = commands.total();
    }

    /**
     * Runs after every benchmark thread finished the iteration (JMH waits for all of them before tearing down
     * a shared state), so the counts are complete.
     */
    @TearDown(Level.Iteration)
    public void stopCounting() {
        long executed = commands.total() - commandsAtStart;
        long done = sections.sum();
        iterationSections = done;
        iterationCommandsPerSection = done == 0 ? 0 : (double) executed / done;
    }

    /**
     * The service under test.
     *
     * @return the service
     */
    public LockService service() {
        return service;
    }

    /**
     * A blocking acquire with the benchmarks' ttl and wait. JMH interrupts a thread only to end an iteration
     * that overran: the operation is given up (empty, interrupt flag kept), not the run.
     *
     * @param key the lock's key
     * @return the lease, or empty when the wait ran out or the thread was interrupted
     */
    public Optional<Lease> acquire(String key) {
        try {
            return service.acquire(key, TTL, MAX_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * A key of this trial: unique to the run, the implementation and the trial, so that nothing is left over
     * from an earlier benchmark.
     *
     * @param name the key's own part
     * @return the full key
     */
    public String key(String name) {
        return keyPrefix + name;
    }

    /**
     * Key number {@code i} of a set of this trial's keys, spread over the servers round-robin: on a Redis
     * Cluster key i lands on master {@code i mod masters}, so that a set of keys loads every master alike; on
     * independent servers it is {@link #key(String)} of {@code name + i}.
     *
     * @param name the set's own part
     * @param i the key's number, from 0
     * @return the full key
     */
    public String spreadKey(String name, int i) {
        return placement.on(i % placement.servers(), key(name + i), LockServices.provider(impl)::lockKey);
    }

    /** Counts one critical section for the commands-per-section figure. */
    void sectionDone() {
        sections.increment();
    }

    /**
     * One thread's share of the last iteration's commands per section, weighted by its share of the sections,
     * so that JMH's sum over threads gives the figure itself.
     *
     * @param threadSections the sections this thread completed in the iteration
     * @return its share
     */
    double commandsPerSectionShare(long threadSections) {
        long done = iterationSections;
        return done == 0 ? 0 : iterationCommandsPerSection * threadSections / done;
    }
}
