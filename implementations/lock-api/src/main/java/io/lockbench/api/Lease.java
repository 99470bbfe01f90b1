package io.lockbench.api;

import java.time.Duration;

/**
 * One grant of a lock: held from the moment it was acquired until it is released, lost, or its ttl runs
 * out on the server.
 *
 * <p>What a lease does not guarantee: {@link #isValid()} is a local estimate. A holder paused by the garbage
 * collector, the operating system or a slow call may wake up after its lock expired and another client
 * took it. Protect the resource itself with the {@link #fencingToken()} where that matters.
 */
public interface Lease extends AutoCloseable {

    /**
     * The lock's name, as given to acquire.
     *
     * @return the key
     */
    String key();

    /**
     * The random token stored as the lock's value, unique per grant (at least 128 bits). Release and extend
     * act only while the server still holds this token.
     *
     * @return the owner token
     */
    String ownerToken();

    /**
     * A number that is greater than zero and strictly increasing per key across all grants, for services
     * that declare {@link Capability#FENCING}. Pass it with every write to the protected resource, which
     * must reject a token lower than the highest it has seen.
     *
     * @return the fencing token, or 0 when the service does not declare {@link Capability#FENCING}
     */
    long fencingToken();

    /**
     * The {@link System#nanoTime()} value after which this lease must be presumed lost: the moment the
     * acquire (or last successful extend) request was sent, plus its ttl, minus the allowance for clock drift.
     *
     * @return the monotonic deadline in nanoseconds
     */
    long validUntilNanos();

    /**
     * Whether the lease is, as far as this process can tell, still held: before {@link #validUntilNanos()},
     * not released and not known to be lost. Cheap: asks no server.
     *
     * @return true while the lease may be relied on
     */
    boolean isValid();

    /**
     * Resets the lock's ttl on the server to {@code ttl}, only if the server still holds our owner token,
     * and moves {@link #validUntilNanos()} accordingly. After a false return the lease is lost and stays
     * invalid.
     *
     * @param ttl the new ttl, counted from now; positive, at most the service's maximum
     * @return true when the server confirmed the extension in time; false when the lock was lost
     * @throws IllegalArgumentException for a ttl out of range
     * @throws IllegalStateException after the lease was released
     * @throws LockBackendException when the server cannot be reached (the lease may still be held)
     */
    boolean extend(Duration ttl);

    /**
     * Deletes the lock on the server if, and only if, the server still holds our owner token.
     *
     * @return {@link ReleaseResult#RELEASED}, {@link ReleaseResult#EXPIRED} when the key was gone, or
     *     {@link ReleaseResult#NOT_OWNER} when another owner holds it now (it is left untouched)
     * @throws LockBackendException when the server cannot be reached (the lock then expires by its ttl)
     */
    ReleaseResult release();

    /**
     * Releases the lease if it is still held. Idempotent; never throws for a lease that was lost or expired,
     * nor for an unreachable server (the lock then expires by its ttl).
     */
    @Override
    void close();
}
