package io.lockbench.jmh;

import io.lockbench.api.Lease;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of a lock when nobody else wants it: each thread takes and releases its own key, one
 * {@code tryAcquire} and one {@code release} per operation, nothing held in between. Bound: threads /
 * (2 * RTT). Counts Redis commands per cycle, which shows what each implementation sends besides the two
 * scripts.
 *
 * <p>Run alone: {@code ./lockbench bench --only uncontended [--threads 1,4] [--impl jedis,redisson]}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
public class UncontendedBenchmark {

    /** One thread's own key. */
    @State(Scope.Thread)
    public static class OwnKey {
        private static final AtomicInteger THREADS = new AtomicInteger();
        private String key;

        /**
         * Names the key.
         *
         * @param locks the implementation under test
         */
        @Setup(Level.Trial)
        public void name(LockServiceState locks) {
            key = locks.key("own-" + THREADS.incrementAndGet());
        }
    }

    /**
     * Takes and releases this thread's key.
     *
     * @param locks the implementation under test
     * @param key this thread's key
     * @param counters sections and failures
     * @return whether the lock was taken
     */
    @Benchmark
    public boolean cycle(LockServiceState locks, OwnKey key, SectionCounters counters) {
        Optional<Lease> lease = locks.service().tryAcquire(key.key, LockServiceState.TTL);
        if (lease.isEmpty()) {
            counters.failed();
            return false;
        }
        counters.acquired();
        lease.get().release();
        return true;
    }
}
