package io.lockbench.api;

import java.time.Duration;

/**
 * Replica acknowledgement of a lock write: after a granted acquire the service asks the primary,
 * with Redis {@code WAIT replicas timeout} on the same connection, whether that many replicas have the
 * write. When fewer acknowledge within the timeout, the lock is released (compare-and-delete by owner token)
 * and the acquire fails with {@link ReplicationNotAcknowledgedException}.
 *
 * <p>Why: a Redis primary replicates asynchronously. A lock written just before the primary dies may be
 * missing on the replica Sentinel promotes, and a second client then gets the same lock. With
 * acknowledgement a granted lock is on at least {@code replicas} replicas when the acquire returns. It
 * narrows that window, it does not close it: {@code WAIT} does not make Redis strongly consistent (a
 * promoted replica may still be one that did not acknowledge, and a lock whose ttl ran out is gone on every
 * node alike). The price is the replication round trip on every acquire, and on a client that shares one
 * connection (Lettuce), {@code WAIT} holds the commands queued behind it until it answers. Extends are not
 * acknowledged: until an extension reaches the replica, it keeps the lock with the ttl it had.
 *
 * @param replicas how many replicas must acknowledge; 0 only in {@link #OFF}
 * @param timeout how long the primary waits for them; {@link Duration#ZERO} only in {@link #OFF}
 */
public record ReplicaAck(int replicas, Duration timeout) {

    /** No acknowledgement asked for: the default. */
    public static final ReplicaAck OFF = new ReplicaAck(0, Duration.ZERO);
    /** The longest wait accepted; a lock write that takes longer to replicate is better refused. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    /**
     * @throws IllegalArgumentException when {@code replicas < 1} or the timeout is not between 1 ms and
     *     {@link #MAX_TIMEOUT} (except for {@link #OFF}'s 0 and zero)
     */
    public ReplicaAck {
        boolean off = replicas == 0 && Duration.ZERO.equals(timeout);
        if (!off) {
            if (replicas < 1) {
                throw new IllegalArgumentException("replicas: at least 1 replica must acknowledge, got " + replicas);
            }
            if (timeout == null || timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("replica ack timeout: must be between 1 ms and " + MAX_TIMEOUT
                        + ", got " + timeout);
            }
        }
    }

    /** @return whether acknowledgement is asked for */
    public boolean isOn() {
        return replicas > 0;
    }

    /** @return the timeout in whole milliseconds, as {@code WAIT} takes it (at least 1 when on) */
    public long timeoutMillis() {
        return timeout.toMillis();
    }
}
