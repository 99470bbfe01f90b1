package io.lockbench.core;

import io.lockbench.api.Lease;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One waiting acquire, from its first attempt to its outcome: the one wait loop of every implementation
 * that waits on release messages (jedis, lettuce, redlock), blocking or not.
 *
 * <p>It joins the key's release channel before the first attempt when that sends nothing to the server (the
 * client listens on every channel at once, or other loops of the service wait on it already), so a release
 * after any "held" answer finds it waiting; otherwise it joins once its first attempt found the key held, and
 * that attempt counts as sent before the subscription ({@link ReleaseWaiters#joinEarly}): an acquire that
 * finds the key free costs no SUBSCRIBE. When other loops of the service already wait for the key, it queues
 * behind them: its first attempt waits for a release message or the first fallback timer. After "held" it waits for whichever comes first: a release message, or a jittered retry timer
 * (the fallback for a lost message) that never runs past the holder's remaining ttl (the lock may expire
 * without a message) nor past the caller's deadline. A release announced while an attempt is in flight makes
 * the next attempt go at once. An attempt sent before the subscription was confirmed is not covered by it:
 * once the subscription is confirmed, one more attempt is made at once.
 *
 * <p>Attempts are started through an {@link Executor}: {@link CallerThread} for a blocking client (the
 * caller's own thread runs them while it waits), a direct executor for a non-blocking one. An attempt that
 * fails ends the loop with its failure: the implementation has handed any request whose outcome is unknown
 * to the {@link OutcomeResolver} already. An attempt that wins after the loop was abandoned (cancel,
 * interrupt, close) gives its lease back through {@link Attempts#giveBack}; {@link #settled()} completes when
 * no attempt is in flight any more.
 *
 * @param <L> the lease type
 */
public final class WaitLoop<L extends Lease> implements ReleaseWaiters.Waiter {

    /**
     * What one attempt found.
     *
     * @param lease the lease, or null when the key is held
     * @param holderTtlNanos the holder's remaining ttl as the server reported it, or -1 when unknown
     * @param splitVote true when the lock was split with another client (Redlock: some nodes granted, not a
     *     quorum): the retry waits a random delay instead of a release message
     * @param token the owner token the attempt sent, whose own release messages must not wake this loop
     * @param <L> the lease type
     */
    public record Attempt<L>(L lease, long holderTtlNanos, boolean splitVote, String token) {

        /**
         * @param lease the grant
         * @param <L> the lease type
         * @return a won attempt
         */
        public static <L extends Lease> Attempt<L> granted(L lease) {
            return new Attempt<>(lease, -1, false, lease.ownerToken());
        }

        /**
         * @param holderTtlNanos the holder's remaining ttl, or -1 when unknown
         * @param token the token the attempt sent
         * @param <L> the lease type
         * @return a lost attempt
         */
        public static <L> Attempt<L> held(long holderTtlNanos, String token) {
            return new Attempt<>(null, holderTtlNanos, false, token);
        }
    }

    /** What the loop needs from an implementation. */
    public interface Attempts<L> {

        /**
         * Sends one attempt with a new owner token. The stage fails (with {@code LockBackendException}) when
         * the attempt could not be decided; its token has then been handed to the resolver.
         *
         * @return the attempt's outcome
         */
        CompletionStage<Attempt<L>> attempt();

        /**
         * Releases a lease that nobody will take: it was granted after the caller gave up. Must not throw;
         * an unknown outcome goes to the resolver.
         *
         * @param lease the unwanted lease
         */
        void giveBack(L lease);
    }

    /** Retry pacing while release messages are expected: the timer only covers a lost message. */
    public static final Backoff SUBSCRIBED = new Backoff(TimeUnit.MILLISECONDS.toNanos(4), TimeUnit.MILLISECONDS.toNanos(128));
    /** Retry pacing without a confirmed subscription: the timer is all there is. */
    public static final Backoff UNSUBSCRIBED = Backoff.DEFAULT;
    /** Random delay after a split vote: 2 ms doubling to 50 ms. */
    public static final Backoff SPLIT_VOTE = new Backoff(TimeUnit.MILLISECONDS.toNanos(2), TimeUnit.MILLISECONDS.toNanos(50));

    private enum State { ATTEMPTING, WAITING_FOR_SUBSCRIPTION, PARKED, FINISHED }

    private final String channel;
    private final Deadline deadline;
    private final Attempts<L> attempts;
    private final ReleaseWaiters waiters;
    private final ScheduledExecutorService timers;
    private final Executor executor;
    private final Backoff subscribed;
    /** Whether the loop waits at all (a non-zero maxWait): then it joins the channel, early or once held. */
    private final boolean waits;
    private final CompletableFuture<Optional<L>> result = new CompletableFuture<>();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    /** Guarded by this. */
    private final Set<String> ownTokens = new HashSet<>();
    private State state = State.ATTEMPTING;
    private boolean woken;
    private int retries;
    private int splits;
    private ScheduledFuture<?> timer;
    private ReleaseWaiters.Membership membership;

    private WaitLoop(String channel, Duration maxWait, Attempts<L> attempts, ReleaseWaiters waiters,
                     ScheduledExecutorService timers, Executor executor, Backoff subscribed) {
        this.channel = channel;
        this.deadline = Deadline.after(maxWait);
        this.attempts = attempts;
        this.waiters = waiters;
        this.timers = timers;
        this.executor = executor;
        this.subscribed = subscribed;
        this.waits = !maxWait.isZero();
    }

    /**
     * Starts a loop: joins the channel and starts the first attempt through {@code executor}.
     *
     * @param channel the key's release channel
     * @param maxWait how long to keep trying; zero makes one attempt
     * @param attempts the implementation's attempts
     * @param waiters the service's registry of waiters
     * @param timers the service's timer scheduler
     * @param executor where attempts run
     * @param <L> the lease type
     * @return the running loop
     */
    public static <L extends Lease> WaitLoop<L> start(String channel, Duration maxWait, Attempts<L> attempts,
                                                      ReleaseWaiters waiters, ScheduledExecutorService timers,
                                                      Executor executor) {
        return start(channel, maxWait, attempts, waiters, timers, executor, SUBSCRIBED);
    }

    /**
     * Starts a loop whose fallback retries, while release messages are expected, are paced by {@code pacing}
     * instead of {@link #SUBSCRIBED}: for an implementation whose retries also keep it registered on the
     * server (a queued waiter's deadline), so they must come regularly but need not come early.
     *
     * @param channel the key's release channel
     * @param maxWait how long to keep trying; zero makes one attempt
     * @param attempts the implementation's attempts
     * @param waiters the service's registry of waiters
     * @param timers the service's timer scheduler
     * @param executor where attempts run
     * @param pacing the retry pacing while the subscription is live
     * @param <L> the lease type
     * @return the running loop
     */
    public static <L extends Lease> WaitLoop<L> start(String channel, Duration maxWait, Attempts<L> attempts,
                                                      ReleaseWaiters waiters, ScheduledExecutorService timers,
                                                      Executor executor, Backoff pacing) {
        WaitLoop<L> loop = new WaitLoop<>(channel, maxWait, attempts, waiters, timers, executor, pacing);
        loop.result.whenComplete((lease, error) -> loop.finished());
        if (!maxWait.isZero()) {
            // Null: the loop joins once an attempt finds the key held (joinAfterHeld).
            ReleaseWaiters.Membership joined = waiters.joinEarly(channel, loop);
            synchronized (loop) {
                loop.membership = joined;
                // Others of this service already wait for the key: queue behind them instead of racing the
                // one a release wakes, which would cost one of the two a wasted attempt. A release message
                // or the first fallback timer starts the first attempt.
                if (joined != null && joined.behindOthers() && joined.live() && !loop.woken
                        && loop.park(loop.subscribed.delayNanos(0, -1, loop.deadline.remainingNanos()))) {
                    loop.state = State.PARKED;
                    return loop;
                }
            }
        }
        loop.dispatch();
        return loop;
    }

    /**
     * The caller's stage: the lease, empty when the wait ran out, or the failure of the last attempt.
     * Completing it from outside ({@link #abandon}, or {@code cancel}) abandons the loop.
     *
     * @return the result
     */
    public CompletableFuture<Optional<L>> result() {
        return result;
    }

    /**
     * @return completes once the result is complete and no attempt is in flight any more (a lease won after
     *     the caller gave up has been handed to {@link Attempts#giveBack})
     */
    public CompletableFuture<Void> settled() {
        return settled;
    }

    /**
     * Ends the loop with {@code failure} unless it already ended.
     *
     * @param failure what the caller gets, such as an {@link IllegalStateException} on close
     */
    public void abandon(RuntimeException failure) {
        result.completeExceptionally(failure);
    }

    @Override
    public boolean wake(String releasedBy) {
        synchronized (this) {
            if (releasedBy != null && ownTokens.contains(releasedBy)) {
                return false;
            }
            if (state == State.FINISHED || woken || result.isDone()) {
                // An abandoned loop may still have an attempt in flight: the news goes to a waiter who can use it.
                return false;
            }
            if (state != State.PARKED) {
                woken = true;
                return true;
            }
            state = State.ATTEMPTING;
            cancelTimer();
        }
        dispatch();
        return true;
    }

    private void dispatch() {
        try {
            executor.execute(this::attemptNow);
        } catch (RejectedExecutionException closing) {
            result.completeExceptionally(new IllegalStateException("the lock service is closed", closing));
            settle();
        }
    }

    private void attemptNow() {
        boolean covered;
        synchronized (this) {
            if (result.isDone()) {
                state = State.FINISHED;
                covered = false;
            } else {
                // A release announced so far happened before this attempt, which will see its effect.
                woken = false;
                covered = membership != null && membership.live();
            }
        }
        if (state() == State.FINISHED) {
            settle();
            return;
        }
        CompletionStage<Attempt<L>> reply;
        try {
            reply = attempts.attempt();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((attempt, error) -> {
            try {
                decided(covered, attempt, error);
            } catch (RuntimeException | Error broken) {
                // whenComplete would swallow it and leave the loop waiting for nothing: end it instead.
                result.completeExceptionally(broken);
                settle();
            }
        });
    }

    private synchronized State state() {
        return state;
    }

    private void decided(boolean covered, Attempt<L> attempt, Throwable error) {
        if (error != null) {
            result.completeExceptionally(unwrap(error));
            settle();
            return;
        }
        if (attempt.lease() != null) {
            if (!result.complete(Optional.of(attempt.lease()))) {
                attempts.giveBack(attempt.lease());
            }
            settle();
            return;
        }
        joinAfterHeld();
        Runnable next = null;
        synchronized (this) {
            if (attempt.token() != null) {
                ownTokens.add(attempt.token());
            }
            if (result.isDone()) {
                state = State.FINISHED;
            } else if (deadline.expired() || membership == null) {
                state = State.FINISHED;
                next = () -> result.complete(Optional.empty());
            } else if (woken) {
                state = State.ATTEMPTING;
                next = this::dispatch;
            } else if (!covered && !membership.ready().isDone()) {
                state = State.WAITING_FOR_SUBSCRIPTION;
                ReleaseWaiters.Membership joined = membership;
                next = () -> joined.ready().whenComplete((ignored, failure) -> subscriptionSettled());
                park(Backoff.DEFAULT.delayNanos(retries++, attempt.holderTtlNanos(), deadline.remainingNanos()));
            } else if (!covered && membership.live()) {
                state = State.ATTEMPTING;
                next = this::dispatch;
            } else {
                Backoff backoff = attempt.splitVote() ? SPLIT_VOTE : membership.live() ? subscribed : UNSUBSCRIBED;
                int step = attempt.splitVote() ? splits++ : retries++;
                long holderTtl = attempt.splitVote() ? -1 : attempt.holderTtlNanos();
                if (park(backoff.delayNanos(step, holderTtl, deadline.remainingNanos()))) {
                    state = State.PARKED;
                } else {
                    state = State.FINISHED;
                    next = () -> result.completeExceptionally(
                            new IllegalStateException("the lock service is closed"));
                }
            }
        }
        if (next != null) {
            next.run();
        }
        if (state() == State.FINISHED) {
            settle();
        }
    }

    /**
     * Joins the channel after an attempt found the key held, when the loop did not join before its first
     * attempt. That attempt was not covered by a subscription, so the loop repeats it once the subscription
     * is confirmed (or at once when the channel was live already).
     */
    private void joinAfterHeld() {
        synchronized (this) {
            if (!waits || membership != null || result.isDone() || deadline.expired()) {
                return;
            }
        }
        // Outside this loop's lock: the registry calls waiters back (wake) under none of its own.
        ReleaseWaiters.Membership joined = waiters.join(channel, this);
        boolean kept;
        synchronized (this) {
            kept = membership == null && !result.isDone();
            if (kept) {
                membership = joined;
            }
        }
        if (!kept) {
            // The loop ended meanwhile and its finish found nothing to leave.
            joined.close();
        }
    }

    private void subscriptionSettled() {
        synchronized (this) {
            if (state != State.WAITING_FOR_SUBSCRIPTION) {
                return;
            }
            state = State.ATTEMPTING;
            cancelTimer();
        }
        dispatch();
    }

    /** Schedules the fallback retry; guarded by this. @return false when the scheduler takes no more timers */
    private boolean park(long delayNanos) {
        try {
            timer = timers.schedule(this::timerFired, delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException closing) {
            return false;
        }
    }

    private void timerFired() {
        synchronized (this) {
            if (state != State.PARKED && state != State.WAITING_FOR_SUBSCRIPTION) {
                return;
            }
            state = State.ATTEMPTING;
            timer = null;
        }
        dispatch();
    }

    /** Runs when the result completes, by this loop, by the caller (cancel) or by the service (close). */
    private void finished() {
        ReleaseWaiters.Membership left;
        boolean passOn;
        boolean idle;
        synchronized (this) {
            idle = state != State.ATTEMPTING;
            if (idle) {
                state = State.FINISHED;
            }
            cancelTimer();
            left = membership;
            membership = null;
            passOn = woken && !(result.isDone() && !result.isCompletedExceptionally() && result.join().isPresent());
            woken = false;
        }
        if (left != null) {
            left.close();
            if (passOn) {
                // This loop took a release message it will not use: the next waiter gets it.
                waiters.released(channel, null);
            }
        }
        if (idle) {
            settle();
        }
    }

    private void settle() {
        synchronized (this) {
            state = State.FINISHED;
        }
        settled.complete(null);
    }

    /** Guarded by this. */
    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
