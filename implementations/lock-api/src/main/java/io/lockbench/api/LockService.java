package io.lockbench.api;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A distributed lock service: grants time-limited, exclusive {@link Lease leases} on named keys.
 *
 * <p>Every implementation keeps these rules (the {@code LockServiceContract} suite in lock-testkit checks
 * each one):
 * <ul>
 *   <li>The value stored for a held key is a random owner token of at least 128 bits, unique per grant;
 *       release and extend compare it before acting, so a stale holder can never delete or extend a lock
 *       that has since passed to someone else.</li>
 *   <li>A lease's validity is a conservative local estimate measured on the monotonic clock from the moment
 *       the acquire request was sent. It is <em>not</em> a guarantee: a process paused longer than the
 *       remaining validity keeps believing it holds the lock. Only a {@link Capability#FENCING fencing
 *       token} checked by the protected resource makes such a holder harmless.</li>
 *   <li>An acquire whose outcome is unknown (timeout or error on the wire) is resolved before the call
 *       returns or throws: the service never leaves a key it may have written behind.</li>
 *   <li>Waiting is woken by the release of the key, with a jittered backoff fallback; it never busy-spins.</li>
 * </ul>
 *
 * <p>Argument errors raise {@link IllegalArgumentException} naming the argument; calls after
 * {@link #close()} raise {@link IllegalStateException}; a server that cannot be reached or answers with an
 * error raises {@link LockBackendException} naming its address within the command timeout.
 *
 * <p>Implementations are thread-safe. They are found by name through {@link LockServices}.
 */
public interface LockService extends AutoCloseable {

    /** The longest ttl any implementation must accept; {@link #maxTtl()} may not be shorter. */
    Duration DEFAULT_MAX_TTL = Duration.ofDays(1);

    /**
     * The implementation's registered name, such as {@code "jedis"}, {@code "redlock"} or
     * {@code "naive-setnx"}; the same as its {@link LockServiceProvider#name()}.
     *
     * @return a short, stable, lower-case name
     */
    String name();

    /**
     * What this implementation guarantees beyond the basic contract, declared honestly: a test that needs a
     * capability the service does not declare is skipped, never passed.
     *
     * @return the declared capabilities; never null
     */
    Set<Capability> capabilities();

    /**
     * The longest ttl this service accepts. Longer ttls are refused with {@link IllegalArgumentException}.
     *
     * @return the maximum ttl, {@link #DEFAULT_MAX_TTL} unless the implementation says otherwise
     */
    default Duration maxTtl() {
        return DEFAULT_MAX_TTL;
    }

    /**
     * Makes one attempt to take the lock on {@code key} for {@code ttl}. Returns at once when the key is
     * held by someone else.
     *
     * @param key the lock's name; not null, not blank
     * @param ttl how long the server keeps the lock if it is never released; positive, at most {@link #maxTtl()}
     * @return the lease, or empty when the key is held
     * @throws IllegalArgumentException for a null or blank key, or a ttl out of range
     * @throws IllegalStateException after {@link #close()}
     * @throws LockBackendException when the server cannot be reached or fails; no key of ours is left behind
     */
    Optional<Lease> tryAcquire(String key, Duration ttl);

    /**
     * Takes the lock on {@code key}, waiting up to {@code maxWait} for the current holder to release it or
     * for its lock to expire.
     *
     * @param key the lock's name; not null, not blank
     * @param ttl how long the server keeps the lock if it is never released; positive, at most {@link #maxTtl()}
     * @param maxWait how long to wait at most; zero makes one attempt
     * @return the lease, or empty when the key could not be taken within {@code maxWait}
     * @throws InterruptedException when the waiting thread is interrupted; no key of ours is left behind
     * @throws IllegalArgumentException for a null or blank key, a ttl out of range, or a null or negative wait
     * @throws IllegalStateException after {@link #close()}
     * @throws LockBackendException when the server cannot be reached or fails
     */
    Optional<Lease> acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException;

    /**
     * Releases the service's connections, threads and subscriptions. Leases still held are not released
     * (they expire on the server); idempotent.
     */
    @Override
    void close();
}
