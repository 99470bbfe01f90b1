package io.lockbench.jmh;

import io.lockbench.api.Lease;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of keeping a lock: each thread holds its own lease and extends it (an owner-checked
 * compare-and-pexpire, one round trip for single-node implementations) as fast as it can; what a watchdog
 * pays per renewal. Bound: threads / RTT.
 *
 * <p>Run alone: {@code ./lockbench bench --only extend [--impl jedis,naive-pexpire]}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
public class ExtendBenchmark {

    /** One thread's held lease, taken before and released after each iteration. */
    @State(Scope.Thread)
    public static class HeldLease {
        private static final AtomicInteger THREADS = new AtomicInteger();
        private String key;
        private Lease lease;

        /**
         * Takes the lease (in the benchmark thread: some implementations tie ownership to the thread).
         *
         * @param locks the implementation under test
         */
        @Setup(Level.Iteration)
        public void take(LockServiceState locks) {
            if (key == null) {
                key = locks.key("extend-" + THREADS.incrementAndGet());
            }
            lease = locks.service().tryAcquire(key, LockServiceState.TTL).orElseThrow(() ->
                    new IllegalStateException(locks.impl + ": could not take the uncontended key " + key));
        }

        /** Releases the lease. */
        @TearDown(Level.Iteration)
        public void release() {
            lease.close();
        }
    }

    /**
     * Extends this thread's lease by the full ttl.
     *
     * @param held this thread's lease
     * @return whether the server confirmed the extension
     */
    @Benchmark
    public boolean extend(HeldLease held) {
        return held.lease.extend(LockServiceState.TTL);
    }
}
