package io.lockbench.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.fixture.RedisNode;
import io.lockbench.safety.FencedResource;
import io.lockbench.safety.SafetyChecker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link LockService} contract, run against real Redis servers. Each implementation module proves
 * itself with a subclass of a few lines:
 *
 * <pre>{@code
 * class JedisLockServiceIT extends LockServiceContract {
 *     @Override
 *     protected LockService newService(LockSettings settings) {
 *         return new JedisLockService(settings);
 *     }
 * }
 * }</pre>
 *
 * <p>Tests that need a {@link Capability} the service does not declare are skipped with the reason. The
 * checks are black-box: "no key left behind" means another client can take the lock at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class LockServiceContract extends RealRedisSuite {

    /** A ttl long enough that no test waits for it to run out by accident. */
    protected static final Duration LONG_TTL = Duration.ofSeconds(30);
    /** The command timeout used where the test provokes timeouts. */
    protected static final Duration SHORT_COMMAND_TIMEOUT = Duration.ofMillis(500);

    /** How long the wake-up test holds the key while it counts the waiter's commands. */
    private static final Duration HOLD = Duration.ofSeconds(1);
    /**
     * The most commands one server may process for a waiter during {@link #HOLD}. A jittered backoff up to
     * about 100 ms makes about 15 retries a second, each a script and the three commands it runs, plus a
     * clean-up here and there: well under 150. Polling every millisecond would make four thousand, every
     * five milliseconds eight hundred.
     */
    private static final long MAX_COMMANDS_PER_HOLD = 300;

    private final List<LockService> services = new ArrayList<>();

    @AfterEach
    final void closeServices() {
        synchronized (services) {
            services.forEach(LockService::close);
            services.clear();
        }
        for (RedisNode node : nodes().nodes()) {
            node.proxy().reset();
        }
    }

    /**
     * A service on the suite's servers, closed after the test.
     *
     * @return a new service
     */
    protected final LockService service() {
        return open(nodes().settings());
    }

    /**
     * A service with these settings, closed after the test.
     *
     * @param settings where to connect
     * @return a new service
     */
    protected final LockService open(LockSettings settings) {
        LockService service = newService(settings);
        synchronized (services) {
            services.add(service);
        }
        return service;
    }

    private LockSettings throughProxies() {
        List<URI> proxied = nodes().nodes().stream().map(node -> node.proxy().uri()).toList();
        return new LockSettings(proxied, SHORT_COMMAND_TIMEOUT);
    }

    private void requires(Capability capability) {
        LockService probe = service();
        assumeTrue(probe.capabilities().contains(capability),
                probe.name() + " does not declare " + capability + "; the test does not apply");
    }

    // ---------------------------------------------------------------------------------------------------
    // Identity

    @Test
    @DisplayName("name() is registered as a provider, capabilities are declared, lease carries its facts")
    void identityAndLeaseFacts() {
        LockService service = service();
        assertThat(LockServices.names()).as("registered providers").contains(service.name());
        assertThat(service.capabilities()).isNotNull();
        assertThat(LockServices.provider(service.name()).capabilities()).as("capabilities the provider declares")
                .isEqualTo(service.capabilities());
        String key = key("facts");
        long before = System.nanoTime();
        Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
        long after = System.nanoTime();
        assertThat(lease.key()).isEqualTo(key);
        assertThat(lease.ownerToken()).as("owner token (>= 128 bits, 32 hex characters)").hasSizeGreaterThanOrEqualTo(32);
        assertThat(lease.isValid()).isTrue();
        assertThat(lease.validUntilNanos() - after).as("validity ends no later than a ttl after the reply")
                .isLessThanOrEqualTo(LONG_TTL.toNanos());
        assertThat(lease.validUntilNanos() - before).as("validity covers most of the ttl")
                .isGreaterThan(LONG_TTL.toNanos() * 9 / 10);
        if (service.capabilities().contains(Capability.FENCING)) {
            assertThat(lease.fencingToken()).as("fencing token").isPositive();
        }
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        assertThat(lease.isValid()).as("valid after release").isFalse();
        lease.close();
        Lease second = service.tryAcquire(key, LONG_TTL).orElseThrow();
        assertThat(second.ownerToken()).as("a new token per grant").isNotEqualTo(lease.ownerToken());
        second.close();
        second.close();
        assertThat(second.isValid()).isFalse();
        assertThat(service.tryAcquire(key, LONG_TTL)).as("close() released the lock").isPresent();
    }

    // ---------------------------------------------------------------------------------------------------
    // Mutual exclusion

    @Test
    @DisplayName("16 threads over 3 services, 2,000 sections on one key: never two inside")
    void mutualExclusionUnderContention() throws Exception {
        List<LockService> three = List.of(service(), service(), service());
        String key = key("mutex");
        int threads = 16;
        int sections = 2_000;
        AtomicInteger started = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ConcurrentLinkedQueue<ReleaseResult> releases = new ConcurrentLinkedQueue<>();
        SafetyChecker checker = new SafetyChecker();
        FencedResource resource = FencedResource.unfenced();
        runThreads(threads, index -> {
            LockService service = three.get(index % three.size());
            while (started.getAndIncrement() < sections) {
                Lease lease = service.acquire(key, LONG_TTL, Duration.ofSeconds(60))
                        .orElseThrow(() -> new AssertionError("acquire timed out after 60 s"));
                try (SafetyChecker.Section section = checker.enter("t" + index, lease.fencingToken())) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    section.write(resource);
                    inside.decrementAndGet();
                }
                releases.add(lease.release());
            }
        });
        SafetyChecker.Report report = checker.report(resource);
        assertThat(maxInside.get()).as("threads inside the critical section at once").isEqualTo(1);
        assertThat(report.overlaps()).as("overlapping sections: %s", report.examples()).isZero();
        assertThat(report.sections()).isEqualTo(sections);
        assertThat(releases).as("every release found its own lock").containsOnly(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("tryAcquire on a held key returns empty at once")
    void tryAcquireOnHeldKeyReturnsEmpty() {
        LockService holder = service();
        LockService other = service();
        String key = key("held");
        Lease lease = holder.tryAcquire(key, LONG_TTL).orElseThrow();
        long start = System.nanoTime();
        assertThat(other.tryAcquire(key, LONG_TTL)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one attempt, no waiting")
                .isLessThan(Duration.ofSeconds(1));
        if (!holder.capabilities().contains(Capability.REENTRANT)) {
            assertThat(holder.tryAcquire(key, LONG_TTL)).as("same service, not reentrant").isEmpty();
        }
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        assertThat(other.tryAcquire(key, LONG_TTL)).isPresent();
    }

    @Test
    @DisplayName("acquire with zero wait makes one attempt")
    void acquireWithZeroWaitIsOneAttempt() throws InterruptedException {
        String key = key("zero-wait");
        service().tryAcquire(key, LONG_TTL).orElseThrow();
        long start = System.nanoTime();
        assertThat(service().acquire(key, LONG_TTL, Duration.ZERO)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @DisplayName("a waiting acquire takes the lock after release, and does not spin while it waits")
    void acquireIsWokenByRelease() throws Exception {
        LockService holder = service();
        LockService waiter = service();
        warmUp(holder);
        warmUp(waiter);
        for (int round = 0; round < 3; round++) {
            String key = key("handoff");
            Lease lease = holder.tryAcquire(key, LONG_TTL).orElseThrow();
            ServerCommands commands = new ServerCommands(nodes());
            Future<Optional<Lease>> waiting = background(() -> waiter.acquire(key, LONG_TTL, Duration.ofSeconds(20)));
            Await.until(Duration.ofSeconds(10), () -> commands.mostOnOneServer() > 0, "the waiter made its first attempt");
            // The hold is the workload: while it lasts, a waiter that polls without backing off would send
            // thousands of commands; one that waits for the release message sends a few fallback retries.
            ServerCommands hold = new ServerCommands(nodes());
            Thread.sleep(HOLD.toMillis());
            long duringHold = hold.mostOnOneServer();
            assertThat(waiting).as("still waiting while held").isNotDone();
            assertThat(duringHold).as("commands one server processed during a %d ms hold", HOLD.toMillis())
                    .isLessThanOrEqualTo(MAX_COMMANDS_PER_HOLD);
            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
            Lease next = waiting.get(20, TimeUnit.SECONDS).orElseThrow();
            next.release();
        }
    }

    @Test
    @DisplayName("acquire honours maxWait when the key stays held")
    void acquireHonoursMaxWait() throws InterruptedException {
        String key = key("max-wait");
        service().tryAcquire(key, LONG_TTL).orElseThrow();
        Duration maxWait = Duration.ofMillis(400);
        long start = System.nanoTime();
        assertThat(service().acquire(key, LONG_TTL, maxWait)).isEmpty();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("waited about maxWait").isGreaterThanOrEqualTo(maxWait.minusMillis(20))
                .isLessThan(maxWait.plusSeconds(2));
    }

    @Test
    @DisplayName("an interrupted acquire throws InterruptedException and leaves no key behind")
    void interruptDuringAcquire() throws Exception {
        LockService holder = service();
        LockService waiter = service();
        String key = key("interrupt");
        Lease lease = holder.tryAcquire(key, LONG_TTL).orElseThrow();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                waiter.acquire(key, LONG_TTL, Duration.ofSeconds(60)).ifPresent(Lease::close);
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                done.countDown();
            }
        }, "contract-interrupted-waiter");
        thread.start();
        Await.until(Duration.ofSeconds(10), () -> thread.getState() == Thread.State.WAITING
                || thread.getState() == Thread.State.TIMED_WAITING, "the waiter is parked in acquire");
        thread.interrupt();
        assertThat(done.await(5, TimeUnit.SECONDS)).as("acquire returned after the interrupt").isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        LockService probe = service();
        Await.until(Duration.ofSeconds(5), () -> probe.tryAcquire(key, LONG_TTL).isPresent(),
                "the interrupted waiter left no lock behind (its ttl is " + LONG_TTL + ")");
    }

    // ---------------------------------------------------------------------------------------------------
    // Expiry and stale holders

    @Test
    @DisplayName("after the ttl the lease is invalid and another owner can take the key")
    void expiry() {
        String key = key("expiry");
        Duration ttl = Duration.ofMillis(300);
        Lease lease = service().tryAcquire(key, ttl).orElseThrow();
        assertThat(lease.isValid()).isTrue();
        Await.until(Duration.ofSeconds(2), () -> !lease.isValid(), "lease invalid after its ttl");
        LockService other = service();
        Await.until(Duration.ofSeconds(3), () -> other.tryAcquire(key, LONG_TTL).isPresent(),
                "another owner takes the key after the ttl");
    }

    @Test
    @DisplayName("a stale lease's release returns EXPIRED or NOT_OWNER and leaves the new owner's lock alone")
    void staleReleaseDoesNotDeleteNewOwnersLock() {
        String key = key("stale-release");
        LockService stale = service();
        LockService fresh = service();
        Lease old = stale.tryAcquire(key, Duration.ofMillis(200)).orElseThrow();
        Lease current = awaitLease(fresh, key, LONG_TTL);
        assertThat(old.release()).isIn(ReleaseResult.EXPIRED, ReleaseResult.NOT_OWNER);
        assertThat(service().tryAcquire(key, LONG_TTL)).as("new owner's lock survived the stale release").isEmpty();
        assertThat(current.extend(LONG_TTL)).as("new owner still holds it").isTrue();
        assertThat(current.release()).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("a stale lease's extend returns false and does not extend the new owner's lock")
    void staleExtendDoesNotTouchNewOwnersLock() throws InterruptedException {
        String key = key("stale-extend");
        LockService stale = service();
        Lease old = stale.tryAcquire(key, Duration.ofMillis(200)).orElseThrow();
        Duration freshTtl = Duration.ofSeconds(1);
        Lease current = awaitLease(service(), key, freshTtl);
        long freshAcquired = System.nanoTime();
        assertThat(old.extend(Duration.ofSeconds(60))).as("stale extend").isFalse();
        assertThat(old.isValid()).isFalse();
        assertThat(current.isValid()).isTrue();
        LockService third = service();
        long sleep = freshTtl.toNanos() - (System.nanoTime() - freshAcquired);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, sleep));
        Await.until(Duration.ofSeconds(3), () -> third.tryAcquire(key, LONG_TTL).isPresent(),
                "the new owner's lock expired on its own ttl, not the stale extend's");
    }

    @Test
    @DisplayName("release after expiry with no new owner returns EXPIRED")
    void releaseAfterExpiry() throws InterruptedException {
        String key = key("expired");
        Lease lease = service().tryAcquire(key, Duration.ofMillis(150)).orElseThrow();
        LockService probe = service();
        Await.until(Duration.ofSeconds(3), () -> {
            Optional<Lease> taken = probe.tryAcquire(key, Duration.ofMillis(100));
            taken.ifPresent(Lease::release);
            return taken.isPresent();
        }, "lock expired");
        // A quorum implementation's probe is released once a quorum answered; a node that granted it late can
        // hold the probe's token until the probe's resolver or its 100 ms ttl removes it, and that is another
        // owner. Past the probe's ttl nobody can hold the key.
        TimeUnit.MILLISECONDS.sleep(150);
        assertThat(lease.release()).isEqualTo(ReleaseResult.EXPIRED);
    }

    @Test
    @DisplayName("extend keeps the lock past its first ttl")
    void extendKeepsTheLock() throws InterruptedException {
        String key = key("extend");
        Lease lease = service().tryAcquire(key, Duration.ofMillis(400)).orElseThrow();
        long before = lease.validUntilNanos();
        assertThat(lease.extend(Duration.ofSeconds(5))).isTrue();
        assertThat(lease.validUntilNanos()).isGreaterThan(before);
        Thread.sleep(700);
        assertThat(lease.isValid()).isTrue();
        assertThat(service().tryAcquire(key, LONG_TTL)).as("still held after the first ttl").isEmpty();
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("a lease can be released from another thread (ANY_THREAD_RELEASE)")
    void releaseFromAnotherThread() throws Exception {
        requires(Capability.ANY_THREAD_RELEASE);
        LockService service = service();
        String key = key("other-thread");
        Lease lease = background(() -> service.tryAcquire(key, LONG_TTL).orElseThrow()).get(10, TimeUnit.SECONDS);
        assertThat(background(() -> lease.extend(LONG_TTL)).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(background(lease::release).get(10, TimeUnit.SECONDS)).isEqualTo(ReleaseResult.RELEASED);
        assertThat(service().tryAcquire(key, LONG_TTL)).isPresent();
    }

    // ---------------------------------------------------------------------------------------------------
    // Fencing

    @Test
    @DisplayName("fencing tokens are positive and strictly increasing across 1,000 grants from 3 services")
    void fencingTokensIncrease() throws Exception {
        requires(Capability.FENCING);
        List<LockService> three = List.of(service(), service(), service());
        String key = key("fencing");
        AtomicInteger started = new AtomicInteger();
        AtomicLong last = new AtomicLong();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        FencedResource resource = FencedResource.fenced();
        runThreads(6, index -> {
            LockService service = three.get(index % 3);
            while (started.getAndIncrement() < 1_000) {
                Lease lease = service.acquire(key, LONG_TTL, Duration.ofSeconds(60)).orElseThrow();
                long token = lease.fencingToken();
                long previous = last.getAndSet(token);
                if (token <= 0 || token <= previous) {
                    violations.add(previous + " -> " + token);
                }
                resource.write(token, "t" + index);
                lease.release();
            }
        });
        assertThat(violations).as("tokens not above the previous grant's").isEmpty();
        assertThat(resource.rejected()).isZero();
        assertThat(resource.accepted()).isEqualTo(1_000);
    }

    // ---------------------------------------------------------------------------------------------------
    // Faults

    @Test
    @DisplayName("ambiguous timeout: the reply to acquire is lost; the call ends within its timeout and no key is left held")
    void ambiguousTimeoutLeavesNoKey() {
        LockService service = open(throughProxies());
        warmUp(service);
        String key = key("ambiguous");
        nodes().nodes().forEach(node -> node.proxy().dropResponses(true));
        long start = System.nanoTime();
        try {
            Optional<Lease> lease = service.tryAcquire(key, LONG_TTL);
            assertThat(lease).as("no lease can be granted when no reply arrives").isEmpty();
        } catch (LockBackendException expected) {
            assertThat(expected.getMessage()).contains("127.0.0.1");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("bounded by the command timeout").isLessThan(SHORT_COMMAND_TIMEOUT.multipliedBy(4).plusSeconds(2));
        nodes().nodes().forEach(node -> node.proxy().dropResponses(false));
        LockService direct = service();
        Await.until(Duration.ofSeconds(10), () -> direct.tryAcquire(key, Duration.ofSeconds(1)).isPresent(),
                "the key written by the ambiguous acquire is released long before its " + LONG_TTL + " ttl");
    }

    @Test
    @DisplayName("frozen server: acquire fails within the command timeout with LockBackendException, no key left")
    void frozenServerTimesOut() {
        LockService service = open(throughProxies());
        warmUp(service);
        String key = key("frozen");
        nodes().nodes().forEach(node -> node.proxy().freeze());
        long start = System.nanoTime();
        assertThatThrownBy(() -> service.tryAcquire(key, LONG_TTL))
                .isInstanceOf(LockBackendException.class).hasMessageContaining("127.0.0.1");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(SHORT_COMMAND_TIMEOUT.multipliedBy(4).plusSeconds(2));
        nodes().nodes().forEach(node -> node.proxy().unfreeze());
        LockService direct = service();
        Await.until(Duration.ofSeconds(10), () -> direct.tryAcquire(key, Duration.ofSeconds(1)).isPresent(),
                "no key of the timed-out acquire is left held");
    }

    @Test
    @DisplayName("unreachable server: LockBackendException naming the address, within the command timeout")
    void unreachableServer() {
        List<URI> closed = new ArrayList<>();
        for (int i = 0; i < nodeCount(); i++) {
            closed.add(URI.create("redis://127.0.0.1:" + closedPort()));
        }
        LockSettings settings = new LockSettings(closed, SHORT_COMMAND_TIMEOUT);
        String firstAddress = LockSettings.address(closed.get(0));
        long start = System.nanoTime();
        assertThatThrownBy(() -> {
            try (LockService service = newService(settings)) {
                service.tryAcquire(key("unreachable"), LONG_TTL);
            }
        }).isInstanceOf(LockBackendException.class).hasMessageContaining(firstAddress);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(SHORT_COMMAND_TIMEOUT.multipliedBy(4).plusSeconds(2));
    }

    // ---------------------------------------------------------------------------------------------------
    // Bad input and lifecycle

    @Test
    @DisplayName("bad input: IllegalArgumentException naming the argument")
    void badInput() {
        LockService service = service();
        String key = key("bad");
        Duration tooLong = service.maxTtl().plusMillis(1);
        assertIllegal("key", () -> service.tryAcquire(null, LONG_TTL));
        assertIllegal("key", () -> service.tryAcquire("", LONG_TTL));
        assertIllegal("key", () -> service.tryAcquire("  ", LONG_TTL));
        assertIllegal("ttl", () -> service.tryAcquire(key, null));
        assertIllegal("ttl", () -> service.tryAcquire(key, Duration.ZERO));
        assertIllegal("ttl", () -> service.tryAcquire(key, Duration.ofMillis(-5)));
        assertIllegal("ttl", () -> service.tryAcquire(key, tooLong));
        assertIllegal("ttl", () -> service.acquire(key, tooLong, Duration.ZERO));
        assertIllegal("maxWait", () -> service.acquire(key, LONG_TTL, Duration.ofMillis(-1)));
        assertIllegal("maxWait", () -> service.acquire(key, LONG_TTL, null));
        assertIllegal("key", () -> service.acquire(" ", LONG_TTL, Duration.ZERO));
        // Durations too large for a long of nanoseconds or milliseconds: an argument error, not an overflow.
        assertIllegal("ttl", () -> service.tryAcquire(key, ChronoUnit.FOREVER.getDuration()));
        assertIllegal("ttl", () -> service.tryAcquire(key, Duration.ofSeconds(Long.MIN_VALUE)));
        assertIllegal("ttl", () -> service.acquire(key, ChronoUnit.FOREVER.getDuration(), Duration.ZERO));
        // Unpaired surrogates have no UTF-8 form: such keys would all reach the server as the same bytes.
        assertIllegal("key", () -> service.tryAcquire(key + "\uD800", LONG_TTL));
        assertIllegal("key", () -> service.acquire(key + "\uDBFF", LONG_TTL, Duration.ZERO));
        Lease lease = service.tryAcquire(key, LONG_TTL).orElseThrow();
        assertIllegal("ttl", () -> lease.extend(Duration.ZERO));
        assertIllegal("ttl", () -> lease.extend(tooLong));
        assertIllegal("ttl", () -> lease.extend(ChronoUnit.FOREVER.getDuration()));
        assertIllegal("ttl", () -> lease.extend(Duration.ofSeconds(Long.MIN_VALUE)));
        assertThat(lease.release()).as("bad input left the lock intact").isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("use after close: IllegalStateException; close is idempotent")
    void useAfterClose() {
        LockService service = newService(nodes().settings());
        service.close();
        service.close();
        assertThatThrownBy(() -> service.tryAcquire(key("closed"), LONG_TTL)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> service.acquire(key("closed"), LONG_TTL, Duration.ZERO))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("close() ends every acquire blocked on the service with IllegalStateException")
    void closeEndsBlockedAcquires() throws Exception {
        LockService holder = service();
        LockService waiter = newService(nodes().settings());
        String key = key("close-blocked");
        Lease lease = holder.tryAcquire(key, LONG_TTL).orElseThrow();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> ended = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread thread = new Thread(() -> {
                try {
                    waiter.acquire(key, LONG_TTL, LONG_TTL).ifPresent(Lease::close);
                    ended.add(new AssertionError("acquire returned while the key was held"));
                } catch (Throwable t) {
                    ended.add(t);
                }
            }, "contract-blocked-" + i);
            threads.add(thread);
            thread.start();
        }
        Await.until(Duration.ofSeconds(10), () -> threads.stream().allMatch(thread -> thread.getState()
                == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING), "all waiters parked");
        waiter.close();
        Await.until(Duration.ofSeconds(10), () -> ended.size() == threads.size(),
                "every blocked acquire ended after close (maxWait " + LONG_TTL + ")");
        assertThat(ended).allMatch(IllegalStateException.class::isInstance, "each ended with IllegalStateException");
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    @DisplayName("close() leaves no thread and no server connection behind")
    void closeLeavesNothingBehind() throws Exception {
        Set<Long> threadsBefore = LeftoverThreads.liveThreadIds();
        List<Integer> clientsBefore = clientCounts();
        for (int round = 0; round < 2; round++) {
            LockService a = newService(nodes().settings());
            LockService b = newService(nodes().settings());
            String key = key("close");
            Lease lease = a.tryAcquire(key, LONG_TTL).orElseThrow();
            Future<Optional<Lease>> waiting = background(() -> b.acquire(key, LONG_TTL, Duration.ofSeconds(10)));
            Thread.sleep(100);
            lease.release();
            waiting.get(10, TimeUnit.SECONDS).ifPresent(Lease::release);
            a.close();
            b.close();
        }
        Await.until(Duration.ofSeconds(10), () -> LeftoverThreads.newThreads(threadsBefore).isEmpty(),
                "threads left after close: " + LeftoverThreads.names(LeftoverThreads.newThreads(threadsBefore)));
        Await.until(Duration.ofSeconds(10), () -> clientCounts().equals(clientsBefore),
                "server connections back to " + clientsBefore + " after close, now " + clientCounts());
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    private void warmUp(LockService service) {
        String key = key("warm-up");
        service.tryAcquire(key, LONG_TTL).orElseThrow().release();
    }

    private Lease awaitLease(LockService service, String key, Duration ttl) {
        AtomicReference<Lease> got = new AtomicReference<>();
        Await.until(Duration.ofSeconds(5), () -> {
            service.tryAcquire(key, ttl).ifPresent(got::set);
            return got.get() != null;
        }, "the key becomes free after the first lease's ttl");
        return got.get();
    }

    private static void assertIllegal(String argument, ThrowingCall call) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(argument);
    }

    /** A call that may throw anything; for assertThatThrownBy. */
    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    /** A test thread's body. */
    @FunctionalInterface
    private interface Body {
        void run(int index) throws Exception;
    }

    private static void runThreads(int count, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    body.run(index);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static <T> Future<T> background(Callable<T> task) {
        ExecutorService one = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "contract-background");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return one.submit(task);
        } finally {
            one.shutdown();
        }
    }


    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    private List<Integer> clientCounts() {
        return nodes().nodes().stream()
                .map(node -> node.call(jedis -> (int) jedis.clientList().lines().count()))
                .toList();
    }
}
