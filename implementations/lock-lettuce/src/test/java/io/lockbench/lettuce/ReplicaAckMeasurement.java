package io.lockbench.lettuce;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReplicationNotAcknowledgedException;
import io.lockbench.core.LockKeys;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisSentinel;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

/**
 * Not a test: the figures for replica acknowledgement through Sentinel, printed. Its name matches neither
 * *Test nor *IT, so {@code verify} does not run it. Run it with
 * <pre>{@code
 * ./mvnw -B -o -pl implementations/lock-lettuce -am verify -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=none -Dit.test=ReplicaAckMeasurement
 * }</pre>
 * <ol>
 *   <li>Cost: microseconds per tryAcquire + release cycle on fresh keys, one thread, through a
 *       {@code redis-sentinel://} node, without and with {@code WAIT 1 1000}, alternating rounds.</li>
 *   <li>Failover, replica keeping up: four threads take locks on fresh keys while the primary is SIGKILLed;
 *       after the promotion a second service tries every key that had been granted. A success is a lock with
 *       two holders.</li>
 *   <li>Failover, replica lagging: the replica is SIGSTOPped, 32 MB of filler fill the replication stream's
 *       socket buffers, one lock is taken, the primary is SIGKILLed and the replica resumed; after the
 *       promotion a second service tries the lock. Without acknowledgement the lock was granted and is missing
 *       on the promoted replica (two holders); with it the acquire fails after its 300 ms WAIT.</li>
 * </ol>
 */
class ReplicaAckMeasurement {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final int CYCLES = 3_000;
    private static final int ROUNDS = 7;
    private static final int TRIALS = 3;
    private static final int THREADS = 4;

