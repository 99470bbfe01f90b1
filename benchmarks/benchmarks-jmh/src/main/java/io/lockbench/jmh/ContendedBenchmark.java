package io.lockbench.jmh;

import io.lockbench.api.Lease;
import io.lockbench.report.DurationLabel;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Threads competing for few keys: each operation picks one of {@code keys} keys at random, waits for it with
 * a blocking {@code acquire} (at most {@link LockServiceState#MAX_WAIT}), holds it for {@code hold}, and
 * releases it. This is where waiting strategies differ: pub/sub wake-up, polling, queues. Bound:
 * {@code min(keys, threads) / (2 * RTT + hold)}. The runner repeats it for 1, 4, 16 and 64 threads (JMH
 * takes one thread count per run). Counters: sections entered, acquires that gave up, Redis commands per
 * section. On a Redis Cluster the keys are spread over the masters round-robin
 * ({@link LockServiceState#spreadKey}), so 16 keys load every master and 1 key loads one.
 *
 * <p>Run alone: {@code ./lockbench bench --only contended [--threads 4,16] [--impl redisson,jedis]}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@State(Scope.Benchmark)
public class ContendedBenchmark {

    /** How many keys the threads share. */
    @Param({"1", "16"})
    public int keys;

    /** How long each section holds its key, such as {@code 0}, {@code 100us} or {@code 1ms}. */
    @Param({"0", "100us", "1ms"})
    public String hold;

    private String[] keyNames;
    private long holdNanos;

    /**
     * Names the keys.
     *
     * @param locks the implementation under test
     */
    @Setup(Level.Trial)
    public void nameKeys(LockServiceState locks) {
        holdNanos = DurationLabel.parse(hold).toNanos();
        keyNames = new String[keys];
        for (int i = 0; i < keys; i++) {
            keyNames[i] = locks.spreadKey("contended-", i);
        }
    }

    /**
     * Takes a random key of the set, holds it, releases it.
     *
     * @param locks the implementation under test
     * @param counters sections and failures
     * @return whether the lock was taken
     */
    @Benchmark
    public boolean cycle(LockServiceState locks, SectionCounters counters) {
        String key = keyNames[ThreadLocalRandom.current().nextInt(keyNames.length)];
        Optional<Lease> lease = locks.acquire(key);
        if (lease.isEmpty()) {
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            counters.failed();
            return false;
        }
        counters.acquired();
        Hold.hold(holdNanos);
        lease.get().release();
        return true;
    }
}
