package io.lockbench.api;

/**
 * What an implementation guarantees beyond the basic {@link LockService} contract. Declared by
 * {@link LockService#capabilities()}; tests that need a capability skip services that do not declare it.
 */
public enum Capability {
    /** {@link Lease#fencingToken()} is positive and strictly increasing per key across all grants. */
    FENCING,
    /** The service also implements {@link AsyncLockService}: acquires that block no thread while waiting. */
    ASYNC,
    /** The lock is held by a quorum of independent nodes (Redlock) and survives a minority of them failing. */
    QUORUM,
    /** The same owner may take a lock it already holds again (a hold count, as in Redisson). */
    REENTRANT,
    /** Waiters are granted the lock in the order they asked for it. */
    FAIR,
    /**
     * A lease may be extended and released from any thread, not only the one that acquired it (an async
     * continuation, a pool). A service built on per-thread ownership declares it only if it maps each lease
     * to an owner of its own (as the Redisson adapter does with a synthetic thread id per lease).
     */
    ANY_THREAD_RELEASE,
    /**
     * Runs on a Redis Cluster: given settings whose node is {@code redis-cluster://host:port,...}
     * ({@link LockSettings#cluster()}), {@link LockServices#create} returns a service that routes each lock to
     * the master of its key's slot (all of one lock's keys share that slot). Locks on different keys then spread
     * over the masters; one lock is exactly as safe as on one server (a failover that loses a write can still
     * grant a lock twice).
     */
    CLUSTER
}
