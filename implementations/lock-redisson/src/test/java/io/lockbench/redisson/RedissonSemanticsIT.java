package io.lockbench.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LuaScript;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.redisson.Redisson;
import org.redisson.api.RFencedLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * What the adapter promises beyond the contract suite, checked against Redisson's own data on a real server:
 * RFencedLock's tokens, release and extend from other threads, no hidden watchdog, and interplay with plain
 * Redisson clients of the same lock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedissonSemanticsIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);

    private RedisNodes redis;
    private RedisNode node;
    private RedissonLockService service;
    private ExecutorService pool;
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
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterEach
    void close() throws InterruptedException {
        service.close();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private String key(String name) {
        return redis.keyPrefix() + name + ":" + keys.incrementAndGet();
    }

    private long storedToken(String key) {
        return Long.parseLong(node.<String>call(jedis -> jedis.get("redisson_lock_token:{" + key + "}")));
    }

    private long pttl(String key) {
        return node.<Long>call(jedis -> jedis.pttl(key));
    }

    private boolean exists(String key) {
        return node.<Boolean>call(jedis -> jedis.exists(key));
    }

    private Map<String, String> hash(String key) {
        return node.<Map<String, String>>call(jedis -> jedis.hgetAll(key));
    }

    private long subscribers(String channel) {
        return node.<Map<String, Long>>call(jedis -> jedis.pubsubNumSub(channel)).getOrDefault(channel, 0L);
    }

    @Test
    @DisplayName("the lease's fencing token is the one RFencedLock stored, and increases with every grant")
    void fencingTokenComesFromRFencedLock() {
        String key = key("token");
        long previous = 0;
        for (int i = 0; i < 5; i++) {
            Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
            assertThat(lease.fencingToken()).as("token of grant %d", i).isEqualTo(storedToken(key))
                    .isGreaterThan(previous);
            previous = lease.fencingToken();
            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        }
        assertThat(service.capabilities()).contains(Capability.FENCING);
    }

    @Test
    @DisplayName("the grant is stored as Redisson's hold field '<client id>:<synthetic thread id>' with count 1")
    void holdIsRedissonsHashField() {
        String key = key("field");
        RedissonLease lease = (RedissonLease) service.tryAcquire(key, LONG_TTL).orElseThrow();
        Map<String, String> hash = hash(key);
        assertThat(hash).containsExactly(Map.entry(lease.ownerToken(), "1"));
        assertThat(lease.ownerToken()).endsWith(":" + lease.threadId());
        assertThat(lease.threadId()).as("a synthetic id, above any real thread's id")
                .isGreaterThan(Thread.currentThread().getId()).isGreaterThanOrEqualTo(1L << 62);
        lease.release();
    }

    @Test
    @DisplayName("acquire on one thread, extend on a second, release on a third")
    void extendAndReleaseFromOtherThreads() throws Exception {
        assertThat(service.capabilities()).contains(Capability.ANY_THREAD_RELEASE);
        String key = key("threads");
        Lease lease = pool.submit(() -> service.tryAcquire(key, Duration.ofMillis(500)).orElseThrow())
                .get(10, TimeUnit.SECONDS);
        assertThat(pool.submit(() -> lease.extend(LONG_TTL)).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pttl(key)).as("extended from another thread")
                .isGreaterThan(Duration.ofSeconds(20).toMillis());
        Future<ReleaseResult> released = CompletableFuture.supplyAsync(lease::release, pool);
        assertThat(released.get(10, TimeUnit.SECONDS)).isEqualTo(ReleaseResult.RELEASED);
        assertThat(exists(key)).as("lock hash deleted").isFalse();
    }

    @Test
    @DisplayName("not reentrant: the same thread cannot take the lock it holds again")
    void sameThreadIsAnotherHolder() {
        String key = key("reentry");
        Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
        assertThat(service.tryAcquire(key, LONG_TTL)).isEmpty();
        assertThat(service.capabilities()).doesNotContain(Capability.REENTRANT);
        lease.release();
    }

    @Test
    @DisplayName("no hidden watchdog: a lease never extended expires after its ttl")
    void noWatchdog() throws InterruptedException {
        String key = key("watchdog");
        Lease lease = service.tryAcquire(key, Duration.ofMillis(400)).orElseThrow();
        assertThat(pttl(key)).isBetween(1L, 400L);
        // A watchdog would keep extending the 400 ms ttl: the key would outlive this bound.
        Await.until(Duration.ofSeconds(10), () -> !exists(key), "the lock to expire on the server after its ttl");
        assertThat(lease.isValid()).isFalse();
        assertThat(lease.release()).isEqualTo(ReleaseResult.EXPIRED);
    }

    @Test
    @DisplayName("a stale release finds NOT_OWNER when another holder took the lock, and leaves it")
    void staleReleaseIsNotOwner() throws InterruptedException {
        String key = key("stale");
        Lease old = service.tryAcquire(key, Duration.ofMillis(100)).orElseThrow();
        Await.until(Duration.ofSeconds(10), () -> !exists(key), "the old lease to expire");
        Lease current = service.tryAcquire(key, LONG_TTL).orElseThrow();
        assertThat(old.extend(LONG_TTL)).isFalse();
        assertThat(old.release()).isEqualTo(ReleaseResult.NOT_OWNER);
        assertThat(hash(key)).containsOnlyKeys(current.ownerToken());
        assertThat(current.release()).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("after a long wait the ttl is re-armed: validity counts from the grant, not from the wait's start")
    void validityAfterLongWait() throws InterruptedException {
        String key = key("rearm");
        Duration ttl = Duration.ofSeconds(1);
        service.tryAcquire(key, ttl).orElseThrow();
        long start = System.nanoTime();
        Lease waited = service.acquire(key, ttl, Duration.ofSeconds(10)).orElseThrow();
        long acquired = System.nanoTime();
        assertThat(Duration.ofNanos(acquired - start)).as("waited for the first lease to expire")
                .isGreaterThan(Duration.ofMillis(500));
        // The first lease expires 1 s after it was taken, before the winning attempt is sent: validity counted
        // from the grant ends well past start + ttl, where validity counted from the wait's start would end.
        assertThat(Duration.ofNanos(waited.validUntilNanos() - start)).as("validity counted from the grant")
                .isGreaterThan(ttl.plusMillis(500));
        assertThat(waited.validUntilNanos() - start).isLessThanOrEqualTo(acquired - start + ttl.toNanos());
        assertThat(waited.release()).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("interplay with plain Redisson: mutual exclusion, shared token counter, our release wakes its waiter")
    void plainRedissonClientsShareTheLock() throws Exception {
        String key = key("plain");
        RedissonClient plain = plainClient();
        // A plain RLock belongs to the thread that took it: one thread takes and unlocks it.
        ExecutorService plainThread = Executors.newSingleThreadExecutor();
        try {
            Lease ours = service.tryAcquire(key, LONG_TTL).orElseThrow();
            RFencedLock theirs = plain.getFencedLock(key);
            Future<Long> waiting = plainThread.submit(() -> theirs.tryLockAndGetToken(20, 30, TimeUnit.SECONDS));
            String channel = "redisson_lock__channel:{" + key + "}";
            Await.until(Duration.ofSeconds(10), () -> subscribers(channel) > 0, "the plain client to subscribe");
            assertThat(waiting).as("the plain client waits while we hold the lock").isNotDone();
            assertThat(ours.release()).isEqualTo(ReleaseResult.RELEASED);
            // Our lease's ttl is 30 s: a token within 10 s means our PUBLISH woke it, not the expiry.
            Long token = waiting.get(10, TimeUnit.SECONDS);
            assertThat(token).isGreaterThan(ours.fencingToken());
            assertThat(service.tryAcquire(key, LONG_TTL)).as("held by the plain client").isEmpty();
            plainThread.submit(theirs::unlock).get(10, TimeUnit.SECONDS);
            Lease next = service.tryAcquire(key, LONG_TTL).orElseThrow();
            assertThat(next.fencingToken()).isGreaterThan(token);
            next.release();
        } finally {
            plainThread.shutdownNow();
            plain.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("an acquire cancelled by interrupt while Redisson waits leaves no hold and no subscription")
    void interruptedWaitLeavesNothing() throws Exception {
        String key = key("interrupt");
        Lease holder = service.tryAcquire(key, LONG_TTL).orElseThrow();
        Future<Optional<Lease>> waiting = pool.submit(() -> service.acquire(key, LONG_TTL, Duration.ofSeconds(30)));
        String channel = "redisson_lock__channel:{" + key + "}";
        Await.until(Duration.ofSeconds(10), () -> subscribers(channel) > 0, "the waiter to subscribe");
        waiting.cancel(true);
        holder.release();
        Await.until(Duration.ofSeconds(10), () -> subscribers(channel) == 0, "the waiter's subscription to go");
        assertThat(exists(key)).as("no hold written by the cancelled waiter").isFalse();
    }

    @Test
    @DisplayName("a key naming another lock's fencing counter is refused, whichever is locked first")
    void counterNamesAreRefused() throws InterruptedException {
        String key = key("space");
        String counter = "redisson_lock_token:{" + key + "}";
        assertThatThrownBy(() -> service.tryAcquire(counter, LONG_TTL))
                .as("before the lock exists").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(counter).hasMessageContaining("redisson_lock_token");
        Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
        assertThat(storedToken(key)).isEqualTo(lease.fencingToken());
        assertThatThrownBy(() -> service.tryAcquire(counter, LONG_TTL))
                .as("while the lock is held").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(counter);
        assertThatThrownBy(() -> service.acquire(counter, LONG_TTL, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(counter);
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        Lease next = service.tryAcquire(key, LONG_TTL).orElseThrow();
        assertThat(next.fencingToken()).as("the counter kept counting").isGreaterThan(lease.fencingToken());
        next.release();
    }

    @Test
    @DisplayName("a key naming another lock's unlock latch is refused; one named like its release channel is a lock of its own")
    void otherDerivedNames() {
        String key = key("derived");
        String latch = "redisson_unlock_latch:{" + key + "}:0";
        assertThatThrownBy(() -> service.tryAcquire(latch, LONG_TTL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(latch);
        String channelName = "redisson_lock__channel:{" + key + "}";
        Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
        Lease other = service.tryAcquire(channelName, LONG_TTL).orElseThrow();
        assertThat(hash(channelName)).containsOnlyKeys(other.ownerToken());
        assertThat(other.release()).isEqualTo(ReleaseResult.RELEASED);
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("the scripts' SHA1s are the ones the server computes, so EVALSHA finds them")
    void scriptSha1sArePinned() {
        // Pinned as literals: a change to a script's text shows here, and the server must agree.
        Map<LuaScript, String> pinned = Map.of(
                HoldScripts.RELEASE, "7dbf545dc527bd3d294d4b0056837ba7e784893f",
                HoldScripts.EXTEND, "6d2957530b363d64a90b6655024e8f23df16bafa");
        pinned.forEach((script, sha1) -> {
            assertThat(node.<String>call(jedis -> jedis.scriptLoad(script.source()))).as(script.name())
                    .isEqualTo(sha1);
            assertThat(script.sha1()).as(script.name()).isEqualTo(sha1);
        });
    }

    private RedissonClient plainClient() {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uris().get(0).toString())
                .setConnectionMinimumIdleSize(1).setSubscriptionConnectionMinimumIdleSize(1);
        return Redisson.create(config);
    }
}
