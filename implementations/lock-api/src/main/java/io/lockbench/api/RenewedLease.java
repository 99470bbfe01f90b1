package io.lockbench.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link Lease} that an {@link AutoRenewal} keeps alive with owner-checked {@link Lease#extend extends}.
 * Every call other than those below goes to the wrapped lease.
 *
 * <p>{@link #isValid()} is the cheap signal to check before every side effect: it turns false at the first
 * failed renewal, at the first renewal confirmed only after the lease's validity had ended, and when the
 * validity ends without a confirmed renewal. {@link #release()} and {@link #close()} stop the renewals
 * first, then release the wrapped lease by its owner token; after a loss they still do, because a renewal
 * confirmed too late may have kept the lock on the server.
 */
public interface RenewedLease extends Lease {

    /**
     * Why the lease was given up as lost, once it was.
     *
     * @return the failure, or empty while the lease is held, released, or no longer renewed
     */
    Optional<RenewalFailure> failure();

    /**
     * How many renewals the server confirmed in time, scheduled ones and explicit {@link #extend} calls.
     *
     * @return the count, 0 at first
     */
    long renewals();

    /**
     * Whether the lease may still be relied on: not released, not given up as lost, and before
     * {@link #validUntilNanos()}. Asks no server.
     *
     * @return true while the lease is held as far as this process can tell
     */
    @Override
    boolean isValid();

    /**
     * Renews now, under the same rules as a scheduled renewal: a refusal or a confirmation after the
     * validity ended marks the lease lost and tells the listener. The schedule goes on with the ttl given to
     * {@link AutoRenewal#keep}.
     *
     * @param ttl the new ttl, counted from now
     * @return true when the server confirmed it in time; false when the lease is lost
     * @throws IllegalArgumentException for a ttl out of range
     * @throws IllegalStateException after the lease was released or closed
     * @throws LockBackendException when the server cannot be reached (the lease is kept and renewals go on)
     */
    @Override
    boolean extend(Duration ttl);
}
