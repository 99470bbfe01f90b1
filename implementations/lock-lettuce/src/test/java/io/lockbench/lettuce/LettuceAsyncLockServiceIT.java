package io.lockbench.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.AsyncLease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LockKeys;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract's behaviours through the asynchronous API: stages instead of blocking calls, and waiting
 * that costs no thread. Runs against a real Redis server started by lock-fixture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LettuceAsyncLockServiceIT {

    private static final Logger LOG = LoggerFactory.getLogger(LettuceAsyncLockServiceIT.class);
    private static final Duration LONG_TTL = Duration.ofSeconds(30);

    private RedisNodes nodes;
    private LettuceLockService service;
    private final AtomicInteger keys = new AtomicInteger();

    @BeforeAll
    void startRedis() {
        nodes = RedisNodes.start(1);
    }

    @AfterAll
    void stopRedis() {
        nodes.close();
    }

    @BeforeEach
    void openService() {
        service = new LettuceLockService(nodes.settings());
    }

    @AfterEach
    void closeService() {
        service.close();
    }

    @Test
    @DisplayName("tryAcquireAsync: a lease when free, empty when held, free again after releaseAsync")
    void tryAcquireAsync() throws Exception {
        String key = key("try");
        AsyncLease lease = get(service.tryAcquireAsync(key, LONG_TTL)).orElseThrow();
        assertThat(lease.key()).isEqualTo(key);
        assertThat(lease.fencingToken()).isPositive();
        assertThat(lease.isValid()).isTrue();
        assertThat(get(service.tryAcquireAsync(key, LONG_TTL))).as("held").isEmpty();
        assertThat(get(lease.releaseAsync())).isEqualTo(ReleaseResult.RELEASED);
        assertThat(lease.isValid()).isFalse();
        AsyncLease next = get(service.tryAcquireAsync(key, LONG_TTL)).orElseThrow();
        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
        assertThat(get(next.releaseAsync())).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("acquireAsync waits without a thread and is woken by the release")
    void acquireAsyncIsWokenByRelease() throws Exception {
        String key = key("woken");
        AsyncLease holder = get(service.tryAcquireAsync(key, LONG_TTL)).orElseThrow();
        try (LettuceLockService other = new LettuceLockService(nodes.settings())) {
            CompletableFuture<Optional<AsyncLease>> waiting = other.acquireAsync(key, LONG_TTL, Duration.ofSeconds(20));
            awaitSubscribed(key);
            assertThat(waiting).as("still waiting while held").isNotDone();
            assertThat(get(holder.releaseAsync())).isEqualTo(ReleaseResult.RELEASED);
            // get() waits 10 s at most and the holder's ttl is 30 s: the release handed the lock over. The
            // contract suite bounds the median handoff by the RTT.
            AsyncLease next = get(waiting).orElseThrow();
            assertThat(next.fencingToken()).isGreaterThan(holder.fencingToken());
            assertThat(get(next.releaseAsync())).isEqualTo(ReleaseResult.RELEASED);
        }
    }

    @Test
    @DisplayName("acquireAsync completes empty after maxWait when the key stays held")
    void acquireAsyncHonoursMaxWait() throws Exception {
        String key = key("max-wait");
        get(service.tryAcquireAsync(key, LONG_TTL)).orElseThrow();
        long start = System.nanoTime();
        assertThat(get(service.acquireAsync(key, LONG_TTL, Duration.ofMillis(300)))).isEmpty();
        // Not before maxWait; get() bounds the other side by 10 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(280));
    }

    @Test
    @DisplayName("acquireAsync is woken by expiry: the retry timer is capped by the holder's remaining ttl")
    void acquireAsyncIsWokenByExpiry() throws Exception {
        String key = key("expiry");
        get(service.tryAcquireAsync(key, Duration.ofMillis(300))).orElseThrow();
        // No release message comes: the lease within maxWait came from a retry after the expiry.
        AsyncLease next = get(service.acquireAsync(key, LONG_TTL, Duration.ofSeconds(10))).orElseThrow();
        get(next.releaseAsync());
    }

    @Test
    @DisplayName("cancelling a waiting acquireAsync abandons it and leaves no key behind")
    void cancelLeavesNoKey() throws Exception {
        String key = key("cancel");
        AsyncLease holder = get(service.tryAcquireAsync(key, LONG_TTL)).orElseThrow();
        CompletableFuture<Optional<AsyncLease>> waiting = service.acquireAsync(key, LONG_TTL, Duration.ofSeconds(30));
        awaitSubscribed(key);
        assertThat(waiting.cancel(false)).isTrue();
        assertThat(get(holder.releaseAsync())).isEqualTo(ReleaseResult.RELEASED);
        // An absence check: a cancelled waiter woken by the release would take the key within this time.
        Thread.sleep(300);
        assertThat(lockKeyExists(node(), key)).as("lock key after cancel").isFalse();
        assertThat(get(service.tryAcquireAsync(key, LONG_TTL))).isPresent();
    }

    @Test
    @DisplayName("cancelling many acquires racing with releases never leaves a key behind")
    void cancelRacingWithReleaseLeavesNoKey() throws Exception {
        String key = key("cancel-race");
        for (int round = 0; round < 50; round++) {
            AsyncLease holder = get(service.tryAcquireAsync(key, LONG_TTL)).orElseThrow();
            CompletableFuture<Optional<AsyncLease>> waiting = service.acquireAsync(key, LONG_TTL, Duration.ofSeconds(30));
            holder.releaseAsync();
            // Pacing of the race: cancel at 0, 1 or 2 ms after the release.
            Thread.sleep(round % 3);
            if (!waiting.cancel(false)) {
                get(waiting).orElseThrow().releaseAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            AsyncLease probe = awaitLease(key);
            get(probe.releaseAsync());
        }
    }

    @Test
    @DisplayName("extendAsync: true while held, false once another owner has the key; releaseAsync NOT_OWNER then")
    void extendAndReleaseResults() throws Exception {
        String key = key("extend");
        AsyncLease lease = get(service.tryAcquireAsync(key, Duration.ofMillis(400))).orElseThrow();
        long before = lease.validUntilNanos();
        assertThat(get(lease.extendAsync(Duration.ofMillis(600)))).isTrue();
        assertThat(lease.validUntilNanos()).isGreaterThan(before);
        AsyncLease other = get(service.acquireAsync(key, LONG_TTL, Duration.ofSeconds(5))).orElseThrow();
        assertThat(get(lease.extendAsync(LONG_TTL))).as("stale extend").isFalse();
        assertThat(lease.isValid()).isFalse();
        assertThat(get(lease.releaseAsync())).as("stale release").isEqualTo(ReleaseResult.NOT_OWNER);
        assertThat(get(other.releaseAsync())).isEqualTo(ReleaseResult.RELEASED);
        assertThat(get(other.releaseAsync())).isEqualTo(ReleaseResult.EXPIRED);
        assertThatThrownBy(() -> other.extendAsync(LONG_TTL)).as("extend after release")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("200 acquireAsync waiters on one key are served one after another by fewer than 10 threads")
    void manyWaitersFewThreads() throws Exception {
        String key = key("many");
        int waiters = 200;
        Set<Long> before = liveThreadIds();
        try (LettuceLockService crowd = new LettuceLockService(nodes.settings())) {
            AsyncLease holder = get(crowd.tryAcquireAsync(key, LONG_TTL)).orElseThrow();
            Set<String> callbackThreads = ConcurrentHashMap.newKeySet();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<CompletableFuture<ReleaseResult>> done = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                done.add(crowd.acquireAsync(key, LONG_TTL, Duration.ofSeconds(60))
                        .thenCompose(lease -> {
                            callbackThreads.add(Thread.currentThread().getName());
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            inside.decrementAndGet();
                            return lease.orElseThrow().releaseAsync();
                        }).toCompletableFuture());
            }
            awaitSubscribed(key);
            Set<Long> during = liveThreadIds();
            during.removeAll(before);
            assertThat(done).as("all wait while held").noneMatch(CompletableFuture::isDone);
            get(holder.releaseAsync());
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(done).allMatch(future -> future.join() == ReleaseResult.RELEASED);
            LOG.info("{} waiters: {} threads started by the service {}, acquires completed on {}", waiters,
                    during.size(), names(during), callbackThreads);
            assertThat(overlaps).hasValue(0);
            assertThat(during).as("threads the service started for %d waiters: %s", waiters, names(during))
                    .hasSizeLessThan(10);
            assertThat(callbackThreads).as("threads that completed the acquires").hasSizeLessThan(10);
        }
    }

    @Test
    @DisplayName("bad input and use after close throw at once, not inside the stage")
    void badInputAndClose() {
        String key = key("bad");
        assertThatThrownBy(() -> service.acquireAsync(null, LONG_TTL, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> service.tryAcquireAsync(key, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> service.acquireAsync(key, LONG_TTL, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        service.close();
        assertThatThrownBy(() -> service.tryAcquireAsync(key, LONG_TTL)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("close ends waiting acquires with IllegalStateException")
    void closeEndsWaiters() throws Exception {
        String key = key("close");
        get(service.tryAcquireAsync(key, LONG_TTL)).orElseThrow();
        LettuceLockService other = new LettuceLockService(nodes.settings());
        CompletableFuture<Optional<AsyncLease>> waiting = other.acquireAsync(key, LONG_TTL, Duration.ofSeconds(30));
        awaitSubscribed(key);
        other.close();
        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("an ambiguous acquire fails its stage with LockBackendException and leaves no key")
    void ambiguousAcquireAsync() throws Exception {
        RedisNode node = node();
        try (LettuceLockService proxied = new LettuceLockService(
                LockSettings.of(node.proxy().uri()).withCommandTimeout(Duration.ofMillis(300)))) {
            get(get(proxied.tryAcquireAsync(key("warm-up"), LONG_TTL)).orElseThrow().releaseAsync());
            String key = key("ambiguous");
            node.proxy().dropResponses(true);
            CompletableFuture<Optional<AsyncLease>> attempt = proxied.tryAcquireAsync(key, LONG_TTL);
            assertThatThrownBy(() -> attempt.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(LockBackendException.class)
                    .hasMessageContaining("127.0.0.1");
            // The acquire ran and took the lock: its fencing counter (never deleted) moved. The lock key itself
            // may already be gone: the resolver's compare-and-delete reaches the server too while replies drop.
            Await.until(Duration.ofSeconds(5), () -> "1".equals(node.<String>call(jedis ->
                    jedis.get(LockKeys.of(key).fence()))), "the acquire ran on the server");
            node.proxy().dropResponses(false);
            Await.until(Duration.ofSeconds(10), () -> !lockKeyExists(node, key), "the ambiguous grant to be given back");
            assertThat(get(proxied.tryAcquireAsync(key("after"), LONG_TTL))).as("the fresh connection works").isPresent();
        } finally {
            node.proxy().reset();
        }
    }

    private AsyncLease awaitLease(String key) {
        AtomicReference<AsyncLease> lease = new AtomicReference<>();
        Await.until(Duration.ofSeconds(10), () -> {
            lease.set(service.tryAcquireAsync(key, LONG_TTL).join().orElse(null));
            return lease.get() != null;
        }, "key " + key + " to be free (left behind?)");
        return lease.get();
    }

    /** Waits until a waiter of {@code key} has its subscription to the key's release channel on the server. */
    private void awaitSubscribed(String key) {
        String channel = LockKeys.of(key).channel();
        Await.until(Duration.ofSeconds(10),
                () -> node().<Map<String, Long>>call(jedis -> jedis.pubsubNumSub(channel)).getOrDefault(channel, 0L) > 0,
                "a subscription to " + channel);
    }

    private static boolean lockKeyExists(RedisNode node, String key) {
        Boolean exists = node.call(jedis -> jedis.exists(LockKeys.of(key).lock()));
        return exists;
    }

    private RedisNode node() {
        return nodes.node(0);
    }

    private String key(String name) {
        return nodes.keyPrefix() + name + ":" + keys.incrementAndGet();
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CompletionException wrapped ? (Exception) wrapped.getCause() : e;
        }
    }

    private static Set<Long> liveThreadIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getId)
                .collect(Collectors.toSet());
    }

    private static String names(Set<Long> ids) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> ids.contains(thread.getId()))
                .map(Thread::getName).collect(Collectors.joining(", ", "[", "]"));
    }
}
