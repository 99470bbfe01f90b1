package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watchdog's own logic, over scripted leases. Time is the test's: a manual clock and scheduler run each
 * renewal when the test advances the clock, so counts and deadlines are exact and the machine's speed does
 * not matter. Only the tests of the watchdog's own thread use a real one, and wait with a generous bound.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AutoRenewalTest {

    private static final Duration TTL = Duration.ofMillis(600);

    private final ManualTime time = new ManualTime();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<RenewalFailure> told = new CopyOnWriteArrayList<>();
    private final RenewalListener recording = (lease, failure) -> told.add(failure);

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A watchdog on {@link #time}: renewals run only when the test advances the clock. */
    private AutoRenewal manual() {
        AutoRenewal renewal = AutoRenewal.create(time, time::nanoTime);
        closing.add(renewal);
        return renewal;
    }

    private ScriptedLease lease(String key, Duration ttl, ScriptedLease.Reply reply) {
        return new ScriptedLease(key, ttl, reply, time::nanoTime);
    }

    /** A watchdog with its own thread, for the tests of the thread itself. */
    private AutoRenewal renewal() {
        AutoRenewal renewal = AutoRenewal.create();
        closing.add(renewal);
        return renewal;
    }

    @Test
    void argumentsAreCheckedAndNamed() {
        AutoRenewal renewal = renewal();
        ScriptedLease lease = new ScriptedLease("k", TTL, ScriptedLease.CONFIRM);
        assertIllegal("lease", () -> renewal.keep(null, TTL, recording));
        assertIllegal("ttl", () -> renewal.keep(lease, null, recording));
        assertIllegal("ttl", () -> renewal.keep(lease, Duration.ZERO, recording));
        assertIllegal("ttl", () -> renewal.keep(lease, Duration.ofNanos(999_999), recording));
        assertIllegal("ttl", () -> renewal.keep(lease, ChronoUnit.FOREVER.getDuration(), recording));
        assertIllegal("ttl", () -> renewal.keep(lease, Duration.ofSeconds(Long.MIN_VALUE), recording));
        assertIllegal("renewEvery", () -> renewal.keep(lease, TTL, null, recording));
        assertIllegal("renewEvery", () -> renewal.keep(lease, TTL, Duration.ZERO, recording));
        assertIllegal("renewEvery", () -> renewal.keep(lease, TTL, Duration.ofMillis(-1), recording));
        assertIllegal("renewEvery", () -> renewal.keep(lease, TTL, TTL, recording));
        assertIllegal("onLost", () -> renewal.keep(lease, TTL, null));
        assertIllegal("scheduler", () -> AutoRenewal.create(null));
        assertThat(renewal.size()).as("nothing kept by the refused calls").isZero();

        RenewedLease kept = renewal.keep(lease, TTL, recording);
        assertIllegal("lease", () -> renewal.keep(lease, TTL, recording));
        kept.close();
        assertThatThrownBy(() -> kept.extend(TTL)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");

        renewal.close();
        assertThatThrownBy(() -> renewal.keep(new ScriptedLease("k2", TTL, ScriptedLease.CONFIRM), TTL, recording))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void renewsEveryThirdOfTheTtlAndKeepsTheLeaseValid() {
        ScriptedLease lease = lease("k", TTL, ScriptedLease.CONFIRM);
        RenewedLease kept = manual().keep(lease, TTL, recording);
        time.advance(TTL.multipliedBy(3));
        assertThat(kept.isValid()).as("valid three ttls later").isTrue();
        assertThat(kept.renewals()).as("renewals in three ttls at one per ttl/3").isEqualTo(9);
        assertThat(lease.extendTtls).as("each renewal asks for the ttl").containsOnly(TTL);
        assertThat(kept.failure()).isEmpty();
        assertThat(told).isEmpty();
        assertThat(kept.key()).isEqualTo("k");
        assertThat(kept.fencingToken()).isEqualTo(7);
        assertThat(kept.ownerToken()).isEqualTo("token-k");
        assertThat(kept.validUntilNanos()).isEqualTo(lease.validUntilNanos());
    }

    @Test
    void refusedRenewalLosesTheLeaseAndTellsTheListenerOnce() {
        ScriptedLease lease = lease("k", TTL, ttl -> false);
        AtomicInteger calls = new AtomicInteger();
        RenewedLease kept = manual().keep(lease, TTL, Duration.ofMillis(20), (l, failure) -> {
            calls.incrementAndGet();
            told.add(failure);
        });
        time.advance(Duration.ofMillis(20));
        assertThat(told).containsExactly(RenewalFailure.REFUSED);
        time.advance(Duration.ofMillis(100));
        assertThat(calls.get()).as("listener calls").isEqualTo(1);
        assertThat(kept.failure()).contains(RenewalFailure.REFUSED);
        assertThat(kept.isValid()).as("valid after a refused renewal").isFalse();
        assertThat(lease.isValid()).as("the wrapped lease's own deadline has not passed").isTrue();
        assertThat(lease.extendCalls.get()).as("no renewal after the loss").isEqualTo(1);
        assertThat(time.pending()).as("renewals scheduled after the loss").isZero();
        assertThat(kept.extend(TTL)).as("extend of a lost lease").isFalse();
        kept.close();
        assertThat(lease.releases.get()).as("close still releases by owner token").isEqualTo(1);
        assertThat(calls.get()).as("listener calls after close").isEqualTo(1);
    }

    @Test
    void confirmationAfterTheDeadlineIsALoss() {
        ScriptedLease lease = lease("k", TTL, ttl -> {
            time.pass(TTL.plusMillis(100));
            return true;
        });
        RenewedLease kept = manual().keep(lease, TTL, recording);
        time.advance(TTL.dividedBy(3));
        assertThat(told).containsExactly(RenewalFailure.LATE);
        assertThat(kept.isValid()).as("valid after a late confirmation").isFalse();
        assertThat(lease.extendCalls.get()).as("renewals sent").isEqualTo(1);
    }

    @Test
    void confirmationJustBeforeTheDeadlineKeepsTheLease() {
        ScriptedLease lease = lease("k", TTL, ttl -> {
            time.pass(TTL.minus(TTL.dividedBy(3)).minusNanos(1));
            return true;
        });
        RenewedLease kept = manual().keep(lease, TTL, recording);
        time.advance(TTL.dividedBy(3));
        assertThat(told).isEmpty();
        assertThat(kept.renewals()).isEqualTo(1);
    }

    @Test
    void backendFailureIsRetriedWhileTheLeaseIsValid() {
        AtomicInteger failures = new AtomicInteger();
        ScriptedLease lease = lease("k", TTL, ttl -> {
            if (failures.getAndIncrement() == 0) {
                throw new LockBackendException("127.0.0.1:1", "scripted timeout", null);
            }
            return true;
        });
        RenewedLease kept = manual().keep(lease, TTL, recording);
        time.advance(TTL);
        assertThat(lease.extendCalls.get()).as("the failure at ttl/3, the retry at 2ttl/3, a renewal at ttl").isEqualTo(3);
        assertThat(kept.renewals()).isEqualTo(2);
        assertThat(kept.isValid()).isTrue();
        assertThat(told).isEmpty();
    }

    @Test
    void backendFailuresUntilTheDeadlineExpireTheLeaseAtTheDeadline() {
        ScriptedLease lease = lease("k", TTL, ttl -> {
            throw new LockBackendException("127.0.0.1:1", "scripted outage", null);
        });
        long deadline = lease.validUntilNanos();
        AtomicLong toldAt = new AtomicLong();
        RenewedLease kept = manual().keep(lease, TTL, (l, failure) -> {
            toldAt.set(time.nanoTime());
            told.add(failure);
        });
        time.advance(TTL.multipliedBy(2));
        assertThat(told).containsExactly(RenewalFailure.EXPIRED);
        assertThat(kept.isValid()).isFalse();
        assertThat(lease.extendCalls.get()).as("tries at ttl/3 and 2ttl/3").isEqualTo(2);
        assertThat(toldAt.get()).as("told at the deadline, not a tick later").isEqualTo(deadline);
    }

    @Test
    void aLeaseAlreadyInvalidIsGivenUpAtOnce() {
        ScriptedLease lease = lease("k", Duration.ofMillis(1), ScriptedLease.CONFIRM);
        time.advance(Duration.ofMillis(1));
        RenewedLease kept = manual().keep(lease, TTL, recording);
        time.advance(Duration.ZERO);
        assertThat(told).containsExactly(RenewalFailure.EXPIRED);
        assertThat(lease.extendCalls.get()).as("no renewal sent for an expired lease").isZero();
        assertThat(kept.isValid()).isFalse();
    }

    @Test
    void otherExceptionsFailTheLease() {
        ScriptedLease lease = lease("k", TTL, ttl -> {
            throw new IllegalArgumentException("ttl: scripted");
        });
        RenewedLease kept = manual().keep(lease, TTL, recording);
        time.advance(TTL.dividedBy(3));
        assertThat(told).containsExactly(RenewalFailure.FAILED);
        assertThat(kept.failure()).contains(RenewalFailure.FAILED);
    }

    @Test
    void releaseStopsTheRenewals() {
        AutoRenewal renewal = manual();
        ScriptedLease lease = lease("k", TTL, ScriptedLease.CONFIRM);
        RenewedLease kept = renewal.keep(lease, TTL, Duration.ofMillis(20), recording);
        time.advance(Duration.ofMillis(40));
        assertThat(kept.renewals()).isEqualTo(2);
        assertThat(renewal.size()).isEqualTo(1);
        assertThat(kept.release()).isEqualTo(ReleaseResult.RELEASED);
        time.advance(TTL);
        assertThat(lease.extendCalls.get()).as("renewals after release").isEqualTo(2);
        assertThat(time.pending()).as("renewals scheduled after release").isZero();
        assertThat(renewal.size()).as("kept after release").isZero();
        assertThat(kept.isValid()).isFalse();
        assertThat(told).as("release is not a loss").isEmpty();
        kept.close();
        assertThat(lease.releases.get()).as("close after release does not release again").isEqualTo(1);
    }

    @Test
    void listenerThatThrowsDoesNotStopOtherLeases() {
        AutoRenewal renewal = manual();
        RenewedLease failing = renewal.keep(lease("a", TTL, ttl -> false), TTL, (l, f) -> {
            throw new IllegalStateException("scripted listener failure");
        });
        RenewedLease healthy = renewal.keep(lease("b", TTL, ScriptedLease.CONFIRM), TTL, recording);
        time.advance(TTL);
        assertThat(failing.failure()).contains(RenewalFailure.REFUSED);
        assertThat(healthy.renewals()).isEqualTo(3);
        assertThat(healthy.isValid()).isTrue();
    }

    @Test
    void oneSchedulerThreadRenewsAllLeases() throws InterruptedException {
        Set<String> before = renewalThreads();
        AutoRenewal renewal = renewal();
        List<ScriptedLease> leases = new ArrayList<>();
        List<RenewedLease> kept = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ScriptedLease lease = new ScriptedLease("k" + i, TTL, ScriptedLease.CONFIRM);
            leases.add(lease);
            kept.add(renewal.keep(lease, TTL, recording));
        }
        await(() -> kept.stream().allMatch(lease -> lease.renewals() >= 2), "two renewals of every lease");
        Set<String> used = leases.stream().flatMap(l -> l.extendThreads.stream()).collect(Collectors.toSet());
        assertThat(used).as("threads that renewed 200 leases").hasSize(1);
        assertThat(used.iterator().next()).startsWith("lockbench-renewal-");
        Set<String> started = renewalThreads();
        started.removeAll(before);
        assertThat(started).as("renewal threads started by this watchdog").isEqualTo(used);
        assertThat(renewal.size()).isEqualTo(200);
        renewal.close();
        await(() -> !renewalThreads().contains(used.iterator().next()), "the thread to end after close");
    }

    @Test
    void closeStopsRenewalsWithoutReleasingOrTelling() {
        AutoRenewal renewal = manual();
        ScriptedLease lease = lease("k", TTL, ScriptedLease.CONFIRM);
        RenewedLease kept = renewal.keep(lease, TTL, Duration.ofMillis(20), recording);
        time.advance(Duration.ofMillis(20));
        assertThat(kept.renewals()).isEqualTo(1);
        renewal.close();
        renewal.close();
        assertThat(time.pending()).as("renewals scheduled after close").isZero();
        assertThat(kept.isValid()).as("valid until its deadline").isTrue();
        time.advance(TTL);
        assertThat(kept.isValid()).as("valid after its deadline").isFalse();
        assertThat(lease.extendCalls.get()).as("renewals after close").isEqualTo(1);
        assertThat(lease.releases.get()).as("releases by close").isZero();
        assertThat(told).as("the listener is not told of a close").isEmpty();
    }

    @Test
    void callersSchedulerIsUsedAndLeftRunning() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "callers-scheduler"));
        try {
            AutoRenewal renewal = AutoRenewal.create(scheduler);
            ScriptedLease lease = new ScriptedLease("k", TTL, ScriptedLease.CONFIRM);
            RenewedLease kept = renewal.keep(lease, TTL, recording);
            await(() -> kept.renewals() >= 2, "two renewals");
            assertThat(lease.extendThreads).containsOnly("callers-scheduler");
            renewal.close();
            assertThat(scheduler.isShutdown()).as("the caller's scheduler shut down").isFalse();
            assertThat(scheduler.submit(() -> 1).get()).isEqualTo(1);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void asyncLeasesAreRenewedWithoutBlockingTheScheduler() {
        Duration ttl = Duration.ofSeconds(3);
        Duration interval = ttl.dividedBy(3);
        ScriptedAsyncLease lease = new ScriptedAsyncLease("k", ttl, time::nanoTime);
        RenewedLease kept = manual().keep(lease, ttl, recording);
        time.advance(interval);
        assertThat(lease.pending).as("renewals sent").hasSize(1);
        time.advance(interval.dividedBy(2));
        assertThat(lease.pending).as("no second renewal while one is in flight").hasSize(1);
        assertThat(time.pending()).as("nothing scheduled while a renewal is in flight").isZero();
        lease.pending.get(0).complete(true);
        assertThat(kept.renewals()).isEqualTo(1);
        assertThat(lease.extendCalls.get()).as("blocking extend calls").isZero();
        time.advance(interval.dividedBy(2));
        assertThat(lease.pending).as("the next renewal, one interval after the first was sent").hasSize(2);
        lease.pending.get(1).completeExceptionally(new LockBackendException("127.0.0.1:1", "scripted", null));
        time.advance(interval);
        assertThat(lease.pending).as("a retry").hasSize(3);
        lease.pending.get(2).complete(false);
        assertThat(told).containsExactly(RenewalFailure.REFUSED);
    }

    @Test
    void explicitExtendFollowsTheSameRules() {
        ScriptedLease lease = lease("k", Duration.ofSeconds(10), ScriptedLease.CONFIRM);
        RenewedLease kept = manual().keep(lease, Duration.ofSeconds(10), recording);
        assertThat(kept.extend(Duration.ofSeconds(10))).isTrue();
        assertThat(kept.renewals()).isEqualTo(1);
        lease.reply(ttl -> {
            throw new LockBackendException("127.0.0.1:1", "scripted", null);
        });
        assertThatThrownBy(() -> kept.extend(TTL)).isInstanceOf(LockBackendException.class);
        assertThat(kept.isValid()).as("a backend error on extend keeps the lease").isTrue();
        lease.reply(ttl -> false);
        assertThat(kept.extend(TTL)).isFalse();
        assertThat(told).containsExactly(RenewalFailure.REFUSED);
        assertThat(kept.isValid()).isFalse();
    }

    private static Set<String> renewalThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("lockbench-renewal-")).collect(Collectors.toSet());
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void assertIllegal(String argument, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(argument + ":");
    }

    /** A lease whose async renewals complete when the test says. */
    private static final class ScriptedAsyncLease extends ScriptedLease implements AsyncLease {
        final List<CompletableFuture<Boolean>> pending = new CopyOnWriteArrayList<>();

        ScriptedAsyncLease(String key, Duration ttl, LongSupplier clock) {
            super(key, ttl, ScriptedLease.CONFIRM, clock);
        }

        @Override
        public CompletionStage<Boolean> extendAsync(Duration ttl) {
            long sent = now();
            CompletableFuture<Boolean> reply = new CompletableFuture<>();
            pending.add(reply);
            return reply.thenApply(confirmed -> {
                if (confirmed) {
                    confirmedAt(sent, ttl);
                }
                return confirmed;
            });
        }

        @Override
        public CompletionStage<ReleaseResult> releaseAsync() {
            return CompletableFuture.completedFuture(release());
        }
    }
}
