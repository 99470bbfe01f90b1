package io.lockbench.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.core.LockKeys;
import io.lockbench.testkit.Await;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, behaviour 3.4: interrupts never leak a lock. 16 threads contend for 4 keys (ttl 30 s, so a leaked
 * lock would stay for the whole test) while one thread interrupts the others every 2 ms for 3 s. Every lease
 * a caller gets is released; when all callers have ended, no lock key may remain. Before the fix, 1 to 2 of
 * the 4 keys stayed held: an interrupt that arrived as the acquire completed dropped its lease.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LettuceInterruptsIT {

    private static final Logger LOG = LoggerFactory.getLogger(LettuceInterruptsIT.class);
    private static final int THREADS = 16;
    private static final int KEYS = 4;
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration STORM = Duration.ofSeconds(3);
    private static final long INTERRUPT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    @Test
    void interruptsDuringAcquiresLeaveNoLockBehind() throws Exception {
        try (RedisNodes nodes = RedisNodes.start(1);
             LettuceLockService service = new LettuceLockService(nodes.settings())) {
            List<String> keys = IntStream.range(0, KEYS).mapToObj(i -> nodes.keyPrefix() + "interrupts:" + i).toList();
            AtomicBoolean storm = new AtomicBoolean(true);
            AtomicLong granted = new AtomicLong();
            AtomicLong interrupted = new AtomicLong();
            AtomicLong backendErrors = new AtomicLong();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String key = keys.get(t % KEYS);
                Thread caller = new Thread(() -> {
                    while (storm.get()) {
                        try {
                            Optional<Lease> lease = service.acquire(key, TTL, Duration.ofMillis(50));
                            if (lease.isPresent()) {
                                granted.incrementAndGet();
                                lease.get().release();
                            }
                        } catch (InterruptedException e) {
                            interrupted.incrementAndGet();
                        } catch (LockBackendException e) {
                            backendErrors.incrementAndGet();
                        }
                    }
                }, "interrupts-caller-" + t);
                callers.add(caller);
                caller.start();
            }
            long stormEnds = System.nanoTime() + STORM.toNanos();
            while (System.nanoTime() - stormEnds < 0) {
                callers.forEach(Thread::interrupt);
                TimeUnit.NANOSECONDS.sleep(INTERRUPT_EVERY_NANOS);
            }
            storm.set(false);
            for (Thread caller : callers) {
                caller.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(caller.isAlive()).as("%s ended", caller.getName()).isFalse();
            }
            LOG.info("{} threads on {} keys for {}: {} leases granted and released, {} acquires interrupted, "
                    + "{} backend errors", THREADS, KEYS, STORM, granted, interrupted, backendErrors);
            assertThat(granted).as("leases granted during the storm").hasPositiveValue();
            assertThat(interrupted).as("acquires interrupted during the storm").hasPositiveValue();
            Await.until(Duration.ofSeconds(5), () -> heldKeys(nodes, keys).isEmpty(),
                    "no lock left behind by the interrupted acquires");
            assertThat(backendErrors).as("backend errors on a healthy server").hasValue(0);
        }
    }

    private static List<String> heldKeys(RedisNodes nodes, List<String> keys) {
        return keys.stream().filter(key -> nodes.node(0).call(jedis -> jedis.exists(LockKeys.of(key).lock()))).toList();
    }
}
