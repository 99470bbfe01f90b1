package io.lockbench.core;

import io.lockbench.api.LockSettings;
import io.lockbench.api.ReplicaAck;
import io.lockbench.api.ReplicationNotAcknowledgedException;

/**
 * The replica-acknowledgement decision every client makes the same way, after {@code WAIT} answered on the
 * connection that wrote the lock: enough replicas, or a failure to report once the lock was given back.
 * The clients differ only in how they pipeline {@code WAIT} with the acquire script and how they give the
 * lock back (compare-and-delete by owner token, through the service's {@link OutcomeResolver}).
 */
public final class ReplicaAcks {

    private ReplicaAcks() {
    }

    /**
     * What an acquire does after the script granted the lock and {@code WAIT} answered.
     *
     * @param ack what the settings ask for
     * @param acknowledged {@code WAIT}'s reply: how many replicas have the write
     * @param key the lock's name
     * @param address the server, for the message
     * @return null when {@code ack} is off or satisfied; otherwise the exception to throw once the lock was
     *     given back
     */
    public static ReplicationNotAcknowledgedException shortfall(ReplicaAck ack, long acknowledged, String key,
                                                                String address) {
        if (!ack.isOn() || acknowledged >= ack.replicas()) {
            return null;
        }
        return new ReplicationNotAcknowledgedException(address, key, acknowledged, ack);
    }

    /**
     * Refuses replica acknowledgement where {@code WAIT} cannot be sent on the connection that wrote the lock
     * (a cluster client that routes by key, or a quorum of independent primaries).
     *
     * @param settings the settings
     * @param implementation the implementation, for the message
     * @param why why it cannot
     * @throws IllegalArgumentException when the settings ask for acknowledgement
     */
    public static void requireOff(LockSettings settings, String implementation, String why) {
        if (settings.replicaAck().isOn()) {
            throw new IllegalArgumentException(implementation + ": replica acknowledgement is not supported (" + why
                    + "), got " + settings.replicaAck());
        }
    }
}
