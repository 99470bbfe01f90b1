package io.lockbench.lettuce;

import io.lockbench.api.AsyncLease;
import io.lockbench.core.Backoff;
import io.lockbench.core.Deadline;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.OwnerTokens;
import io.lockbench.core.Validity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One acquire, from its first attempt to its outcome, without ever blocking a thread. Each attempt is one
 * acquire.lua round trip. While the key is held the operation waits on the key's release channel and on a
 * retry timer, whichever fires first: the timer never sleeps past the holder's remaining ttl (the lock may
 * expire without a message) nor past the caller's deadline.
 *
 * <p>No release is missed: a waiter joins the channel before the attempt it relies on is sent (when the
 * channel is subscribed already), or subscribes and then makes one more attempt; a release announced while
 * an attempt is in flight makes it retry at once.
 *
 * <p>Abandoning the operation (cancel, close) never leaves a key behind: an attempt still in flight that
 * turns out to have taken the lock gives it back by owner token, and {@link #settled()} completes when that
 * is done.
 */
final class AcquireOperation implements ReleaseChannels.Waiter {

    private enum State { ATTEMPTING, SUBSCRIBING, PARKED, IDLE, FINISHED }

    /** Retry pacing while release messages are expected: the timer only covers a lost message. */
    private static final Backoff SUBSCRIBED = new Backoff(Duration.ofMillis(10).toNanos(), Duration.ofMillis(100).toNanos());
    /** Retry pacing when the subscription failed: the timer is all there is. */
    private static final Backoff UNSUBSCRIBED = Backoff.DEFAULT;
    /** acquire.lua's PTTL when the key vanished between its SET NX and its PTTL. */
    private static final long KEY_GONE = -2;

    private final LettuceLockService service;
    private final String key;
    private final LockKeys keys;
    private final String token = OwnerTokens.next();
    private final Duration ttl;
    private final String ttlMillis;
    private final Deadline deadline;
    private final boolean waits;
    private final CompletableFuture<Optional<AsyncLease>> result = new CompletableFuture<>();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    private State state = State.ATTEMPTING;
    private boolean signalled;
    private boolean acquired;
    private int retries;
    private ScheduledFuture<?> timer;
    private ReleaseChannels.Membership membership;

    /**
     * @param service the service whose link, scheduler and channels it uses
     * @param key the lock's name (validated)
     * @param ttl the lock's ttl (validated)
     * @param maxWait how long to wait; zero makes one attempt
     */
    AcquireOperation(LettuceLockService service, String key, Duration ttl, Duration maxWait) {
        this.service = service;
        this.key = key;
        this.keys = LockKeys.of(key);
        this.ttl = ttl;
        this.ttlMillis = Long.toString(ttl.toMillis());
        this.deadline = Deadline.after(maxWait);
        this.waits = !maxWait.isZero();
    }

    /**
     * The caller's stage: the lease, empty when the wait ran out, or LockBackendException. Cancelling it
     * abandons the operation.
     *
     * @return the result
     */
    CompletableFuture<Optional<AsyncLease>> result() {
        return result;
    }

    /**
     * Completes once the result is complete, no attempt is in flight and any lock taken after the caller
     * gave up was given back.
     *
     * @return the stage
     */
    CompletableFuture<Void> settled() {
        return settled;
    }

    /** Sends the first attempt. */
    void start() {
        if (waits) {
            ReleaseChannels.Membership live = service.channels().joinIfLive(keys.channel(), this);
            synchronized (this) {
                membership = live;
            }
        }
        result.whenComplete((lease, error) -> finished());
        send();
    }

    @Override
    public boolean signal() {
        synchronized (this) {
            if (state == State.FINISHED || state == State.IDLE || signalled) {
                return false;
            }
            if (state != State.PARKED) {
                signalled = true;
                return true;
            }
            state = State.ATTEMPTING;
            cancelTimer();
        }
        send();
        return true;
    }

    /** Sends one attempt; the caller has set the state to ATTEMPTING. */
    private void send() {
        boolean covered;
        synchronized (this) {
            // Any release announced so far happened before this attempt, which will see its effect.
            signalled = false;
            covered = membership != null && membership.ready().isDone();
        }
        long sent = System.nanoTime();
        CompletionStage<List<Object>> reply;
        try {
            reply = service.acquireOnServer(keys, token, ttlMillis);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((answer, error) -> replied(sent, covered, answer, error));
    }

    /** The state stays ATTEMPTING until decided here, so that a release announced meanwhile is kept. */
    private void replied(long sent, boolean covered, List<Object> answer, Throwable error) {
        if (error != null) {
            failed(sent, error);
            return;
        }
        long code = (Long) answer.get(0);
        long value = (Long) answer.get(1);
        if (code == LockScripts.HELD) {
            held(covered, value);
        } else {
            granted(sent, value);
        }
    }

    private void granted(long sent, long fencingToken) {
        synchronized (this) {
            acquired = true;
            state = State.IDLE;
        }
        LettuceLease lease = new LettuceLease(service, key, keys, token, fencingToken, Validity.until(sent, ttl));
        if (!result.complete(Optional.of(lease))) {
            // The caller gave up while this attempt was in flight: the lock is ours but nobody will use it.
            service.deleteIfOurs(keys, token, expiry(sent)).whenComplete((ignored, e) -> settled.complete(null));
        }
    }

    /**
     * The attempt may or may not have been executed: the failure is the caller's, the cleanup ours. The
     * compare-and-delete goes over a fresh connection and is retried until the server answers.
     */
    private void failed(long sent, Throwable error) {
        synchronized (this) {
            state = State.IDLE;
        }
        CompletionStage<Void> cleanup = service.deleteIfOurs(keys, token, expiry(sent));
        if (!result.completeExceptionally(service.backendError("acquire of '" + key + "'", error))) {
            cleanup.whenComplete((ignored, e) -> settled.complete(null));
        }
    }

    private void held(boolean covered, long holderTtlMillis) {
        State next;
        boolean closing = false;
        ReleaseChannels.Membership joined = null;
        synchronized (this) {
            if (result.isDone()) {
                state = State.FINISHED;
            } else if (deadline.expired()) {
                state = State.IDLE;
            } else if (signalled || holderTtlMillis == KEY_GONE) {
                state = State.ATTEMPTING;
            } else if (membership == null || !covered) {
                state = State.SUBSCRIBING;
                joined = membership;
            } else if (!park(holderTtlMillis)) {
                state = State.IDLE;
                closing = true;
            }
            next = state;
        }
        switch (next) {
            case FINISHED -> settled.complete(null);
            case IDLE -> {
                if (closing) {
                    result.completeExceptionally(service.closedWhileWaiting());
                } else {
                    result.complete(Optional.empty());
                }
            }
            case ATTEMPTING -> send();
            case SUBSCRIBING -> subscribeThenRetry(joined);
            default -> { }
        }
    }

    /** Waits for the subscription, joining the channel first if needed, then makes the next attempt. */
    private void subscribeThenRetry(ReleaseChannels.Membership joined) {
        ReleaseChannels.Membership member = joined;
        if (member == null) {
            member = service.channels().join(keys.channel(), this);
            boolean finishedMeanwhile;
            synchronized (this) {
                finishedMeanwhile = state != State.SUBSCRIBING;
                if (!finishedMeanwhile) {
                    membership = member;
                }
            }
            if (finishedMeanwhile) {
                // finished() ran while we joined and found no membership to leave.
                service.channels().leave(member, this, false);
                return;
            }
        }
        member.ready().whenComplete((ignored, error) -> {
            synchronized (this) {
                if (state != State.SUBSCRIBING) {
                    return;
                }
                state = State.ATTEMPTING;
            }
            send();
        });
    }

    /**
     * Schedules the fallback retry; guarded by this.
     *
     * @return false when the service is closing and takes no more timers
     */
    private boolean park(long holderTtlMillis) {
        long holderTtlNanos = holderTtlMillis >= 0 ? TimeUnit.MILLISECONDS.toNanos(holderTtlMillis) : -1;
        Backoff backoff = membership.live() ? SUBSCRIBED : UNSUBSCRIBED;
        long delay = backoff.delayNanos(retries++, holderTtlNanos, deadline.remainingNanos());
        try {
            timer = service.scheduler().schedule(this::timerFired, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            return false;
        }
        state = State.PARKED;
        return true;
    }

    private void timerFired() {
        synchronized (this) {
            if (state != State.PARKED) {
                return;
            }
            state = State.ATTEMPTING;
            timer = null;
        }
        send();
    }

    /** Runs when the result completes, by this operation or by the caller (cancel) or the service (close). */
    private void finished() {
        ReleaseChannels.Membership left;
        boolean passSignal;
        boolean idle;
        synchronized (this) {
            idle = state != State.ATTEMPTING;
            if (idle) {
                state = State.FINISHED;
            }
            cancelTimer();
            left = membership;
            membership = null;
            passSignal = signalled && !acquired;
            signalled = false;
        }
        if (left != null) {
            service.channels().leave(left, this, passSignal);
        }
        if (idle) {
            settled.complete(null);
        }
    }

    /** Guarded by this. */
    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** When a lock written by an attempt sent at {@code sent} is gone on the server at the latest. */
    private long expiry(long sent) {
        return sent + ttl.toNanos() + Validity.driftNanos(ttl);
    }
}
