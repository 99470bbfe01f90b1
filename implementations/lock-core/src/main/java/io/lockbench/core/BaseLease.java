package io.lockbench.core;

import io.lockbench.api.LockArguments;
import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.ReleaseResult;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state every lease keeps, written once: key, tokens, the monotonic validity deadline, and the
 * released / lost flags. Subclasses supply the two server calls.
 *
 * <p>Thread-safe: extend, release and close may be called from any thread.
 */
public abstract class BaseLease implements Lease {

    private static final Logger LOG = LoggerFactory.getLogger(BaseLease.class);

    private final String key;
    private final String ownerToken;
    private final long fencingToken;
    private final Duration maxTtl;
    private volatile long validUntilNanos;
    private volatile boolean released;
    private volatile boolean lost;

    /**
     * @param key the user's lock name
     * @param ownerToken the value stored on the server
     * @param fencingToken positive, or 0 without fencing
     * @param validUntilNanos the initial deadline, see {@link Validity#until(long, Duration)}
     * @param maxTtl the service's maximum ttl, for extend's argument check
     */
    protected BaseLease(String key, String ownerToken, long fencingToken, long validUntilNanos, Duration maxTtl) {
        this.key = key;
        this.ownerToken = ownerToken;
        this.fencingToken = fencingToken;
        this.validUntilNanos = validUntilNanos;
        this.maxTtl = maxTtl;
    }

    @Override
    public final String key() {
        return key;
    }

    @Override
    public final String ownerToken() {
        return ownerToken;
    }

    @Override
    public final long fencingToken() {
        return fencingToken;
    }

    @Override
    public final long validUntilNanos() {
        return validUntilNanos;
    }

    @Override
    public final boolean isValid() {
        return !released && !lost && validUntilNanos - System.nanoTime() > 0;
    }

    @Override
    public final boolean extend(Duration ttl) {
        LockArguments.requireTtl(ttl, maxTtl);
        requireNotReleased();
        long sent = System.nanoTime();
        return extended(sent, ttl, extendOnServer(ttl));
    }

    /**
     * Records the outcome of an extend sent at {@code sentNanos}: moves the deadline, or marks the lease
     * lost. An extension confirmed only after the old deadline passed counts as lost, because the lock may
     * have expired and been granted to someone else in between.
     *
     * @param sentNanos nanoTime before the request was sent
     * @param ttl the ttl asked for
     * @param confirmed whether the server confirmed our ownership
     * @return whether the lease is still held
     */
    protected final boolean extended(long sentNanos, Duration ttl, boolean confirmed) {
        if (confirmed && validUntilNanos - System.nanoTime() > 0) {
            validUntilNanos = Validity.until(sentNanos, ttl);
            return true;
        }
        lost = true;
        return false;
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the server's answer is lost (the request may or may not have run), the lease hands itself to
     * {@link #releaseOutcomeUnknown} before the failure is thrown, so the lock is deleted by our token once
     * the server answers, and never outlives the failure by more than that.
     */
    @Override
    public final ReleaseResult release() {
        try {
            return releaseOnServer();
        } catch (LockBackendException e) {
            releaseOutcomeUnknown();
            throw e;
        } finally {
            released = true;
        }
    }

    /**
     * Called when a release failed on the wire: hands our token to the service's {@link OutcomeResolver}.
     * The default does nothing, for services that settle each node themselves.
     */
    protected void releaseOutcomeUnknown() {
    }

    /**
     * Records that the lease was released through an asynchronous path.
     */
    protected final void markReleased() {
        released = true;
    }

    /**
     * Marks the lease lost: {@link #isValid()} is false from now on.
     */
    protected final void markLost() {
        lost = true;
    }

    /**
     * @throws IllegalStateException when the lease was released
     */
    protected final void requireNotReleased() {
        if (released) {
            throw new IllegalStateException("lease on '" + key + "' was already released");
        }
    }

    /** @return whether release was called (successfully or not) */
    protected final boolean released() {
        return released;
    }

    @Override
    public final void close() {
        if (released) {
            return;
        }
        try {
            release();
        } catch (RuntimeException e) {
            released = true;
            LOG.warn("release of '{}' failed on close; it is deleted by token once the server answers, or expires "
                    + "by its ttl", key, e);
        }
    }

    /**
     * Compare-and-PEXPIRE on the server.
     *
     * @param ttl the new ttl
     * @return true when the server still held our token and reset the ttl
     */
    protected abstract boolean extendOnServer(Duration ttl);

    /**
     * Compare-and-delete on the server.
     *
     * @return what the server found
     */
    protected abstract ReleaseResult releaseOnServer();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[key=" + key + ", fence=" + fencingToken + ", valid=" + isValid() + "]";
    }
}
