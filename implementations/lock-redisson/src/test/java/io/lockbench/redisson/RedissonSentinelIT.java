package io.lockbench.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReplicationNotAcknowledgedException;
import io.lockbench.fixture.RedisNode;
import io.lockbench.testkit.Await;
import io.lockbench.testkit.SentinelContract;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The {@link SentinelContract} against {@link RedissonLockService} through Redisson's Sentinel support. */
class RedissonSentinelIT extends SentinelContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new RedissonLockService(settings);
    }

    /** Redisson keeps a lock as a hash under the lock's own name. */
    @Override
    protected String lockKey(String key) {
        return key;
    }

    /**
     * The service's own WAIT counts the replicas the settings ask for; Redisson's checkLockSyncedSlaves
     * would grant as soon as one replica acknowledged. Runs while the replica is up (before the failover).
     */
    @Test
    @Order(4)
    @DisplayName("replica ack of 2 with one replica: the acquire is refused and leaves no lock")
    void replicaAckCountsEveryRequiredReplica() {
        LockSettings settings = new LockSettings(List.of(URI.create(sentinel().uri())), Duration.ofSeconds(2))
                .withReplicaAck(2, Duration.ofMillis(200));
        RedisNode primary = sentinel().currentPrimary();
        String key = "lbt:sentinel:two-replicas";
        try (LockService service = newService(settings)) {
            assertThatThrownBy(() -> service.tryAcquire(key, Duration.ofSeconds(60)))
                    .isInstanceOfSatisfying(ReplicationNotAcknowledgedException.class, refused -> {
                        assertThat(refused.required()).isEqualTo(2);
                        assertThat(refused.acknowledged()).isLessThan(2);
                    });
            Await.until(Duration.ofSeconds(10), () -> !primary.<Boolean>call(jedis -> jedis.exists(key)),
                    "the unacknowledged lock to be given back on the primary");
        }
    }
}
