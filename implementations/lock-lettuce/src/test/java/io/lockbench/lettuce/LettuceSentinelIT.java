package io.lockbench.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LockKeys;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisSentinel;
import io.lockbench.testkit.Await;
import io.lockbench.testkit.SentinelContract;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

/**
 * The {@link SentinelContract} against {@link LettuceLockService} through Lettuce's Sentinel URI support,
 * and the failover the chaos run makes: the old primary comes back on its port as the new primary's replica.
 */
class LettuceSentinelIT extends SentinelContract {

    private static final Duration FAILOVER = Duration.ofSeconds(30);
    private static final Duration LONG_TTL = Duration.ofSeconds(60);

    @Override
    protected LockService newService(LockSettings settings) {
        return new LettuceLockService(settings);
    }

    @Override
    protected String lockKey(String key) {
        return LockKeys.of(key).lock();
    }

    /**
     * Runs after the contract's failover test, which leaves the first primary dead: twice, the dead server
     * comes back as the primary's replica, then the primary is killed and Sentinel promotes that server
     * while the service's connections are open. Each time the service must grant within 30 s, on the
     * primary the Sentinels name, however its connections dropped, reconnected or met the returned server.
     */
    @Test
    @Order(6)
    @DisplayName("the old primary back on its port as a replica: the same service grants on the promoted one")
    void grantsAfterTheOldPrimaryReturnsAsAReplica() {
        RedisSentinel redis = sentinel();
        LockService service = newService(new LockSettings(List.of(URI.create(redis.uri())), Duration.ofSeconds(1)));
        AtomicInteger failed = new AtomicInteger();
        try {
            for (int round = 0; round < 2; round++) {
                restartAsReplica(redis);
                String before = "lbt:sentinel:returned-before:" + round;
                service.tryAcquire(before, LONG_TTL).orElseThrow().release();
                RedisNode old = redis.currentPrimary();
                HostAndPort promoted = redis.killPrimaryAndAwaitPromotion(FAILOVER);
                RedisNode primary = redis.currentPrimary();
                assertThat(primary.port()).isEqualTo(promoted.getPort());
                old.restart();
                old.call(jedis -> jedis.replicaof(primary.host(), primary.port()));
                String key = "lbt:sentinel:returned:" + round;
                AtomicReference<Lease> granted = new AtomicReference<>();
                Await.until(FAILOVER, () -> {
                    try {
                        Optional<Lease> lease = service.tryAcquire(key, LONG_TTL);
                        lease.ifPresent(granted::set);
                        return lease.isPresent();
                    } catch (LockBackendException e) {
                        failed.incrementAndGet();
                        return false;
                    }
                }, "a grant after the failover of round " + round + " (" + failed + " failed attempts so far)");
                assertThat(primary.<Boolean>call(jedis -> jedis.exists(lockKey(key))))
                        .as("the lock is on the promoted primary").isTrue();
                assertThat(granted.get().release()).isEqualTo(ReleaseResult.RELEASED);
            }
        } finally {
            service.close();
        }
    }

    /** Brings a dead server of the set-up back as the current primary's replica and waits until it is whole. */
    private static void restartAsReplica(RedisSentinel redis) {
        RedisNode primary = redis.currentPrimary();
        RedisNode other = primary == redis.primary() ? redis.replica() : redis.primary();
        try {
            other.call(jedis -> jedis.ping());
        } catch (RuntimeException e) {
            other.restart();
            other.call(jedis -> jedis.replicaof(primary.host(), primary.port()));
        }
        redis.awaitReady(FAILOVER);
    }
}
