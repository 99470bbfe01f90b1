package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.LockBackendException;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wait loop over scripted attempts and a scripted subscription, on a real timer thread. Wake-ups are
 * proven by counting attempts: where a test must rule out the fallback timer, the timer thread is held busy
 * ({@link #holdTimers()}), so every attempt it counts came from a release message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitLoopTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Duration LONG_WAIT = Duration.ofMinutes(5);
    private static final long HOLDER_TTL = TimeUnit.SECONDS.toNanos(30);
    private static final String CHANNEL = "lock:{k}:released";
    private static final Executor DIRECT = Runnable::run;

    private final ScheduledThreadPoolExecutor timers = Threads.timers("lockbench-test-timer");
    private final ScriptedSubscriptions subscriptions = new ScriptedSubscriptions();
    private final ReleaseWaiters waiters = new ReleaseWaiters(subscriptions);
    private final CountDownLatch timersHeld = new CountDownLatch(1);

    @AfterEach
    void stop() {
        timersHeld.countDown();
        timers.shutdownNow();
    }

    /** Keeps the one timer thread busy until the test ends: no fallback retry can run. */
    private void holdTimers() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        timers.execute(() -> {
            running.countDown();
            try {
                timersHeld.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.await();
    }

    private WaitLoop<TestLease> start(ScriptedAttempts attempts, Duration maxWait) {
        return WaitLoop.start(CHANNEL, maxWait, attempts, waiters, timers, DIRECT);
    }

    @Test
    void aGrantEndsTheLoopAndLeavesTheChannel() {
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        TestLease lease = attempts.grant(0);
        assertThat(loop.result()).isCompletedWithValue(Optional.of(lease));
        assertThat(loop.settled()).isCompleted();
        assertThat(attempts.count()).isEqualTo(1);
        assertThat(subscriptions.calls).containsExactly("SUBSCRIBE " + CHANNEL, "UNSUBSCRIBE " + CHANNEL);
        assertThat(waiters.channels()).isEmpty();
    }

    @Test
    void channelByChannelAFreeKeyCostsNoSubscription() {
        subscriptions.everyChannel = false;
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        TestLease lease = attempts.grant(0);
        assertThat(loop.result()).isCompletedWithValue(Optional.of(lease));
        assertThat(loop.settled()).isCompleted();
        assertThat(subscriptions.calls).isEmpty();
        assertThat(waiters.channels()).isEmpty();
    }

    @Test
    void channelByChannelAHeldKeySubscribesThenRepeatsTheAttemptOnceConfirmed() throws InterruptedException {
        holdTimers();
        subscriptions.everyChannel = false;
        subscriptions.confirmAtOnce = false;
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        assertThat(subscriptions.calls).as("before the first answer").isEmpty();
        attempts.held(0, HOLDER_TTL);
        assertThat(subscriptions.calls).containsExactly("SUBSCRIBE " + CHANNEL);
        assertThat(attempts.count()).as("attempts before the subscription is confirmed").isEqualTo(1);
        subscriptions.confirmations.get(0).complete(null);
        assertThat(attempts.count()).as("the uncovered attempt, repeated once confirmed").isEqualTo(2);
        attempts.held(1, HOLDER_TTL);
        waiters.released(CHANNEL, "the-holders-token");
        assertThat(attempts.count()).as("a release message after the covered attempt").isEqualTo(3);
        TestLease lease = attempts.grant(2);
        assertThat(loop.result()).isCompletedWithValue(Optional.of(lease));
        assertThat(subscriptions.calls).containsExactly("SUBSCRIBE " + CHANNEL, "UNSUBSCRIBE " + CHANNEL);
    }

    @Test
    void channelByChannelALoopBehindOthersJoinsBeforeItsFirstAttempt() throws InterruptedException {
        holdTimers();
        subscriptions.everyChannel = false;
        ScriptedAttempts first = new ScriptedAttempts();
        WaitLoop<TestLease> waiting = start(first, LONG_WAIT);
        first.held(0, HOLDER_TTL);
        first.held(1, HOLDER_TTL);
        ScriptedAttempts second = new ScriptedAttempts();
        WaitLoop<TestLease> behind = start(second, LONG_WAIT);
        assertThat(second.count()).as("a loop behind a waiter waits for a message first").isZero();
        waiters.released(CHANNEL, "the-holders-token");
        assertThat(first.count()).as("the message goes to the longest waiting loop").isEqualTo(3);
        first.grant(2);
        assertThat(subscriptions.calls).containsExactly("SUBSCRIBE " + CHANNEL);
        waiting.result().join();
        behind.abandon(new IllegalStateException("done"));
        assertThat(subscriptions.calls).containsExactly("SUBSCRIBE " + CHANNEL, "UNSUBSCRIBE " + CHANNEL);
    }

    @Test
    void channelByChannelALoopThatEndsWhileJoiningLeavesTheChannel() {
        subscriptions.everyChannel = false;
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, Duration.ofNanos(1));
        attempts.held(0, HOLDER_TTL);
        assertThat(loop.result()).isCompletedWithValue(Optional.empty());
        assertThat(loop.settled()).isCompleted();
        assertThat(waiters.channels()).isEmpty();
        assertThat(subscriptions.calls.size() % 2).as("every SUBSCRIBE has its UNSUBSCRIBE: %s", subscriptions.calls)
                .isZero();
    }

    @Test
    void zeroWaitMakesOneAttemptWithoutSubscribing() {
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, Duration.ZERO);
        attempts.held(0, HOLDER_TTL);
        assertThat(loop.result()).isCompletedWithValue(Optional.empty());
        assertThat(loop.settled()).isCompleted();
        assertThat(attempts.count()).isEqualTo(1);
        assertThat(subscriptions.calls).isEmpty();
    }

    @Test
    void aReleaseMessageRetriesAtOnce() throws InterruptedException {
        holdTimers();
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        attempts.held(0, HOLDER_TTL);
        assertThat(attempts.count()).isEqualTo(1);
        waiters.released(CHANNEL, "the-holders-token");
        assertThat(attempts.count()).as("attempts after one release message, the timer thread held").isEqualTo(2);
        TestLease lease = attempts.grant(1);
        assertThat(loop.result()).isCompletedWithValue(Optional.of(lease));
    }

    @Test
    void aLostMessageCostsOneFallbackTimer() throws InterruptedException {
        holdTimers();
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        attempts.held(0, HOLDER_TTL);
        assertThat(timers.getQueue()).as("timers scheduled while parked").hasSize(1);
        long delay = ((ScheduledFuture<?>) timers.getQueue().peek()).getDelay(TimeUnit.NANOSECONDS);
        assertThat(delay).as("the fallback delay (ns)").isLessThanOrEqualTo(WaitLoop.SUBSCRIBED.maxNanos());
        timersHeld.countDown();
        Await.until(BOUND, () -> attempts.count() == 2, "the fallback retry, with no message");
        attempts.grant(1);
        assertThat(loop.result().join()).isPresent();
    }

    @Test
    void aLoopWithItsOwnPacingParksByIt() throws InterruptedException {
        holdTimers();
        ScriptedAttempts attempts = new ScriptedAttempts();
        Backoff pacing = new Backoff(TimeUnit.MILLISECONDS.toNanos(64), TimeUnit.MILLISECONDS.toNanos(128));
        WaitLoop.start(CHANNEL, LONG_WAIT, attempts, waiters, timers, DIRECT, pacing);
        attempts.held(0, HOLDER_TTL);
        long delay = ((ScheduledFuture<?>) timers.getQueue().peek()).getDelay(TimeUnit.NANOSECONDS);
        // The first delay is drawn between half the first cap and the cap: 32 to 64 ms, where SUBSCRIBED's is 2 to 4.
        assertThat(delay).as("the fallback delay (ns)").isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(64))
                .isGreaterThan(WaitLoop.SUBSCRIBED.minNanos());
    }

    @Test
    void theFallbackNeverWaitsPastTheHoldersTtl() throws InterruptedException {
        holdTimers();
        ScriptedAttempts attempts = new ScriptedAttempts();
        start(attempts, LONG_WAIT);
        attempts.held(0, TimeUnit.MILLISECONDS.toNanos(2));
        long delay = ((ScheduledFuture<?>) timers.getQueue().peek()).getDelay(TimeUnit.NANOSECONDS);
        assertThat(delay).as("the fallback delay (ns)").isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
    }

    @Test
    void aReleaseDuringAnAttemptInFlightRetriesAsSoonAsItIsAnswered() throws InterruptedException {
        holdTimers();
        ScriptedAttempts attempts = new ScriptedAttempts();
        start(attempts, LONG_WAIT);
        waiters.released(CHANNEL, "the-holders-token");
        assertThat(attempts.count()).as("attempts while the first is in flight").isEqualTo(1);
        attempts.held(0, HOLDER_TTL);
        assertThat(attempts.count()).as("attempts once the first said held").isEqualTo(2);
    }

    @Test
    void oneMessageWakesOneWaiterAndOwnReleasesAreIgnored() throws InterruptedException {
        holdTimers();
        ScriptedAttempts first = new ScriptedAttempts();
        ScriptedAttempts second = new ScriptedAttempts();
        start(first, LONG_WAIT);
        first.held(0, HOLDER_TTL);
        start(second, LONG_WAIT);
        assertThat(second.count()).as("a loop behind another of its service queues before its first attempt")
                .isZero();

        waiters.released(CHANNEL, ScriptedAttempts.token(0));
        assertThat(first.count()).as("the first loop ignores its own token's release").isEqualTo(1);
        assertThat(second.count()).as("the queued loop takes it").isEqualTo(1);
        second.held(0, HOLDER_TTL);

        waiters.released(CHANNEL, ScriptedAttempts.token(0));
        assertThat(first.count() + second.count()).as("attempts after a message naming both loops' own tokens")
                .isEqualTo(2);

        waiters.released(CHANNEL, "the-holders-token");
        assertThat(first.count()).as("the longest waiter retried").isEqualTo(2);
        assertThat(second.count()).as("the other one did not").isEqualTo(1);
    }

    @Test
    void aMessageTheFirstLoopCannotUseGoesToTheNext() throws InterruptedException {
        holdTimers();
        ScriptedAttempts first = new ScriptedAttempts();
        ScriptedAttempts second = new ScriptedAttempts();
        start(first, LONG_WAIT);
        start(second, LONG_WAIT);
        assertThat(second.count()).as("queued behind the first loop").isZero();
        waiters.released(CHANNEL, "a");
        waiters.released(CHANNEL, "b");
        assertThat(first.count()).as("the first loop, its attempt in flight, takes one message").isEqualTo(1);
        assertThat(second.count()).as("the second loop got the other one").isEqualTo(1);
    }

    @Test
    void aLoopThatEndsHoldingAMessagePassesItOn() throws InterruptedException {
        holdTimers();
        ScriptedAttempts first = new ScriptedAttempts();
        ScriptedAttempts second = new ScriptedAttempts();
        WaitLoop<TestLease> abandoned = start(first, LONG_WAIT);
        start(second, LONG_WAIT);
        waiters.released(CHANNEL, "the-holders-token");
        assertThat(second.count()).as("the message went to the first loop").isZero();
        abandoned.abandon(new CancellationException("scripted"));
        assertThat(second.count()).as("the second loop tried with the message the first will not use").isEqualTo(1);
    }

    @Test
    void anAbandonedLoopWithAnAttemptInFlightTakesNoMessage() {
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        loop.abandon(new CancellationException("scripted"));
        assertThat(loop.wake("the-holders-token")).as("wake of a loop whose result is complete").isFalse();
    }

    @Test
    void aLeaseWonAfterAbandonIsGivenBackOnce() {
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        loop.abandon(new IllegalStateException("closed"));
        assertThat(loop.settled()).as("settled with an attempt in flight").isNotDone();
        TestLease lease = attempts.grant(0);
        assertThat(attempts.givenBack).containsExactly(lease);
        assertThat(loop.settled()).isCompleted();
        assertThatThrownBy(loop.result()::join).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(attempts.count()).isEqualTo(1);
        assertThat(waiters.channels()).isEmpty();
    }

    @Test
    void abandonWhileParkedSettlesAtOnceAndCancelsTheTimer() throws InterruptedException {
        holdTimers();
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        attempts.held(0, HOLDER_TTL);
        loop.result().cancel(false);
        assertThat(loop.settled()).isCompleted();
        assertThat(timers.getQueue()).as("timers left").isEmpty();
        assertThat(attempts.givenBack).isEmpty();
    }

    @Test
    void theDeadlineEndsTheWaitWithEmpty() {
        ScriptedAttempts attempts = new ScriptedAttempts().answerHeld(HOLDER_TTL);
        WaitLoop<TestLease> loop = start(attempts, Duration.ofMillis(30));
        Await.until(BOUND, () -> loop.settled().isDone(), "the wait to run out");
        assertThat(loop.result().join()).isEmpty();
        assertThat(attempts.count()).isGreaterThanOrEqualTo(2);
        assertThat(waiters.channels()).isEmpty();
        assertThat(attempts.givenBack).isEmpty();
    }

    @Test
    void aFailedAttemptEndsTheLoopWithItsFailure() {
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        attempts.held(0, HOLDER_TTL);
        Await.until(BOUND, () -> attempts.count() == 2, "the fallback retry");
        attempts.fail(1, "scripted timeout");
        assertThatThrownBy(loop.result()::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(LockBackendException.class).hasMessageContaining("scripted timeout");
        assertThat(loop.settled()).isCompleted();
        assertThat(waiters.channels()).isEmpty();
    }

    @Test
    void anAttemptThatThrowsEndsTheLoopWithItsFailure() {
        WaitLoop.Attempts<TestLease> throwing = new WaitLoop.Attempts<>() {
            @Override
            public CompletableFuture<WaitLoop.Attempt<TestLease>> attempt() {
                throw new LockBackendException("127.0.0.1:1", "scripted refusal", null);
            }

            @Override
            public void giveBack(TestLease lease) {
            }
        };
        WaitLoop<TestLease> loop = WaitLoop.start(CHANNEL, LONG_WAIT, throwing, waiters, timers, DIRECT);
        assertThatThrownBy(loop.result()::join).cause().isInstanceOf(LockBackendException.class);
        assertThat(loop.settled()).isCompleted();
    }

    @Test
    void anAttemptAnsweredWithNothingEndsTheLoopInsteadOfHangingIt() {
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        attempts.sent.get(0).complete(null);
        assertThat(loop.result()).as("failed, not left waiting for nothing").isCompletedExceptionally();
        assertThat(loop.settled()).isCompleted();
    }

    @Test
    void anAttemptSentBeforeTheSubscriptionIsConfirmedIsRepeatedOnceItIs() throws InterruptedException {
        holdTimers();
        subscriptions.confirmAtOnce = false;
        ScriptedAttempts attempts = new ScriptedAttempts();
        start(attempts, LONG_WAIT);
        attempts.held(0, HOLDER_TTL);
        assertThat(attempts.count()).isEqualTo(1);
        subscriptions.confirmations.get(0).complete(null);
        assertThat(attempts.count()).as("attempts once the subscription is confirmed").isEqualTo(2);
        attempts.held(1, HOLDER_TTL);
        assertThat(attempts.count()).as("the covered attempt parks").isEqualTo(2);
    }

    @Test
    void aFailedSubscriptionFallsBackToTimers() {
        subscriptions.confirmAtOnce = false;
        ScriptedAttempts attempts = new ScriptedAttempts();
        WaitLoop<TestLease> loop = start(attempts, LONG_WAIT);
        attempts.held(0, HOLDER_TTL);
        subscriptions.confirmations.get(0).completeExceptionally(new LockBackendException("127.0.0.1:1", "no", null));
        Await.until(BOUND, () -> attempts.count() == 2, "a retry after the failed subscription");
        attempts.held(1, HOLDER_TTL);
        Await.until(BOUND, () -> attempts.count() == 3, "a timed retry");
        attempts.grant(2);
        assertThat(loop.result().join()).isPresent();
    }

    @Test
    void withCallerThreadTheWaitingThreadRunsEveryAttempt() throws InterruptedException {
        CallerThread caller = new CallerThread();
        ScriptedAttempts attempts = new ScriptedAttempts() {
            @Override
            public CompletionStage<WaitLoop.Attempt<TestLease>> attempt() {
                var reply = super.attempt();
                if (count() < 3) {
                    held(count() - 1, HOLDER_TTL);
                } else {
                    grant(count() - 1);
                }
                return reply;
            }
        };
        WaitLoop<TestLease> loop = WaitLoop.start(CHANNEL, LONG_WAIT, attempts, waiters, timers, caller);
        assertThat(attempts.count()).as("attempts before the caller waits").isZero();
        Thread wake = new Thread(() -> {
            Await.until(BOUND, () -> attempts.count() >= 1, "the first attempt");
            waiters.released(CHANNEL, "the-holders-token");
        }, "releaser");
        wake.start();
        caller.runUntil(loop.result());
        wake.join();
        assertThat(loop.result().join()).isPresent();
        assertThat(attempts.threads).as("threads that sent the three attempts")
                .containsExactly(Thread.currentThread().getName(), Thread.currentThread().getName(),
                        Thread.currentThread().getName());
        assertThat(loop.settled()).isCompleted();
    }
}
