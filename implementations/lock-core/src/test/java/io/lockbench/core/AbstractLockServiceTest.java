package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The service skeleton over a scripted implementation: checks, interrupts and close, counted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbstractLockServiceTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration LONG_WAIT = Duration.ofMinutes(5);
    private static final long HOLDER_TTL = TimeUnit.SECONDS.toNanos(30);

    /** One scripted implementation: blocking ones run the loop on the caller's thread. */
    private static final class TestService extends AbstractLockService {
        final ScriptedAttempts attempts = new ScriptedAttempts();
        final ReleaseWaiters waiters = new ReleaseWaiters(new ScriptedSubscriptions());
        final AtomicInteger tryOnceCalls = new AtomicInteger();
        final AtomicInteger clientCloses = new AtomicInteger();
        final boolean blocking;
        volatile WaitLoop<TestLease> loop;

        TestService(boolean blocking) {
            super("test", Set.of(Capability.values()[0]), BOUND);
            this.blocking = blocking;
        }

        @Override
        protected Optional<Lease> tryOnce(String key, Duration ttl) {
            tryOnceCalls.incrementAndGet();
            return Optional.empty();
        }

        @Override
        protected Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException {
            CallerThread caller = blocking ? new CallerThread() : null;
            loop = WaitLoop.start("ch", maxWait, attempts, waiters, timers(), caller == null ? Runnable::run : caller);
            return await(key, loop, caller);
        }

        CompletableFuture<Optional<TestLease>> acquireAsync() {
            return track(WaitLoop.start("ch", LONG_WAIT, attempts, waiters, timers(), Runnable::run)).result();
        }

        @Override
        protected void closeClient() {
            clientCloses.incrementAndGet();
        }
    }

    private TestService service = new TestService(true);

    @AfterEach
    void closeService() {
        service.close();
    }

    /** Runs an acquire on another thread; the reference gets what it returned or threw. */
    private Thread acquireInBackground(AtomicReference<Object> outcome) {
        Thread thread = new Thread(() -> {
            try {
                outcome.set(service.acquire("k", TTL, LONG_WAIT));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "acquirer");
        thread.start();
        return thread;
    }

    private static void assertIllegal(String argument, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(argument + ":");
    }

    @Test
    void badArgumentsAreRefusedWithIllegalArgumentBeforeAnyAttempt() {
        for (String key : new String[] {null, "", " ", "x\uD800", "x\uDBFF", "\uDC00x", "a\uDE00\uD83Db"}) {
            assertIllegal("key", () -> service.tryAcquire(key, TTL));
            assertIllegal("key", () -> uncheckedAcquire(key, TTL, LONG_WAIT));
        }
        for (Duration ttl : new Duration[] {null, Duration.ZERO, Duration.ofNanos(999_999), ChronoUnit.FOREVER.getDuration(),
                Duration.ofSeconds(Long.MIN_VALUE), service.maxTtl().plusMillis(1)}) {
            assertIllegal("ttl", () -> service.tryAcquire("k", ttl));
            assertIllegal("ttl", () -> uncheckedAcquire("k", ttl, LONG_WAIT));
        }
        assertIllegal("maxWait", () -> uncheckedAcquire("k", TTL, Duration.ofMillis(-1)));
        assertIllegal("maxWait", () -> uncheckedAcquire("k", TTL, null));
        assertThat(service.tryOnceCalls.get() + service.attempts.count()).as("attempts made").isZero();
    }

    @Test
    void validSurrogatePairsAreAccepted() {
        assertThat(service.tryAcquire("x\uD83D\uDE00", TTL)).isEmpty();
        assertThat(service.tryAcquire("\uDBFF\uDFFF", TTL)).isEmpty();
        assertThat(service.tryOnceCalls.get()).isEqualTo(2);
    }

    @Test
    void useAfterCloseIsIllegalState() {
        service.close();
        service.close();
        assertThatThrownBy(() -> service.tryAcquire("k", TTL)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> service.acquire("k", TTL, LONG_WAIT)).isInstanceOf(IllegalStateException.class);
        assertThat(service.clientCloses.get()).as("client closes").isEqualTo(1);
        assertThat(service.tryOnceCalls.get() + service.attempts.count()).isZero();
    }

    @Test
    void anInterruptBeforeTheAcquireThrowsWithoutAnAttempt() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> service.acquire("k", TTL, LONG_WAIT)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(service.attempts.count()).isZero();
    }

    @Test
    void anInterruptWhileBlockedThrowsInterruptedAndLeavesTheChannel() throws InterruptedException {
        service.attempts.answerHeld(HOLDER_TTL);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread acquirer = acquireInBackground(outcome);
        Await.until(BOUND, () -> service.attempts.count() >= 1, "the first attempt");
        acquirer.interrupt();
        acquirer.join(BOUND.toMillis());
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(service.loop.settled()).isCompleted();
        assertThat(service.waiters.channels()).isEmpty();
        assertThat(service.attempts.threads).as("attempts ran on the blocked caller").containsOnly("acquirer");
    }

    @Test
    void aLeaseWonWhileTheInterruptIsHandledIsGivenBack() throws InterruptedException {
        service.close();
        service = new TestService(false);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread acquirer = acquireInBackground(outcome);
        Await.until(BOUND, () -> service.attempts.count() == 1, "the first attempt in flight");
        acquirer.interrupt();
        Await.until(BOUND, () -> service.loop != null && service.loop.result().isDone(), "the loop abandoned");
        assertThat(acquirer.isAlive()).as("the caller waits for the attempt in flight").isTrue();
        TestLease won = service.attempts.grant(0);
        acquirer.join(BOUND.toMillis());
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(service.attempts.givenBack).containsExactly(won);
    }

    @Test
    void closeEndsABlockedCallerWithIllegalState() throws InterruptedException {
        service.attempts.answerHeld(HOLDER_TTL);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread acquirer = acquireInBackground(outcome);
        Await.until(BOUND, () -> service.attempts.count() >= 1, "the first attempt");
        service.close();
        acquirer.join(BOUND.toMillis());
        assertThat(outcome.get()).isInstanceOf(IllegalStateException.class);
        assertThat((Throwable) outcome.get()).hasMessageContaining("closed");
        assertThat(service.clientCloses.get()).isEqualTo(1);
    }

    @Test
    void closeEndsANonBlockingWaitAndATrackedAcquireWithIllegalState() throws InterruptedException {
        service.close();
        service = new TestService(false);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread acquirer = acquireInBackground(outcome);
        Await.until(BOUND, () -> service.attempts.count() == 1, "the first attempt in flight");
        CompletableFuture<Optional<TestLease>> tracked = service.acquireAsync();
        service.close();
        acquirer.join(BOUND.toMillis());
        assertThat(outcome.get()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(tracked::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(service.acquireAsync()).as("a tracked acquire after close").isCompletedExceptionally();
    }

    private Optional<Lease> uncheckedAcquire(String key, Duration ttl, Duration maxWait) {
        try {
            return service.acquire(key, ttl, maxWait);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
