package io.lockbench.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.testkit.Await;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server frozen under load (SIGSTOP) runs the acquires queued in it when it resumes, with a fresh ttl,
 * long after their callers gave up on them and after the client's clock passed their ttl: every such hold
 * must be deleted by the resolver at once, not left to expire.
 *
 * <p>The shape of issue 9's scenario (ttl 500 ms, command timeout 250 ms, 64 keys, a 2 s SIGSTOP) scaled so
 * that it can be checked without a tight clock: the pause is still longer than the ttl (so a cleanup that
 * stops on the client's clock gives up before the server resumes), and the bound on the cleanup is a second
 * shorter than the ttl, so a hold written at the resume and left to expire fails the check, while the
 * resolver needs a few round trips.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedissonStalledServerIT {

    private static final int THREADS = 8;
    private static final int KEYS = 64;
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(250);
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration PAUSE = Duration.ofSeconds(4);
    /** Shorter than the ttl: a hold written at the resume cannot pass by expiring. */
    private static final Duration CLEANUP_BOUND = Duration.ofSeconds(2);

    private RedisNodes redis;
    private RedisNode node;
    private RedissonLockService service;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        redis = RedisNodes.start(1);
        node = redis.node(0);
        service = new RedissonLockService(redis.settings().withCommandTimeout(COMMAND_TIMEOUT));
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        service.close();
        redis.close();
    }

    @Test
    @DisplayName("64 keys under load, server SIGSTOPped 2 s: once every lease is released, no lock hash remains")
    void noHoldOutlivesAFrozenServer() throws InterruptedException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add(redis.keyPrefix() + "stall:" + i);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        for (int t = 0; t < THREADS; t++) {
            pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (running.get()) {
                    try {
                        Optional<Lease> lease = service.acquire(keys.get(random.nextInt(KEYS)), TTL,
                                Duration.ofMillis(random.nextInt(50)));
                        if (lease.isPresent()) {
                            granted.incrementAndGet();
                            lease.get().close();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        Await.until(Duration.ofSeconds(20), () -> granted.get() >= 200, "load before the pause");

        node.pause(PAUSE);
        node.call(jedis -> jedis.ping());
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).as("load threads stopped").isTrue();

        assertThat(failed).as("acquires that failed during the pause").hasPositiveValue();
        Await.until(CLEANUP_BOUND, () -> heldKeys(keys) == 0,
                "no lock hash left: every lease was released, and a hold written at the resume is deleted"
                        + " (not left to expire with its " + TTL + " ttl)");
    }

    private long heldKeys(List<String> keys) {
        return node.<Long>call(jedis -> jedis.exists(keys.toArray(String[]::new)));
    }
}
