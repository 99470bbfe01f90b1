package io.lockbench.api;

/** Why a participant of a {@link LeaderElection} stopped being the leader. */
public enum RevocationReason {

    /** The server refused a renewal: the lock expired or passed to another participant, who may lead now. */
    LOST,

    /**
     * No renewal was confirmed while the lease was valid: the server was unreachable or slow, this process
     * was paused, or a renewal was confirmed only after the lease's validity had ended. Another participant
     * may lead now.
     */
    RENEWAL_FAILED,

    /** {@link LeaderElection#close()} was called; the lease is released right after this callback returns. */
    STOPPED;

    /**
     * The reason a lost lease gives a leader.
     *
     * @param failure why the renewal gave the lease up
     * @return {@link #LOST} for a refused renewal, {@link #RENEWAL_FAILED} otherwise
     */
    static RevocationReason of(RenewalFailure failure) {
        return failure == RenewalFailure.REFUSED ? LOST : RENEWAL_FAILED;
    }
}
