package io.lockbench.redlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LockKeys;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.safety.FencedResource;
import io.lockbench.testkit.Await;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Redlock under node failures, on real servers: minorities and majorities killed or paused, a node
 * restarted empty (the double grant the Redis documentation describes, and the delayed restart that
 * prevents it), replies lost on one node, and exactly when fencing tokens stay monotonic.
 *
 * <p>"No key left" is checked on the servers themselves: the lock key {@code lock:{key}} must be gone
 * (the fencing counter {@code lock:{key}:fence} stays by design).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedlockFaultsIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    private static final Duration SHORT_COMMAND_TIMEOUT = Duration.ofMillis(500);

    // ---------------------------------------------------------------------------------------------------
    // Minority and majority failures

    @ParameterizedTest(name = "{0} nodes, {1} killed")
    @CsvSource({"3, 1", "5, 2"})
    @DisplayName("a minority killed: still acquires, extends and releases by quorum")
    void minorityKilledStillAcquires(int size, int killed) {
        try (RedisNodes redis = RedisNodes.start(size);
             LockService service = new RedlockLockService(redis.settings())) {
            for (int i = 0; i < killed; i++) {
                redis.node(i).kill();
            }
            String key = redis.keyPrefix() + "minority-killed";
            Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
            assertThat(lease.isValid()).isTrue();
            assertThat(lease.extend(LONG_TTL)).isTrue();
            assertThat(holders(redis, key)).as("live nodes holding our token")
                    .containsOnly(lease.ownerToken()).hasSize(size - killed);
            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
            assertThat(holders(redis, key)).isEmpty();
        }
    }

    @Test
    @DisplayName("a minority paused: acquire does not wait for it; the paused node keeps nothing afterwards")
    void minorityPausedStillAcquires() {
        try (RedisNodes redis = RedisNodes.start(3);
             LockService service = new RedlockLockService(redis.settings().withCommandTimeout(Duration.ofSeconds(30)))) {
            String key = redis.keyPrefix() + "minority-paused";
            warmUp(service, redis);
            // Paused and timed out far longer than the bound below: waiting for node 0 would cross it.
            redis.node(0).pause(Duration.ofSeconds(30));
            long start = System.nanoTime();
            Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("decided by the two live nodes")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
            redis.node(0).resume();
            Await.until(Duration.ofSeconds(5), () -> holders(redis, key).isEmpty(),
                    "the paused node ran the acquire and then the release queued behind it");
        }
    }

    @Test
    @DisplayName("a majority killed: acquire ends with the attempt that found no quorum, with "
            + "LockBackendException naming the dead nodes, not at maxWait; the survivor keeps no key")
    void majorityKilledFailsAndLeavesNoKey() {
        try (RedisNodes redis = RedisNodes.start(3);
             LockService service = new RedlockLockService(redis.settings().withCommandTimeout(SHORT_COMMAND_TIMEOUT))) {
            String key = redis.keyPrefix() + "majority-killed";
            redis.node(1).kill();
            redis.node(2).kill();
            Duration maxWait = Duration.ofSeconds(30);
            long start = System.nanoTime();
            assertThatThrownBy(() -> service.acquire(key, LONG_TTL, maxWait))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining(address(redis.node(1)))
                    .hasMessageContaining(address(redis.node(2)))
                    .hasMessageNotContaining(address(redis.node(0)));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("an unreachable quorum is a backend failure at once, as an unreachable server is")
                    .isLessThan(maxWait);
            Await.until(Duration.ofSeconds(2), () -> holders(redis, key).isEmpty(), "no key on the survivor");
        }
    }

    @Test
    @DisplayName("a majority paused: acquire fails within maxWait (+ the command timeout); no key on the "
            + "survivor, nor on the paused nodes once they resume")
    void majorityPausedFailsAndLeavesNoKey() {
        try (RedisNodes redis = RedisNodes.start(3);
             LockService service = new RedlockLockService(redis.settings().withCommandTimeout(SHORT_COMMAND_TIMEOUT))) {
            String key = redis.keyPrefix() + "majority-paused";
            warmUp(service, redis);
            // Paused past the bound below: the failure cannot come from the nodes answering again.
            redis.node(1).pause(Duration.ofSeconds(30));
            redis.node(2).pause(Duration.ofSeconds(30));
            Duration maxWait = Duration.ofSeconds(1);
            long start = System.nanoTime();
            assertThatThrownBy(() -> service.acquire(key, LONG_TTL, maxWait))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining(address(redis.node(1)))
                    .hasMessageContaining(address(redis.node(2)));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(maxWait.plus(SHORT_COMMAND_TIMEOUT).plusSeconds(10));
            Await.until(Duration.ofSeconds(2), () -> holder(redis.node(0), key) == null, "no key on the survivor");
            redis.node(1).resume();
            redis.node(2).resume();
            Await.until(Duration.ofSeconds(10), () -> holders(redis, key).isEmpty(),
                    "the paused nodes ran every queued acquire and its compare-and-delete");
        }
    }

    @Test
    @DisplayName("replies lost on one node: the lease still works by quorum, and release leaves no key there")
    void lostRepliesOnOneNode() {
        try (RedisNodes redis = RedisNodes.start(3)) {
            List<URI> proxied = redis.nodes().stream().map(node -> node.proxy().uri()).toList();
            try (LockService service = new RedlockLockService(new LockSettings(proxied, SHORT_COMMAND_TIMEOUT))) {
                warmUp(service, redis);
                String key = redis.keyPrefix() + "lost-replies";
                redis.node(0).proxy().dropResponses(true);
                Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
                Await.until(Duration.ofSeconds(5), () -> lease.ownerToken().equals(holder(redis.node(0), key)),
                        "the node ran the acquire; only its reply was lost");
                assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
                Await.until(Duration.ofSeconds(5), () -> holders(redis, key).isEmpty(),
                        "the compare-and-delete reached the node whose replies are lost");
                redis.node(0).proxy().dropResponses(false);
                // A grant returns at a quorum: the node that lost replies may answer after the other two, so
                // it counts as used again once it holds a grant's token at all, not only within the quorum.
                Await.until(Duration.ofSeconds(10), () -> service.tryAcquire(key, Duration.ofSeconds(5))
                        .map(again -> {
                            boolean onTheNode = holds(redis.node(0), key, again.ownerToken(), Duration.ofSeconds(1));
                            return again.release() == ReleaseResult.RELEASED && onTheNode;
                        })
                        .orElse(false), "the node is used again once its replies flow (new connection)");
                Await.until(Duration.ofSeconds(5), () -> holders(redis, key).isEmpty(),
                        "the releases leave no key on any node");
            }
        }
    }

    @Test
    @DisplayName("a ttl too short to leave any validity is never granted, and leaves no key")
    void noValidityNoLease() {
        try (RedisNodes redis = RedisNodes.start(3);
             LockService service = new RedlockLockService(redis.settings())) {
            String key = redis.keyPrefix() + "too-short";
            for (int i = 0; i < 20; i++) {
                assertThat(service.tryAcquire(key, Duration.ofMillis(2)))
                        .as("2 ms ttl < 2 ms + 1% drift allowance: validity is gone before any reply").isEmpty();
            }
            Await.until(Duration.ofSeconds(2), () -> holders(redis, key).isEmpty(), "every grant given back");
            assertThat(service.tryAcquire(key, LONG_TTL)).isPresent();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Restarts without persistence

    @Test
    @DisplayName("a node restarted empty at once: two clients each hold a quorum (the documented double grant)")
    void immediateRestartAllowsDoubleGrant() throws InterruptedException {
        try (RedisNodes redis = RedisNodes.start(3);
             LockService a = new RedlockLockService(redis.settings());
             LockService b = new RedlockLockService(redis.settings())) {
            String key = redis.keyPrefix() + "double-grant";
            redis.node(2).kill();
            Lease leaseA = a.tryAcquire(key, LONG_TTL).orElseThrow();
            assertThat(holder(redis.node(0), key)).isEqualTo(leaseA.ownerToken());
            assertThat(holder(redis.node(1), key)).isEqualTo(leaseA.ownerToken());
            redis.node(2).restart();
            redis.node(1).restart();
            Lease leaseB = awaitLease(b, key, LONG_TTL, Duration.ofSeconds(5));
            assertThat(leaseA.isValid()).as("A still believes it holds the lock").isTrue();
            assertThat(leaseB.isValid()).as("B holds it too").isTrue();
            assertThat(holder(redis.node(0), key)).isEqualTo(leaseA.ownerToken());
            assertThat(holder(redis.node(1), key)).isEqualTo(leaseB.ownerToken());
            assertThat(holder(redis.node(2), key)).isEqualTo(leaseB.ownerToken());
        }
    }

    @Test
    @DisplayName("a node that rejoins only after the longest ttl: no double grant, B gets the lock only "
            + "after A's validity")
    void delayedRestartPreventsDoubleGrant() throws InterruptedException {
        Duration ttl = Duration.ofMillis(1_500);
        try (RedisNodes redis = RedisNodes.start(3);
             LockService a = new RedlockLockService(redis.settings());
             LockService b = new RedlockLockService(redis.settings())) {
            String key = redis.keyPrefix() + "delayed-restart";
            redis.node(2).kill();
            Lease leaseA = a.tryAcquire(key, ttl).orElseThrow();
            long grantedA = System.nanoTime();
            redis.node(2).restart();
            redis.node(1).kill();
            Lease leaseB = null;
            boolean rejoined = false;
            while (leaseB == null) {
                if (!rejoined && System.nanoTime() - grantedA > ttl.plusMillis(200).toNanos()) {
                    redis.node(1).restart();
                    rejoined = true;
                }
                try {
                    leaseB = b.tryAcquire(key, LONG_TTL).orElse(null);
                } catch (LockBackendException notYet) {
                    leaseB = null;
                }
                if (leaseB == null) {
                    assertThat(System.nanoTime() - grantedA).as("B eventually gets the lock")
                            .isLessThan(Duration.ofSeconds(10).toNanos());
                    Thread.sleep(20);
                } else {
                    assertThat(leaseA.isValid()).as("A's validity had ended when B was granted").isFalse();
                    assertThat(System.nanoTime()).isGreaterThan(leaseA.validUntilNanos());
                }
            }
            assertThat(leaseB.release()).isEqualTo(ReleaseResult.RELEASED);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Fencing

    @Test
    @DisplayName("fencing: counters that disagree are written back, so the next grant on other nodes still goes up")
    void fencingWriteBack() throws InterruptedException {
        try (RedisNodes redis = RedisNodes.start(3);
             LockService service = new RedlockLockService(redis.settings())) {
            warmUp(service, redis);
            String key = redis.keyPrefix() + "write-back";
            String fence = LockKeys.of(key).fence();
            redis.node(0).call(jedis -> jedis.set(fence, "100"));
            // With node 2 down the quorum is nodes 0 and 1 whatever the order of their replies: node 0 brings the
            // highest counter, node 1 (counter 0) must be raised to it before the token is handed out.
            redis.node(2).kill();
            Lease first = awaitLease(service, key, LONG_TTL, Duration.ofSeconds(10));
            assertThat(first.fencingToken()).as("the highest counter among the granting nodes").isEqualTo(101);
            assertThat(counter(redis.node(1), fence)).as("node 1's counter, written back before the grant returned")
                    .isGreaterThanOrEqualTo(101);
            assertThat(first.release()).isEqualTo(ReleaseResult.RELEASED);
            // Node 2 comes back empty and node 0 goes: the next quorum is node 1 (written back) and node 2 (counter
            // 0). Without the write-back both would be at 1 and the token would go down.
            redis.node(2).restart();
            redis.node(0).kill();
            Lease second = awaitLease(service, key, LONG_TTL, Duration.ofSeconds(10));
            assertThat(second.fencingToken()).as("granted by nodes 1 and 2 only").isGreaterThan(first.fencingToken());
            assertThat(second.release()).isEqualTo(ReleaseResult.RELEASED);
        }
    }

    @Test
    @DisplayName("fencing: monotonic through a minority killed, restarted empty, and another minority killed")
    void fencingMonotonicThroughMinorityRestarts() throws InterruptedException {
        try (RedisNodes redis = RedisNodes.start(3);
             LockService service = new RedlockLockService(redis.settings())) {
            String key = redis.keyPrefix() + "monotonic";
            FencedResource resource = FencedResource.fenced();
            List<Long> tokens = new ArrayList<>();
            grants(service, key, 5, resource, tokens);
            redis.node(2).kill();
            grants(service, key, 5, resource, tokens);
            redis.node(2).restart();
            grants(service, key, 5, resource, tokens);
            redis.node(0).kill();
            grants(service, key, 5, resource, tokens);
            assertThat(tokens).as("tokens in grant order").isSorted().doesNotHaveDuplicates();
            assertThat(resource.rejected()).isZero();
        }
    }

    @Test
    @DisplayName("fencing breaks: a node restarted empty plus a node that missed the recent grants form "
            + "the next quorum")
    void fencingBreaksWhenRestartedNodeFormsQuorum() throws InterruptedException {
        try (RedisNodes redis = RedisNodes.start(3);
             LockService service = new RedlockLockService(redis.settings())) {
            String key = redis.keyPrefix() + "fence-break";
            FencedResource resource = FencedResource.fenced();
            List<Long> tokens = new ArrayList<>();
            redis.node(2).kill();
            grants(service, key, 5, resource, tokens);
            assertThat(tokens).containsExactly(1L, 2L, 3L, 4L, 5L);
            redis.node(2).restart();
            redis.node(1).restart();
            redis.node(0).kill();
            Lease after = awaitLease(service, key, LONG_TTL, Duration.ofSeconds(5));
            assertThat(after.fencingToken()).as("counters lost with node 1; node 2 never had them")
                    .isLessThan(tokens.get(tokens.size() - 1));
            assertThat(resource.write(after.fencingToken(), "after-restart"))
                    .as("the protected resource refuses the legitimate holder's writes").isFalse();
            after.release();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    private static void grants(LockService service, String key, int count, FencedResource resource, List<Long> tokens)
            throws InterruptedException {
        for (int i = 0; i < count; i++) {
            // Right after a node restarts, one attempt can find a split vote; the next decides.
            Lease lease = awaitLease(service, key, LONG_TTL, Duration.ofSeconds(10));
            tokens.add(lease.fencingToken());
            resource.write(lease.fencingToken(), "grant-" + tokens.size());
            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        }
    }

    /**
     * Grants and releases until every node has granted once (its fencing counter for the warm-up key moved), so
     * that every connection is open before the fault: a quorum grant alone can leave one node's connection still
     * opening. On a loaded machine a handshake through the proxies can take longer than the short command
     * timeout: that is retried, as the connections are not what these tests are about.
     */
    private static void warmUp(LockService service, RedisNodes redis) {
        String key = redis.keyPrefix() + "warm-up";
        String fence = LockKeys.of(key).fence();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                service.tryAcquire(key, LONG_TTL).orElseThrow().release();
                if (redis.nodes().stream().allMatch(node -> counter(node, fence) >= 1)) {
                    return;
                }
            } catch (LockBackendException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            assertThat(System.nanoTime() - deadline).as("every node granted the warm-up lock within 20 s")
                    .isNegative();
        }
    }

    private static Lease awaitLease(LockService service, String key, Duration ttl, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                Optional<Lease> lease = service.tryAcquire(key, ttl);
                if (lease.isPresent()) {
                    return lease.get();
                }
            } catch (LockBackendException reconnecting) {
                // a node just restarted; the next attempt reconnects
            }
            Thread.sleep(20);
        }
        return fail("no lease on " + key + " within " + within);
    }

    /** @return the owner token stored for the key on this node, or null; null also for a dead node */
    /** Whether {@code node} holds {@code token} for {@code key} at some moment within {@code within}. */
    private static boolean holds(RedisNode node, String key, String token, Duration within) {
        long giveUp = System.nanoTime() + within.toNanos();
        do {
            if (token.equals(holder(node, key))) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        } while (System.nanoTime() - giveUp < 0);
        return false;
    }

    private static String holder(RedisNode node, String key) {
        try {
            return node.call(jedis -> jedis.get(LockKeys.of(key).lock()));
        } catch (RuntimeException down) {
            return null;
        }
    }

    private static List<String> holders(RedisNodes redis, String key) {
        return redis.nodes().stream().map(node -> holder(node, key)).filter(token -> token != null).toList();
    }

    private static long counter(RedisNode node, String fence) {
        String value = node.call(jedis -> jedis.get(fence));
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String address(RedisNode node) {
        return LockSettings.address(node.uri());
    }

}
