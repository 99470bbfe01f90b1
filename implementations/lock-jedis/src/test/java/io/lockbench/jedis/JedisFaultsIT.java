package io.lockbench.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LockKeys;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@link JedisLockService} does beyond the shared contract: one round trip per call, an interrupt that
 * arrives while a winning attempt is on the wire, dropped connections and a restarted server, a lost
 * release message, and close() while a caller waits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JedisFaultsIT {

    private static final Duration TTL = Duration.ofSeconds(30);

    private RedisNodes redis;
    private RedisNode node;
    private final List<JedisLockService> services = new ArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    void start() {
        redis = RedisNodes.start(1);
        node = redis.node(0);
    }

    @AfterAll
    void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeServices() {
        services.forEach(JedisLockService::close);
        services.clear();
        node.proxy().reset();
    }

    @Test
    void everyCallIsOneRoundTrip() {
        JedisLockService service = direct();
        String key = key("round-trips");
        service.tryAcquire(key, TTL).orElseThrow().release();
        long before = service.roundTrips();
        Lease lease = service.tryAcquire(key, TTL).orElseThrow();
        assertThat(service.roundTrips() - before).as("acquire").isEqualTo(1);
        assertThat(service.tryAcquire(key, TTL)).isEmpty();
        assertThat(service.roundTrips() - before).as("a refused attempt").isEqualTo(2);
        assertThat(lease.extend(TTL)).isTrue();
        assertThat(service.roundTrips() - before).as("extend").isEqualTo(3);
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        assertThat(service.roundTrips() - before).as("release").isEqualTo(4);
    }

    @Test
    void anInterruptWhileAWinningAttemptIsOnTheWireUndoesTheGrant() throws Exception {
        JedisLockService service = proxied(Duration.ofSeconds(2));
        String key = key("interrupt-in-flight");
        // 400 ms each way keeps the attempt on the wire for 800 ms, well within the 2 s command timeout.
        node.proxy().addLatency(Duration.ofMillis(400));
        long before = service.roundTrips();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                service.acquire(key, TTL, Duration.ofSeconds(10)).ifPresent(Lease::close);
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                done.countDown();
            }
        }, "faults-it-interrupted-caller");
        caller.start();
        Await.until(Duration.ofSeconds(10), () -> service.roundTrips() > before, "the caller's attempt to be sent");
        caller.interrupt();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        String fence = node.call(jedis -> jedis.get(LockKeys.of(key).fence()));
        assertThat(fence).as("the attempt in flight did take the lock").isEqualTo("1");
        assertThat(direct().tryAcquire(key, TTL)).as("and the grant was undone").isPresent();
    }

    /**
     * A link whose round trip (100 ms) is longer than the command timeout (50 ms): the acquire times out, and
     * every call Jedis makes on a new connection would time out the same way. The resolver's calls wait for
     * their answer (at least 250 ms), so the request is settled one drain time after the first answer; with the
     * command timeout as their limit no answer ever came, and they went on for as long as the service lived, a
     * new connection each.
     */
    @Test
    void aLinkSlowerThanTheCommandTimeoutStillSettlesATimedOutAcquire() {
        JedisLockService service = proxied(Duration.ofMillis(50));
        String key = key("slow-link");
        node.proxy().addLatency(Duration.ofMillis(50));
        long before = service.roundTrips();
        assertThatThrownBy(() -> service.tryAcquire(key, TTL)).isInstanceOf(LockBackendException.class);
        Await.until(Duration.ofSeconds(20), () -> service.unsettledRequests() == 0, "the acquire to be settled");
        assertThat(node.<Boolean>call(jedis -> jedis.exists(LockKeys.of(key).lock()))).as("no lock left").isFalse();
        assertThat(service.roundTrips() - before).as("the acquire and the compare-and-deletes").isGreaterThan(1);
    }

    /**
     * A resolver call waits for its answer as long as the command timeout (15 s); close cuts it instead of
     * waiting it out: close returns long before that, with the resolution ended and the resolver's thread gone.
     */
    @Test
    void closeCutsAResolverCallThatWaitsForItsAnswer() throws Exception {
        JedisLockService service = proxied(Duration.ofSeconds(15));
        String key = key("close-cuts-resolver");
        long before = service.roundTrips();
        node.proxy().freeze();
        CompletableFuture<Void> settled = service.resolve("acquire of " + key, LockKeys.of(key), "a-lost-token");
        Await.until(Duration.ofSeconds(10), () -> service.roundTrips() > before && resolverThreads().stream()
                .anyMatch(thread -> thread.getState() == Thread.State.RUNNABLE), "the resolver's call to be sent");
        List<Thread> resolvers = resolverThreads();
        long start = System.nanoTime();
        service.close();
        long closeMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(closeMillis).as("close did not wait out the call's 15 s").isLessThan(10_000);
        assertThat(settled).as("the resolution ended with the close").isDone();
        assertThat(resolvers).as("resolver threads after close").noneMatch(Thread::isAlive);
    }

    private static List<Thread> resolverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("lockbench-jedis-resolver-")).toList();
    }

    @Test
    void droppedConnectionsDoNotFailTheNextCalls() throws Exception {
        JedisLockService service = proxied(Duration.ofSeconds(2));
        warmSeveralConnections(service);
        String key = key("dropped");
        Lease lease = service.tryAcquire(key, TTL).orElseThrow();
        node.proxy().disconnectAll();
        assertThat(lease.extend(TTL)).as("extend after the drop").isTrue();
        node.proxy().disconnectAll();
        assertThat(lease.release()).as("release after the drop").isEqualTo(ReleaseResult.RELEASED);
        node.proxy().disconnectAll();
        assertThat(service.tryAcquire(key, TTL)).as("acquire after the drop").isPresent();
    }

    @Test
    void aRestartedServerIsUsedAgainAtOnce() throws Exception {
        JedisLockService service = direct();
        warmSeveralConnections(service);
        node.restart();
        String key = key("restart");
        Lease lease = service.tryAcquire(key, TTL).orElseThrow();
        assertThat(lease.fencingToken()).isPositive();
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    void aWaiterWhoseReleaseMessageWasLostStillGetsTheLock() throws Exception {
        JedisLockService holder = direct();
        JedisLockService waiter = proxied(Duration.ofSeconds(2));
        String key = key("lost-message");
        Lease lease = holder.tryAcquire(key, TTL).orElseThrow();
        FutureTask<Optional<Lease>> waiting = new FutureTask<>(() -> waiter.acquire(key, TTL, Duration.ofSeconds(20)));
        Thread thread = new Thread(waiting, "faults-it-waiter");
        long before = waiter.roundTrips();
        thread.start();
        try {
            awaitParked(waiter, before, thread);
            node.proxy().disconnectAll();
            lease.release();
            // The holder's ttl is 30 s: a lease within 10 s came from the fallback, not from the expiry.
            Lease next = waiting.get(10, TimeUnit.SECONDS).orElseThrow();
            next.release();
        } finally {
            thread.interrupt();
        }
    }

    @Test
    void closeEndsAWaitInProgress() throws Exception {
        JedisLockService holder = direct();
        JedisLockService waiter = direct();
        String key = key("close-while-waiting");
        holder.tryAcquire(key, TTL).orElseThrow();
        FutureTask<Optional<Lease>> waiting = new FutureTask<>(() -> waiter.acquire(key, TTL, Duration.ofSeconds(60)));
        Thread thread = new Thread(waiting, "faults-it-waiter");
        long before = waiter.roundTrips();
        thread.start();
        try {
            awaitParked(waiter, before, thread);
            waiter.close();
            // maxWait is 60 s: ending within 10 s means close ended the wait.
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        } finally {
            thread.interrupt();
        }
    }

    @Test
    void aClusterWithoutReachableSeedsIsNamedInTheError() throws Exception {
        List<URI> seeds = List.of(URI.create("redis://127.0.0.1:" + closedPort()),
                URI.create("redis://127.0.0.1:" + closedPort()));
        LockSettings settings = new LockSettings(seeds, Duration.ofMillis(500));
        assertThatThrownBy(() -> JedisLockService.cluster(settings)).isInstanceOf(LockBackendException.class)
                .hasMessageContaining(LockSettings.address(seeds.get(0)))
                .hasMessageContaining(LockSettings.address(seeds.get(1)));
    }

    /**
     * Waits until {@code thread}, blocked in {@code service.acquire(key, ...)}, has made an attempt since
     * {@code before} round trips, has its release subscription on the server, and is parked until a message
     * or its timer.
     */
    private void awaitParked(JedisLockService service, long before, Thread thread) {
        // The service's one pattern subscription covers every release channel; no other service is waiting.
        Await.until(Duration.ofSeconds(10), () -> service.roundTrips() > before
                && node.<Long>call(jedis -> jedis.pubsubNumPat()) > 0
                && parked(thread), "the waiter to be subscribed and parked");
    }

    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private JedisLockService direct() {
        JedisLockService service = new JedisLockService(redis.settings());
        services.add(service);
        return service;
    }

    private JedisLockService proxied(Duration commandTimeout) {
        JedisLockService service = new JedisLockService(new LockSettings(List.of(node.proxy().uri()), commandTimeout));
        services.add(service);
        service.tryAcquire(key("warm-up"), TTL).orElseThrow().release();
        return service;
    }

    /** Opens several pooled connections by running calls from several threads at once. */
    private void warmSeveralConnections(JedisLockService service) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                done.add(threads.submit(() -> {
                    for (int n = 0; n < 50; n++) {
                        service.tryAcquire(key("warm"), TTL).orElseThrow().release();
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private String key(String name) {
        return redis.keyPrefix() + name + ":" + names.incrementAndGet();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
