package io.lockbench.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import io.lockbench.testkit.Await;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * Issue 9, defect 3.1: a server frozen (SIGSTOP) for longer than the ttl runs the requests it had queued when
 * it resumes, with a fresh ttl, long after the callers gave up on them. Every lease the callers got is
 * released, so once they are done no lock key may be left: the service must delete what those requests wrote.
 *
 * <p>A lock key written at the resume would expire by itself 500 ms later, which a check could not tell from
 * the service deleting it. So from the moment the server answers again the test PERSISTs every lock key it
 * sees (a lease's release and the service's compare-and-delete still delete it, by its token): a key the
 * service does not delete stays, and the bounded wait at the end fails.
 */
class JedisOrphanLocksIT {

    private static final Logger LOG = LoggerFactory.getLogger(JedisOrphanLocksIT.class);
    private static final Duration TTL = Duration.ofMillis(500);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(250);
    private static final Duration STALL = Duration.ofSeconds(2);
    private static final int KEYS = 64;
    private static final int THREADS = 8;

    @Test
    void noLockKeyOutlivesAStalledServerOnceEveryLeaseIsReleased() throws Exception {
        try (RedisNodes redis = RedisNodes.start(1);
             JedisLockService service = new JedisLockService(new LockSettings(redis.uris(), COMMAND_TIMEOUT))) {
            RedisNode node = redis.node(0);
            String prefix = redis.keyPrefix() + "orphans:";
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                keys.add(prefix + i);
            }
            String pattern = LockKeys.of(prefix).lock().replace("}", "") + "*";

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong grants = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            try (Jedis sweeper = new Jedis(node.host(), node.port(), 5_000)) {
                for (int i = 0; i < THREADS; i++) {
                    workers.add(threads.submit(() -> load(service, keys, stop, grants, failures)));
                }
                Await.until(Duration.ofSeconds(30), () -> grants.get() >= 500, "500 grants before the stall");
                node.pause(STALL);
                sweeper.ping(); // returns once the server answers again
                Set<String> seen = new TreeSet<>(persistLockKeys(sweeper, pattern));
                stop.set(true);
                while (!workers.stream().allMatch(Future::isDone)) {
                    seen.addAll(persistLockKeys(sweeper, pattern));
                    TimeUnit.MILLISECONDS.sleep(2);
                }
                for (Future<?> worker : workers) {
                    worker.get(); // a worker that failed with anything but LockBackendException fails the test
                }
                seen.addAll(persistLockKeys(sweeper, pattern));
                LOG.info("{} grants, {} backend failures; {} lock keys seen after the resume",
                        grants.get(), failures.get(), seen.size());
                assertThat(failures.get()).as("the stall made calls fail").isPositive();
                Await.until(Duration.ofSeconds(2), () -> lockKeys(sweeper, pattern).isEmpty(),
                        "no lock key left once every lease was released; left: " + lockKeys(sweeper, pattern));
            } finally {
                stop.set(true);
                threads.shutdownNow();
                threads.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Void load(JedisLockService service, List<String> keys, AtomicBoolean stop, AtomicLong grants,
                             AtomicLong failures) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            Optional<Lease> lease;
            try {
                lease = random.nextBoolean() ? service.tryAcquire(key, TTL)
                        : service.acquire(key, TTL, Duration.ofMillis(random.nextInt(1, 20)));
            } catch (LockBackendException e) {
                failures.incrementAndGet();
                continue;
            }
            if (lease.isPresent()) {
                grants.incrementAndGet();
                try {
                    lease.get().release();
                } catch (LockBackendException e) {
                    failures.incrementAndGet();
                }
            }
        }
        return null;
    }

    /** @return the lock keys (not fencing counters) under {@code pattern} */
    private static List<String> lockKeys(Jedis jedis, String pattern) {
        return jedis.keys(pattern).stream().filter(key -> !key.endsWith(":fence")).sorted()
                .collect(Collectors.toList());
    }

    /** Takes the ttl off every lock key, so that only a delete removes it; @return the keys */
    private static List<String> persistLockKeys(Jedis jedis, String pattern) {
        List<String> found = lockKeys(jedis, pattern);
        found.forEach(jedis::persist);
        return found;
    }
}
