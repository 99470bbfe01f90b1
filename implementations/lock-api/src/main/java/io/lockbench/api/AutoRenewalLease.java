package io.lockbench.api;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lease kept by an {@link AutoRenewal}: the decorator the holder uses, and the chain of scheduled
 * renewals behind it. Each step schedules the next one only when it ends, so renewals of one lease never
 * overlap and a slow server slows the chain down instead of piling requests up.
 */
final class AutoRenewalLease extends ForwardingLease implements RenewedLease {

    private static final Logger LOG = LoggerFactory.getLogger(AutoRenewal.class);

    private final AutoRenewal owner;
    private final Duration ttl;
    private final long intervalNanos;
    private final RenewalListener listener;
    private final AtomicReference<RenewalFailure> failure = new AtomicReference<>();
    private final AtomicLong renewals = new AtomicLong();
    private volatile boolean stopped;
    private volatile boolean released;
    private ScheduledFuture<?> next;

    AutoRenewalLease(AutoRenewal owner, Lease lease, Duration ttl, long intervalNanos, RenewalListener listener) {
        super(lease);
        this.owner = owner;
        this.ttl = ttl;
        this.intervalNanos = intervalNanos;
        this.listener = listener;
    }

    /** Schedules the first renewal: one interval from now, or at the deadline if that comes first. */
    void start() {
        try {
            scheduleNext(Math.min(intervalNanos, delegate().validUntilNanos() - owner.nanoTime()));
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops the renewals without releasing or losing the delegate(). */
    void stop() {
        stopped = true;
        synchronized (this) {
            if (next != null) {
                next.cancel(false);
            }
        }
        owner.forget(this);
    }

    /** @return the lease this decorator wraps */
    Lease wrapped() {
        return delegate();
    }

    private void scheduleNext(long delayNanos) {
        synchronized (this) {
            if (stopped || failure.get() != null) {
                return;
            }
            if (next != null) {
                next.cancel(false);
            }
            next = owner.schedule(this::renew, delayNanos);
        }
    }

    private void renew() {
        if (stopped || failure.get() != null) {
            return;
        }
        if (!delegate().isValid()) {
            lose(RenewalFailure.EXPIRED, null);
            return;
        }
        long validBefore = delegate().validUntilNanos();
        long sent = owner.nanoTime();
        try {
            if (delegate() instanceof AsyncLease async) {
                CompletionStage<Boolean> reply = async.extendAsync(ttl);
                reply.whenComplete((confirmed, error) -> renewed(validBefore, sent, confirmed, error, true));
            } else {
                renewed(validBefore, sent, delegate().extend(ttl), null, true);
            }
        } catch (RuntimeException e) {
            renewed(validBefore, sent, false, e, true);
        }
    }

    /**
     * Judges a renewal's outcome and schedules what comes next. No verdict once the lease was released, nor
     * for a scheduled renewal that was stopped while it was in flight.
     *
     * @param validBefore the lease's deadline when the renewal was sent
     * @param sentNanos when it was sent
     * @param confirmed whether the server confirmed our ownership
     * @param error what the renewal threw instead, or null
     * @param scheduled whether the watchdog sent it, rather than an explicit {@link #extend}
     * @return whether the lease is still held
     */
    private boolean renewed(long validBefore, long sentNanos, Boolean confirmed, Throwable error, boolean scheduled) {
        if (released || (scheduled && stopped)) {
            return error == null && Boolean.TRUE.equals(confirmed);
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof LockBackendException backend) {
            retryOrExpire(backend);
            return false;
        }
        if (cause != null) {
            lose(RenewalFailure.FAILED, cause);
            return false;
        }
        if (owner.nanoTime() - validBefore >= 0) {
            lose(RenewalFailure.LATE, null);
            return false;
        }
        if (!Boolean.TRUE.equals(confirmed)) {
            lose(RenewalFailure.REFUSED, null);
            return false;
        }
        renewals.incrementAndGet();
        scheduleNext(sentNanos + intervalNanos - owner.nanoTime());
        return true;
    }

    private void retryOrExpire(LockBackendException error) {
        long left = delegate().validUntilNanos() - owner.nanoTime();
        if (left <= 0 || !delegate().isValid()) {
            lose(RenewalFailure.EXPIRED, error);
            return;
        }
        LOG.warn("renewal of the lease on '{}' failed; retrying while it is valid ({} ms left)",
                delegate().key(), left / 1_000_000, error);
        scheduleNext(Math.min(intervalNanos, left));
    }

    private void lose(RenewalFailure why, Throwable cause) {
        if (!failure.compareAndSet(null, why)) {
            return;
        }
        stop();
        LOG.warn("lease on '{}' (fencing token {}) lost: {}", delegate().key(), delegate().fencingToken(), why, cause);
        try {
            listener.onLost(this, why);
        } catch (RuntimeException e) {
            LOG.error("the renewal listener of the lease on '{}' threw", delegate().key(), e);
        }
    }

    @Override
    public Optional<RenewalFailure> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public long renewals() {
        return renewals.get();
    }

    @Override
    public boolean isValid() {
        return !released && failure.get() == null && delegate().isValid();
    }

    @Override
    public boolean extend(Duration newTtl) {
        if (released) {
            throw new IllegalStateException("lease on '" + delegate().key() + "' was already released");
        }
        if (failure.get() != null) {
            return false;
        }
        long validBefore = delegate().validUntilNanos();
        long sent = owner.nanoTime();
        boolean confirmed = delegate().extend(newTtl);
        return renewed(validBefore, sent, confirmed, null, false);
    }

    @Override
    public ReleaseResult release() {
        released = true;
        stop();
        return delegate().release();
    }

    @Override
    public void close() {
        released = true;
        stop();
        delegate().close();
    }

    @Override
    public String toString() {
        return "RenewedLease[key=" + delegate().key() + ", fence=" + delegate().fencingToken() + ", valid=" + isValid()
                + ", renewals=" + renewals.get() + ", failure=" + failure.get() + "]";
    }
}
