package io.lockbench.redlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LockKeys;
import io.lockbench.testkit.Await;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The service's life cycle on three real nodes: close while callers are blocked, connections left after
 * services closed right after they were created, and settings that used to be accepted and then broke.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedlockLifecycleIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);

    private RedisNodes redis;

    @BeforeAll
    void start() {
        redis = RedisNodes.start(3);
    }

    @AfterAll
    void stop() {
        redis.close();
    }

    @Test
    @DisplayName("close() ends every acquire blocked on the service with IllegalStateException")
    void closeEndsBlockedAcquires() throws InterruptedException {
        String key = redis.keyPrefix() + "blocked";
        int waiters = 4;
        try (LockService holder = new RedlockLockService(redis.settings())) {
            Lease held = holder.tryAcquire(key, LONG_TTL).orElseThrow();
            LockService service = new RedlockLockService(redis.settings());
            List<AtomicReference<Throwable>> endings = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                AtomicReference<Throwable> ending = new AtomicReference<>();
                endings.add(ending);
                Thread thread = new Thread(() -> {
                    try {
                        service.acquire(key, LONG_TTL, Duration.ofSeconds(30)).ifPresent(Lease::release);
                        ending.set(new AssertionError("acquire returned while the key was held"));
                    } catch (Throwable e) {
                        ending.set(e);
                    }
                }, "blocked-" + i);
                threads.add(thread);
                thread.start();
            }
            String channel = LockKeys.of(key).channel();
            Await.until(Duration.ofSeconds(10),
                    () -> redis.nodes().stream().allMatch(node -> subscribers(node, channel) > 0)
                            && threads.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING
                            || thread.getState() == Thread.State.TIMED_WAITING),
                    "every waiter blocked, the key's channel subscribed on every node");

            service.close();

            Await.until(Duration.ofSeconds(5), () -> threads.stream().noneMatch(Thread::isAlive),
                    "every blocked acquire ended after close");
            for (AtomicReference<Throwable> ending : endings) {
                assertThat(ending.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            }
            assertThat(held.release()).isEqualTo(ReleaseResult.RELEASED);
        }
    }

    @Test
    @DisplayName("200 services created, used and closed at once leave no connection on any node")
    void quickCloseLeavesNoConnection() throws InterruptedException {
        String key = redis.keyPrefix() + "quick-close";
        for (int cycle = 0; cycle < 200; cycle++) {
            try (LockService service = new RedlockLockService(redis.settings())) {
                // Odd cycles wait, so that the subscriber connections are opened (and closed) too.
                Lease lease = cycle % 2 == 0 ? service.tryAcquire(key, LONG_TTL).orElseThrow()
                        : service.acquire(key, LONG_TTL, Duration.ofSeconds(5)).orElseThrow();
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
            }
        }
        Await.until(Duration.ofSeconds(10), () -> redis.nodes().stream().allMatch(node -> ours(node) == 0),
                "no connection named " + NodeSet.CLIENT_NAME + " left; now " + redis.nodes().stream()
                        .map(RedlockLifecycleIT::ours).toList());
    }

    @Test
    @DisplayName("a node listed twice is refused with IllegalArgumentException naming it")
    void duplicateNodeRefused() {
        URI first = redis.node(0).uri();
        List<URI> twice = List.of(first, redis.node(1).uri(), first);
        assertThatThrownBy(() -> new RedlockLockService(LockSettings.of(twice)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(LockSettings.address(first))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new RedlockLockService(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("settings");
    }

    @Test
    @DisplayName("the longest command timeout LockSettings accepts works: acquire, wait, extend, release, close")
    void longestCommandTimeoutWorks() throws InterruptedException {
        String key = redis.keyPrefix() + "max-timeout";
        try (LockService service = new RedlockLockService(redis.settings()
                .withCommandTimeout(LockSettings.MAX_COMMAND_TIMEOUT))) {
            Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
            assertThat(service.acquire(key, LONG_TTL, Duration.ofMillis(20))).isEmpty();
            assertThat(lease.extend(LONG_TTL)).isTrue();
            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        }
    }

    private static long subscribers(RedisNode node, String channel) {
        Map<String, Long> counts = node.call(jedis -> jedis.pubsubNumSub(channel));
        return counts.getOrDefault(channel, 0L);
    }

    /** @return the connections our services opened on this node, counted by their client name */
    private static long ours(RedisNode node) {
        return node.call(jedis -> jedis.clientList()).lines()
                .filter(line -> line.contains(" name=" + NodeSet.CLIENT_NAME + " ")).count();
    }
}
