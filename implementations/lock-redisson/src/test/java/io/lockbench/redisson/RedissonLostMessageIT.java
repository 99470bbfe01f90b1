package io.lockbench.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.testkit.Await;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Protocol;

/**
 * A release message lost with Redisson's pub/sub connection costs a waiter at most one slice of its wait,
 * never the whole wait. Plain Redisson (one {@code tryLock} for the whole wait) sleeps until the holder's
 * ttl or its wait runs out: there, all six waiters below returned empty after their 15 s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedissonLostMessageIT {

    private static final int WAITERS = 6;
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration MAX_WAIT = Duration.ofSeconds(15);

    private RedisNodes redis;
    private RedisNode node;
    private RedissonLockService service;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        redis = RedisNodes.start(1);
        node = redis.node(0);
        service = new RedissonLockService(redis.settings());
        pool = Executors.newFixedThreadPool(WAITERS);
    }

    @AfterEach
    void close() throws InterruptedException {
        service.close();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        redis.close();
    }

    @Test
    @DisplayName("pub/sub connections killed, then an immediate release: all six waiters still get the lock in turn")
    void waitersProgressAfterPubSubConnectionsAreKilled() throws InterruptedException {
        String key = redis.keyPrefix() + "lost";
        String channel = "redisson_lock__channel:{" + key + "}";
        Lease holder = service.tryAcquire(key, TTL).orElseThrow();
        CountDownLatch started = new CountDownLatch(WAITERS);
        AtomicInteger won = new AtomicInteger();
        AtomicInteger empty = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < WAITERS; i++) {
            pool.submit(() -> {
                started.countDown();
                try {
                    Optional<Lease> lease = service.acquire(key, TTL, MAX_WAIT);
                    if (lease.isPresent()) {
                        won.incrementAndGet();
                        lease.get().release();
                    } else {
                        empty.incrementAndGet();
                    }
                } catch (InterruptedException | RuntimeException e) {
                    failed.incrementAndGet();
                }
            });
        }
        started.await();
        Await.until(Duration.ofSeconds(10), () -> subscribers(channel) >= 1, "waiters subscribed to " + channel);

        long killed = ((Number) node.call(jedis -> jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub")))
                .longValue();
        holder.release();

        assertThat(killed).as("pub/sub connections killed").isPositive();
        Await.until(Duration.ofSeconds(8), () -> won.get() + empty.get() + failed.get() == WAITERS,
                "every waiter to finish, long before its " + MAX_WAIT + " wait");
        assertThat(won).as("waiters that got the lock").hasValue(WAITERS);
        assertThat(empty).as("waiters that ran out of time").hasValue(0);
        assertThat(failed).as("waiters that failed").hasValue(0);
    }

    private long subscribers(String channel) {
        return node.<Map<String, Long>>call(jedis -> jedis.pubsubNumSub(channel)).getOrDefault(channel, 0L);
    }
}
