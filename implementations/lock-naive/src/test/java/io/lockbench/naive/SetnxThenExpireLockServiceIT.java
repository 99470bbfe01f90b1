package io.lockbench.naive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.fixture.NodeProxy;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Story "leak", naive-setnx-expire's form: the connection dies after {@code SETNX} has run and before
 * {@code PEXPIRE} reaches the server, and the key is left with no ttl, so nobody can take the lock again,
 * however long they wait.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SetnxThenExpireLockServiceIT {

    private RedisNodes nodes;

    @BeforeAll
    void start() {
        nodes = RedisNodes.start(1);
    }

    @AfterAll
    void stop() {
        nodes.close();
    }

    @AfterEach
    void healTheNetwork() {
        nodes.node(0).proxy().reset();
    }

    @Test
    void connectionLostBetweenSetnxAndPexpireLeavesTheKeyWithNoTtl() throws InterruptedException {
        RedisNode node = nodes.node(0);
        NodeProxy proxy = node.proxy();
        String key = nodes.keyPrefix() + "setnx-expire";
        Duration ttl = Duration.ofMillis(500);
        Duration oneWay = Duration.ofMillis(200);
        LockSettings throughProxy = new LockSettings(List.of(proxy.uri()), Duration.ofSeconds(1));
        try (LockService crashing = new SetnxThenExpireLockService(throughProxy);
             LockService other = new SetnxThenExpireLockService(nodes.settings())) {
            crashing.tryAcquire(nodes.keyPrefix() + "warm-up", ttl).orElseThrow().release();

            // With 200 ms each way, PEXPIRE can reach the server no sooner than 400 ms after SETNX ran there:
            // the freeze below lands in that gap. Should it also catch SETNX's reply, SETNX times out and
            // PEXPIRE is never sent; either way the server has run SETNX and not PEXPIRE.
            proxy.addLatency(oneWay);
            CompletableFuture<Optional<Lease>> attempt = CompletableFuture.supplyAsync(
                    () -> crashing.tryAcquire(key, ttl));
            Await.until(Duration.ofSeconds(5), () -> node.<Boolean>call(jedis -> jedis.exists(key)),
                    "SETNX has run on the server");
            proxy.freeze();

            assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(LockBackendException.class);
            // Closing the frozen connections discards the PEXPIRE held in the proxy: it never arrives.
            proxy.disconnectAll();
            proxy.reset();

            assertThat(node.<Long>call(jedis -> jedis.pttl(key))).as("PTTL of the lock key (-1: no ttl)")
                    .isEqualTo(-1L);
            assertThat(other.acquire(key, ttl, ttl.multipliedBy(4)))
                    .as("another client waiting four times the ttl the lock was taken with").isEmpty();
            assertThat(node.<Long>call(jedis -> jedis.pttl(key))).as("PTTL after the wait").isEqualTo(-1L);
        } finally {
            node.call(jedis -> jedis.del(key));
        }
    }
}
