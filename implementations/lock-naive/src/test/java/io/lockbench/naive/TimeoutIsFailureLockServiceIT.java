package io.lockbench.naive;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.fixture.NodeProxy;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Story "leak" exactly: the reply to {@code SET NX PX} is lost on its way back, the client takes the timeout
 * for "not acquired", and the lock stays held for the whole two-hour ttl by a lease nobody has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeoutIsFailureLockServiceIT {

    private static final Duration USERS_TTL = Duration.ofHours(2);

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
    void droppedReplyIsTakenForNotAcquiredAndTheLockStaysHeldForItsWholeTtl() throws InterruptedException {
        RedisNode node = nodes.node(0);
        NodeProxy proxy = node.proxy();
        String key = nodes.keyPrefix() + "leak";
        LockSettings throughProxy = new LockSettings(List.of(proxy.uri()), Duration.ofMillis(500));
        try (LockService leaking = new TimeoutIsFailureLockService(throughProxy);
             LockService other = new TimeoutIsFailureLockService(nodes.settings())) {
            leaking.tryAcquire(nodes.keyPrefix() + "warm-up", USERS_TTL).orElseThrow().release();

            proxy.dropResponses(true);
            assertThat(leaking.tryAcquire(key, USERS_TTL)).as("a SET whose reply timed out, as the caller sees it")
                    .isEmpty();
            proxy.dropResponses(false);

            Await.until(Duration.ofSeconds(5), () -> node.<Boolean>call(jedis -> jedis.exists(key)),
                    "the SET whose reply was dropped has run on the server");
            assertThat(node.<Long>call(jedis -> jedis.pttl(key))).as("PTTL of the leaked lock, ms")
                    .isGreaterThan(USERS_TTL.minusMinutes(1).toMillis());
            assertThat(other.tryAcquire(key, USERS_TTL)).as("another client").isEmpty();
            assertThat(leaking.acquire(key, USERS_TTL, Duration.ofSeconds(1)))
                    .as("the client that wrote it, waiting a second").isEmpty();
        } finally {
            node.call(jedis -> jedis.del(key));
        }
    }
}
