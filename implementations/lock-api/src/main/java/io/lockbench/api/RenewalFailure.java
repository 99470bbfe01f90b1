package io.lockbench.api;

/** Why {@link AutoRenewal} gave a {@link RenewedLease} up as lost. */
public enum RenewalFailure {

    /** The server answered in time that it no longer holds our owner token: the lock expired or passed to another owner. */
    REFUSED,

    /**
     * The reply to a renewal came after the lease's validity had ended. Whatever the server answered, another
     * client may have held the lock in between, so the lease cannot be trusted any more.
     */
    LATE,

    /**
     * The lease's validity ended without a confirmed renewal: the server could not be reached in time (each
     * {@link LockBackendException} is retried while the lease is still valid), this process was paused, or the
     * lease was released or lost behind the decorator's back.
     */
    EXPIRED,

    /** A renewal threw something other than {@link LockBackendException}: a bug or misuse, logged with its cause. */
    FAILED
}