    @Test
    void measure() throws Exception {
        try (RedisSentinel redis = RedisSentinel.start()) {
            cost(redis);
        }
        for (boolean ack : new boolean[] {false, true}) {
            long granted = 0;
            long twoHolders = 0;
            long refused = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                try (RedisSentinel redis = RedisSentinel.start()) {
                    long[] result = failover(redis, ack, trial);
                    granted += result[0];
                    twoHolders += result[1];
                    refused += result[2];
                }
            }
            System.out.printf("FAILOVER ack=%s trials=%d granted=%d two_holders=%d refused_unacked=%d%n",
                    ack ? "on" : "off", TRIALS, granted, twoHolders, refused);
        }
        for (boolean ack : new boolean[] {false, true}) {
            int twoHolders = 0;
            int refused = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                try (RedisSentinel redis = RedisSentinel.start()) {
                    String outcome = laggingFailover(redis, ack, trial);
                    twoHolders += "two-holders".equals(outcome) ? 1 : 0;
                    refused += "refused".equals(outcome) ? 1 : 0;
                }
            }
            System.out.printf("LAGGING ack=%s trials=%d two_holders=%d refused_unacked=%d%n", ack ? "on" : "off",
                    TRIALS, twoHolders, refused);
        }
    }

    /** @return two-holders, one-holder (the lock survived the failover), or refused (not acknowledged) */
    private static String laggingFailover(RedisSentinel redis, boolean ack, int trial) throws Exception {
        LockSettings settings = ack ? settings(redis).withReplicaAck(1, Duration.ofMillis(300)) : settings(redis);
        String key = "lagging:" + trial;
        String outcome;
        try (LockService first = new LettuceLockService(settings)) {
            first.tryAcquire("warm-up:" + trial, TTL).orElseThrow().release();
            RedisNode old = redis.currentPrimary();
            RedisNode replica = old == redis.primary() ? redis.replica() : redis.primary();
            HostAndPort oldAddress = new HostAndPort(old.host(), old.port());
            String filler = "x".repeat(1 << 20);
            replica.pause(Duration.ofSeconds(5));
            for (int i = 0; i < 32; i++) {
                String name = "filler:" + i;
                old.call(j -> j.set(name, filler));
            }
            Optional<Lease> lease;
            try {
                lease = first.tryAcquire(key, TTL);
            } catch (ReplicationNotAcknowledgedException e) {
                lease = Optional.empty();
            }
            boolean granted = lease.isPresent();
            old.kill();
            replica.resume();
            redis.awaitPrimaryOtherThan(oldAddress, Duration.ofSeconds(40));
            try (LockService second = new LettuceLockService(settings(redis))) {
                boolean again = tryUntilReachable(second, key).isPresent();
                outcome = granted ? (again ? "two-holders" : "one-holder") : "refused";
            }
        }
        System.out.printf("LAGGING trial=%d ack=%s outcome=%s%n", trial, ack ? "on" : "off", outcome);
        return outcome;
    }

    private static void cost(RedisSentinel redis) {
        LockSettings off = settings(redis);
        LockSettings on = off.withReplicaAck(1, Duration.ofSeconds(1));
        try (LockService plain = new LettuceLockService(off); LockService acked = new LettuceLockService(on)) {
            cycles(plain, "warm-off", CYCLES);
            cycles(acked, "warm-on", CYCLES);
            double[] offs = new double[ROUNDS];
            double[] ons = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                offs[round] = cycles(plain, "off-" + round, CYCLES);
                ons[round] = cycles(acked, "on-" + round, CYCLES);
                System.out.printf("COST round=%d cycles=%d ack_off_us_per_cycle=%.1f ack_on_us_per_cycle=%.1f%n",
                        round, CYCLES, offs[round], ons[round]);
            }
            Arrays.sort(offs);
            Arrays.sort(ons);
            System.out.printf("COST median of %d rounds: ack off %.1f us/cycle (%.0f cycles/s), ack on %.1f us/cycle "
                    + "(%.0f cycles/s)%n", ROUNDS, offs[ROUNDS / 2], 1e6 / offs[ROUNDS / 2], ons[ROUNDS / 2],
                    1e6 / ons[ROUNDS / 2]);
        }
    }

    private static double cycles(LockService service, String name, int cycles) {
        long start = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            service.tryAcquire("cost:" + name + ":" + i, TTL).orElseThrow().release();
        }
        return (System.nanoTime() - start) / 1_000.0 / cycles;
    }

    /** @return granted, granted again to a second service after the failover, refused for want of an ack */
    private static long[] failover(RedisSentinel redis, boolean ack, int trial) throws Exception {
        LockSettings settings = ack ? settings(redis).withReplicaAck(1, Duration.ofSeconds(1)) : settings(redis);
        ConcurrentLinkedQueue<String> granted = new ConcurrentLinkedQueue<>();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        try (LockService service = new LettuceLockService(settings)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    while (!stop.get()) {
                        String key = "failover:" + trial + ":" + next.incrementAndGet();
                        try {
                            service.tryAcquire(key, TTL).ifPresent(lease -> granted.add(lease.key()));
                        } catch (ReplicationNotAcknowledgedException e) {
                            refused.incrementAndGet();
                        } catch (LockBackendException | IllegalStateException e) {
                            // the primary is gone: this acquire was not granted
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            Thread.sleep(500);
            RedisNode old = redis.currentPrimary();
            HostAndPort oldAddress = new HostAndPort(old.host(), old.port());
            old.kill();
            Thread.sleep(200);
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            redis.awaitPrimaryOtherThan(oldAddress, Duration.ofSeconds(40));
        }
        RedisNode promoted = redis.currentPrimary();
        long missing = granted.stream().filter(key -> !promoted.<Boolean>call(j -> j.exists(LockKeys.of(key).lock())))
                .count();
        long twoHolders = 0;
        try (LockService second = new LettuceLockService(settings(redis))) {
            for (String key : granted) {
                Optional<Lease> again = tryUntilReachable(second, key);
                if (again.isPresent()) {
                    twoHolders++;
                }
            }
        }
        System.out.printf("FAILOVER trial=%d ack=%s granted=%d missing_on_promoted=%d two_holders=%d refused_unacked=%d%n",
                trial, ack ? "on" : "off", granted.size(), missing, twoHolders, refused.get());
        return new long[] {granted.size(), twoHolders, refused.get()};
    }

    private static Optional<Lease> tryUntilReachable(LockService service, String key) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return service.tryAcquire(key, TTL);
            } catch (LockBackendException e) {
                if (attempt > 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static LockSettings settings(RedisSentinel redis) {
        return new LockSettings(List.of(URI.create(redis.uri())), COMMAND_TIMEOUT);
    }
}
