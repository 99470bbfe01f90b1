package io.lockbench.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.ReleaseResult;
import io.lockbench.testkit.Await;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Waiting through Redisson: a wait that runs out is an empty result even when Redisson could not subscribe
 * in time (short waits, many waited keys), and close ends every blocked acquire at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedissonWaitIT {

    private static final Duration TTL = Duration.ofSeconds(30);

    private RedisNodes redis;
    private RedisNode node;
    private RedissonLockService service;
    private final AtomicInteger keys = new AtomicInteger();

    @BeforeAll
    void startRedis() {
        redis = RedisNodes.start(1);
        node = redis.node(0);
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void open() {
        service = new RedissonLockService(redis.settings());
    }

    @AfterEach
    void close() {
        service.close();
    }

    private String key(String name) {
        return redis.keyPrefix() + name + ":" + keys.incrementAndGet();
    }

    @Test
    @DisplayName("16 threads x 200 acquires with waits of 0-9 ms on 4 keys: no backend error, only leases and empties")
    void shortWaitsUnderContentionAreEmptyNotErrors() throws Exception {
        List<String> hot = List.of(key("short"), key("short"), key("short"), key("short"));
        AtomicInteger won = new AtomicInteger();
        AtomicInteger empty = new AtomicInteger();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        runOnThreads(16, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 200; i++) {
                try {
                    Optional<Lease> lease = service.acquire(hot.get(random.nextInt(hot.size())), TTL,
                            Duration.ofMillis(random.nextInt(10)));
                    if (lease.isPresent()) {
                        won.incrementAndGet();
                        lease.get().release();
                    } else {
                        empty.incrementAndGet();
                    }
                } catch (InterruptedException | RuntimeException e) {
                    errors.add(e);
                }
            }
        });
        assertThat(errors).as("acquires that threw").isEmpty();
        assertThat(won.get() + empty.get()).isEqualTo(16 * 200);
        assertThat(won).as("leases granted").hasPositiveValue();
    }

    @Test
    @DisplayName("one service waiting on 420 held keys at once: every wait ends empty, none with a backend error")
    void manyWaitedKeysAreEmptyNotErrors() throws Exception {
        int count = 420;
        List<String> held = new ArrayList<>();
        List<Lease> holders = new ArrayList<>();
        try (RedissonLockService other = new RedissonLockService(redis.settings())) {
            for (int i = 0; i < count; i++) {
                String key = key("many");
                held.add(key);
                holders.add(other.tryAcquire(key, TTL).orElseThrow());
            }
            AtomicInteger next = new AtomicInteger();
            AtomicInteger won = new AtomicInteger();
            AtomicInteger empty = new AtomicInteger();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            runOnThreads(count, () -> {
                try {
                    Optional<Lease> lease = service.acquire(held.get(next.getAndIncrement()), TTL, Duration.ofSeconds(2));
                    (lease.isPresent() ? won : empty).incrementAndGet();
                } catch (InterruptedException | RuntimeException e) {
                    errors.add(e);
                }
            });
            assertThat(errors).as("acquires that threw").isEmpty();
            assertThat(won).as("leases granted on held keys").hasValue(0);
            assertThat(empty).hasValue(count);
            holders.forEach(Lease::release);
        }
    }

    @Test
    @DisplayName("close ends acquires blocked on a held key with IllegalStateException")
    void closeEndsBlockedAcquires() throws Exception {
        String key = key("close");
        String channel = "redisson_lock__channel:{" + key + "}";
        int waiters = 4;
        try (RedissonLockService other = new RedissonLockService(redis.settings())) {
            Lease holder = other.tryAcquire(key, TTL).orElseThrow();
            ExecutorService pool = Executors.newFixedThreadPool(waiters);
            CountDownLatch started = new CountDownLatch(waiters);
            List<CompletableFuture<Optional<Lease>>> blocked = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                blocked.add(CompletableFuture.supplyAsync(() -> {
                    started.countDown();
                    try {
                        return service.acquire(key, TTL, Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("interrupted", e);
                    }
                }, pool));
            }
            started.await();
            Await.until(Duration.ofSeconds(10), () -> subscribers(channel) >= 1, "waiters subscribed to " + channel);

            service.close();

            Await.until(Duration.ofSeconds(5), () -> blocked.stream().allMatch(CompletableFuture::isDone),
                    "every blocked acquire to end after close, long before its 30 s wait");
            for (CompletableFuture<Optional<Lease>> acquire : blocked) {
                assertThat(acquire).failsWithin(Duration.ZERO).withThrowableOfType(Exception.class)
                        .havingCause().isInstanceOf(IllegalStateException.class)
                        .withMessageContaining("closed");
            }
            assertThat(holder.release()).as("the holder still held the lock").isEqualTo(ReleaseResult.RELEASED);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private long subscribers(String channel) {
        return node.<Map<String, Long>>call(jedis -> jedis.pubsubNumSub(channel)).getOrDefault(channel, 0L);
    }

    private static void runOnThreads(int threads, Runnable body) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < threads; i++) {
                pool.submit(body);
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(90, TimeUnit.SECONDS)).as("threads finished").isTrue();
        }
    }
}
