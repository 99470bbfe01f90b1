package io.lockbench.api;

/** Told when {@link AutoRenewal} gives a lease up as lost. */
@FunctionalInterface
public interface RenewalListener {

    /** A listener that does nothing, for holders that only poll {@link RenewedLease#isValid()}. */
    RenewalListener NONE = (lease, failure) -> { };

    /**
     * Called at most once per lease, when the first renewal fails, on the renewal scheduler's thread (for an
     * {@link AsyncLease}, possibly on the thread that completed the renewal). Not called when the lease is
     * released or closed, nor when the {@link AutoRenewal} is closed. It should return quickly: it holds up the
     * renewals of other leases on the same scheduler. Exceptions it throws are logged and otherwise ignored.
     *
     * @param lease the lease, already invalid
     * @param failure why it was given up
     */
    void onLost(RenewedLease lease, RenewalFailure failure);
}
