package io.lockbench.fifo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.fixture.RedisNode;
import io.lockbench.testkit.Await;
import io.lockbench.testkit.CommandStats;
import io.lockbench.testkit.RealRedisSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * What makes {@code fifo} different, on a real server: waiters are granted in arrival order; a grant reaches
 * the waiter as a message and costs it no command; a waiter that stopped calling is skipped once its queue
 * window ({@link FifoLockService#QUEUE_WINDOW}) has passed; a waiter that gives up leaves the queue; a hot key
 * costs about two commands per critical section. Commands are counted by the server, never inferred from
 * timing.
 */
class FifoQueueIT extends RealRedisSuite {

    private static final Logger LOG = LoggerFactory.getLogger(FifoQueueIT.class);
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<LockService> services = new ArrayList<>();
    private ExecutorService threads;

    @Override
    protected LockService newService(LockSettings settings) {
        return new FifoLockService(settings);
    }

    private FifoLockService service() {
        FifoLockService service = new FifoLockService(nodes().settings());
        services.add(service);
        return service;
    }

    @BeforeEach
    void startThreads() {
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void closeAll() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("test threads ended").isTrue();
        services.forEach(LockService::close);
        services.clear();
    }

    private RedisNode node() {
        return nodes().node(0);
    }

    private long queued(FifoKeys keys) {
        return node().call(jedis -> jedis.llen(keys.queue()));
    }

    private <T> Future<T> background(Callable<T> task) {
        return threads.submit(task);
    }

    @Test
    @DisplayName("the SHA1 EVALSHA uses is the one SCRIPT LOAD returns")
    void sha1IsPinned() {
        String loaded = node().call(jedis -> jedis.scriptLoad(FifoScripts.FIFO.source()));
        // Pinned as a literal: a change to the script's text shows here, and the server must agree.
        assertThat(loaded).isEqualTo("024200712d94f1fc699959d749dee19987101cc9");
        assertThat(FifoScripts.FIFO.sha1()).isEqualTo(loaded);
    }

    @Test
    @DisplayName("four waiters on four services are granted the lock in the order they queued")
    void waitersAreGrantedInArrivalOrder() throws Exception {
        String key = key("order");
        FifoKeys keys = FifoKeys.of(key);
        Lease held = service().tryAcquire(key, TTL).orElseThrow();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int index = i;
            FifoLockService waiter = service();
            waiting.add(background(() -> {
                Lease lease = waiter.acquire(key, TTL, WAIT).orElseThrow();
                order.add(index);
                return lease.release();
            }));
            Await.until(Duration.ofSeconds(10), () -> queued(keys) == index + 1, "waiter " + index + " queued");
        }
        assertThat(held.release()).isEqualTo(ReleaseResult.RELEASED);
        for (Future<?> future : waiting) {
            assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo(ReleaseResult.RELEASED);
        }
        assertThat(order).as("grant order").containsExactly(0, 1, 2, 3);
        assertThat(queued(keys)).as("queue left behind").isZero();
    }

    @Test
    @DisplayName("a grant reaches the waiter as a message: 50 handoffs cost the waiter no command, the release one")
    void aGrantCostsTheWaiterNoCommand() throws Exception {
        FifoLockService holder = service();
        FifoLockService waiter = service();
        // A first handoff starts the waiter's subscriber (a grant published before its subscription was live
        // is picked up by one more attempt, which this test would count).
        handoff(holder, waiter);
        int rounds = 50;
        Handoff total = new Handoff(0, 0, 0);
        for (int round = 0; round < rounds; round++) {
            Handoff one = handoff(holder, waiter);
            total = new Handoff(total.waiterCommands + one.waiterCommands, total.scriptCalls + one.scriptCalls,
                    total.grants + one.grants);
        }
        // Each round has one release; a waiter that had to ask again would add one command per round. Its
        // fallback poll (every 32 to 128 ms) may fall into a handoff now and then.
        assertThat(total.grants).as("grants published").isEqualTo(rounds);
        assertThat(total.waiterCommands).as("the waiter's commands during %d handoffs", rounds).isLessThanOrEqualTo(5);
        assertThat(total.scriptCalls).as("commands the server ran during %d handoffs", rounds)
                .isLessThanOrEqualTo(rounds + 5L);
    }

    /** Counts of one handoff: the waiter's own script calls, all script calls the server ran, grants published. */
    private record Handoff(long waiterCommands, long scriptCalls, long grants) {
    }

    private Handoff handoff(FifoLockService holder, FifoLockService waiter) throws Exception {
        String key = key("handoff");
        FifoKeys keys = FifoKeys.of(key);
        Lease held = holder.tryAcquire(key, TTL).orElseThrow();
        Future<Optional<Lease>> waiting = background(() -> waiter.acquire(key, TTL, WAIT));
        Await.until(Duration.ofSeconds(10), () -> queued(keys) == 1, "the waiter queued");
        CommandStats before = CommandStats.of(node());
        long waiterBefore = waiter.roundTrips();
        assertThat(held.release()).isEqualTo(ReleaseResult.RELEASED);
        Lease lease = waiting.get(10, TimeUnit.SECONDS).orElseThrow();
        long waiterCommands = waiter.roundTrips() - waiterBefore;
        CommandStats after = CommandStats.of(node());
        long asked = System.nanoTime();
        long pttl = node().call((Jedis jedis) -> jedis.pttl(keys.names().lock()));
        assertThat(node().call((Jedis jedis) -> jedis.get(keys.names().lock())))
                .as("the server holds the lock for the waiter").isEqualTo(lease.ownerToken());
        assertThat(lease.validUntilNanos()).as("validity never later than the server's expiry")
                .isLessThan(asked + TimeUnit.MILLISECONDS.toNanos(pttl - 1));
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        return new Handoff(waiterCommands, after.clientCommandsSince(before), after.callsSince(before, "publish"));
    }

    @Test
    @DisplayName("a grant message whose fencing token is not above what the waiter's last call saw is ignored")
    void aStaleGrantIsIgnored() throws Exception {
        String key = key("stale-grant");
        FifoKeys keys = FifoKeys.of(key);
        Lease held = service().tryAcquire(key, TTL).orElseThrow();
        FifoLockService waiter = service();
        Future<Optional<Lease>> waiting = background(() -> waiter.acquire(key, TTL, WAIT));
        Await.until(Duration.ofSeconds(10), () -> queued(keys) == 1, "the waiter queued");
        String token = node().call(jedis -> jedis.lindex(keys.queue(), 0));
        long calls = waiter.roundTrips();
        // As if announcing a grant made before the waiter's last call: the holder's own token is not above it.
        node().call(jedis -> jedis.publish(keys.names().channel(), token + " " + held.fencingToken()));
        // The message wakes the waiter, which does not take it as a grant and asks the server instead.
        Await.until(Duration.ofSeconds(10), () -> waiter.roundTrips() > calls, "the waiter asked the server");
        assertThat(waiting).as("still waiting").isNotDone();
        assertThat(held.release()).isEqualTo(ReleaseResult.RELEASED);
        Lease lease = waiting.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(lease.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(node().call((Jedis jedis) -> jedis.get(keys.names().lock()))).isEqualTo(lease.ownerToken());
        lease.release();
    }

    @Test
    @DisplayName("a waiter that stops calling is skipped once its queue window has passed")
    void aDeadWaiterIsSkippedAfterItsWindow() throws Exception {
        String key = key("dead-waiter");
        FifoKeys keys = FifoKeys.of(key);
        Lease held = service().tryAcquire(key, TTL).orElseThrow();
        // A waiter whose process is gone: queued by one acquire call, never calling again.
        String dead = "dead-waiter-token-0123456789abcdef";
        long serverBefore = serverMillis();
        Object reply = node().call(jedis -> jedis.eval(FifoScripts.FIFO.source(), keys.scriptKeys(),
                List.of("acquire", dead, keys.names().channel(), Long.toString(TTL.toMillis()),
                        Long.toString(FifoLockService.QUEUE_WINDOW.toMillis()))));
        long serverAfter = serverMillis();
        assertThat(((List<?>) reply).get(0)).as("queued, not granted").isEqualTo(FifoScripts.HELD);
        long deadline = Long.parseLong(node().call(jedis -> jedis.hget(keys.waiters(), dead)).split(" ")[0]);
        assertThat(deadline).as("its deadline: the window after its call, on the server's clock")
                .isBetween(serverBefore + FifoLockService.QUEUE_WINDOW.toMillis(),
                        serverAfter + FifoLockService.QUEUE_WINDOW.toMillis());

        FifoLockService live = service();
        Future<Optional<Lease>> waiting = background(() -> live.acquire(key, TTL, WAIT));
        Await.until(Duration.ofSeconds(10), () -> queued(keys) == 2, "the live waiter queued behind the dead one");
        Await.until(Duration.ofSeconds(10), () -> serverMillis() > deadline, "the dead waiter's window passed");
        assertThat(held.release()).isEqualTo(ReleaseResult.RELEASED);

        Lease lease = waiting.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(node().call((Jedis jedis) -> jedis.get(keys.names().lock())))
                .as("the lock went to the live waiter").isEqualTo(lease.ownerToken());
        assertThat(node().<Boolean>call(jedis -> jedis.hexists(keys.waiters(), dead))).as("dead entry dropped").isFalse();
        assertThat(queued(keys)).isZero();
        lease.release();
    }

    @Test
    @DisplayName("a waiter whose maxWait runs out leaves the queue, and the next release has nobody to grant")
    void aWaiterThatGivesUpLeavesTheQueue() throws Exception {
        String key = key("gives-up");
        FifoKeys keys = FifoKeys.of(key);
        Lease held = service().tryAcquire(key, TTL).orElseThrow();
        assertThat(service().acquire(key, TTL, Duration.ofMillis(300))).isEmpty();
        assertThat(queued(keys)).as("queue").isZero();
        assertThat(node().<Boolean>call(jedis -> jedis.exists(keys.waiters()))).as("waiter entries").isFalse();
        CommandStats before = CommandStats.of(node());
        assertThat(held.release()).isEqualTo(ReleaseResult.RELEASED);
        assertThat(CommandStats.of(node()).callsSince(before, "publish")).as("grants").isZero();
        assertThat(node().<Boolean>call(jedis -> jedis.exists(keys.names().lock()))).as("lock left").isFalse();
    }

    @Test
    @DisplayName("close() ends a queued wait and takes it out of the queue before the connections close")
    void closeLeavesTheQueue() throws Exception {
        String key = key("close");
        FifoKeys keys = FifoKeys.of(key);
        Lease held = service().tryAcquire(key, TTL).orElseThrow();
        FifoLockService waiter = service();
        Future<Optional<Lease>> waiting = background(() -> waiter.acquire(key, TTL, WAIT));
        Await.until(Duration.ofSeconds(10), () -> queued(keys) == 1, "the waiter queued");
        waiter.close();
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(queued(keys)).as("queue after close").isZero();
        assertThat(node().<Boolean>call(jedis -> jedis.exists(keys.waiters()))).as("waiter entries").isFalse();
        assertThat(held.release()).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("8 threads, one key, hold 0: only script calls, at most 3 per critical section (about 2)")
    void hotKeyCommandsPerSection() throws Exception {
        FifoLockService service = service();
        String key = key("hot");
        int sections = 2_000;
        service.tryAcquire(key, TTL).orElseThrow().release();
        long before = service.roundTrips();
        CommandStats stats = CommandStats.of(node());
        AtomicInteger started = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            workers.add(background(() -> {
                while (started.getAndIncrement() < sections) {
                    service.acquire(key, TTL, WAIT).orElseThrow().release();
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(120, TimeUnit.SECONDS);
        }
        CommandStats after = CommandStats.of(node());
        long client = after.clientCommandsSince(stats);
        long scripts = after.callsSince(stats, "evalsha") + after.callsSince(stats, "eval");
        LOG.info("{} sections on one key, 8 threads: {} script calls ({} per section), {} grants by the server",
                sections, client, (double) client / sections, after.callsSince(stats, "publish"));
        assertThat(client).as("only script calls reach the server").isEqualTo(scripts);
        assertThat(service.roundTrips() - before).as("the service's own count").isEqualTo(scripts);
        assertThat((double) client / sections).as("commands per critical section").isLessThanOrEqualTo(3.0);
        assertThat(after.callsSince(stats, "publish")).as("sections handed over by the server")
                .isGreaterThan(sections / 2);
    }

    private long serverMillis() {
        List<String> time = node().call(Jedis::time);
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
