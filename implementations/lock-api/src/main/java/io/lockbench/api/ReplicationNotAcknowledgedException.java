package io.lockbench.api;

/**
 * An acquire succeeded on the primary, but fewer replicas than {@link LockSettings#replicaAck()}
 * asks for acknowledged it within its timeout. The lock was released by owner token before this was thrown
 * (or handed to the service's resolver when that release failed on the wire), so the caller holds nothing.
 */
public class ReplicationNotAcknowledgedException extends LockBackendException {

    private final String key;
    private final long acknowledged;
    private final int required;

    /**
     * @param address the server (or Sentinel set-up) the lock was written on
     * @param key the lock's name
     * @param acknowledged how many replicas acknowledged the write
     * @param ack the acknowledgement that was asked for
     */
    public ReplicationNotAcknowledgedException(String address, String key, long acknowledged, ReplicaAck ack) {
        super(address, "lock '" + key + "' was written on the primary but only " + acknowledged + " of "
                + ack.replicas() + " required replicas acknowledged it within " + ack.timeoutMillis() + " ms (WAIT " + ack.replicas() + " "
                + ack.timeoutMillis() + "); it was released, not granted", null);
        this.key = key;
        this.acknowledged = acknowledged;
        this.required = ack.replicas();
    }

    /** @return the lock's name */
    public String key() {
        return key;
    }

    /** @return how many replicas acknowledged */
    public long acknowledged() {
        return acknowledged;
    }

    /** @return how many were required */
    public int required() {
        return required;
    }
}
