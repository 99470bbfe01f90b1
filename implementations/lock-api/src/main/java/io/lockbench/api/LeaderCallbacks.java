package io.lockbench.api;

import java.util.function.Consumer;

/**
 * What a {@link LeaderElection} tells its participant. Both callbacks should return promptly: start the
 * leader's work on a thread of your own in {@link #onElected} and stop it in {@link #onRevoked}.
 * Exceptions they throw are logged and otherwise ignored.
 */
public interface LeaderCallbacks {

    /**
     * This participant is the leader from now on, for as long as {@code lease.isValid()}. Check that before
     * every side effect, and pass {@code lease.fencingToken()} with every write so that the resource can
     * refuse the writes of a leader that was paused past its lease. Called on the election's thread.
     *
     * @param lease the leader's lease, renewed by the election's {@link AutoRenewal}; the election releases it
     */
    void onElected(Lease lease);

    /**
     * This participant is no longer the leader: stop acting at once. Called exactly once after each
     * {@link #onElected}, never before it returns: on the election's thread when a renewal fails or the lease
     * reaches its deadline, on the thread that called {@link LeaderElection#close()} when stopped.
     * For {@link RevocationReason#STOPPED} the lease is released only after this returns, so a callback that
     * waits for the leader's work to finish makes the handover clean.
     *
     * @param reason why
     */
    void onRevoked(RevocationReason reason);

    /**
     * Callbacks from two lambdas.
     *
     * @param onElected called with the lease when elected
     * @param onRevoked called with the reason when revoked
     * @return the callbacks
     * @throws IllegalArgumentException when either is null
     */
    static LeaderCallbacks of(Consumer<Lease> onElected, Consumer<RevocationReason> onRevoked) {
        if (onElected == null || onRevoked == null) {
            throw new IllegalArgumentException((onElected == null ? "onElected" : "onRevoked") + ": must not be null");
        }
        return new LeaderCallbacks() {
            @Override
            public void onElected(Lease lease) {
                onElected.accept(lease);
            }

            @Override
            public void onRevoked(RevocationReason reason) {
                onRevoked.accept(reason);
            }
        };
    }
}
