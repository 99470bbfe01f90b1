package io.lockbench.api;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A {@link LockService} whose acquires block no thread: waiting is driven by release notifications and
 * scheduled retries. Services that implement it declare {@link Capability#ASYNC}; their leases are
 * {@link AsyncLease}s.
 *
 * <p>Argument errors are thrown directly by these methods, as in {@link LockService}; backend failures
 * complete the stage exceptionally with {@link LockBackendException}.
 */
public interface AsyncLockService extends LockService {

    /**
     * One attempt, as {@link LockService#tryAcquire(String, Duration)}.
     *
     * @param key the lock's name; not null, not blank
     * @param ttl positive, at most {@link #maxTtl()}
     * @return a stage completing with the lease, or empty when the key is held
     */
    CompletionStage<Optional<AsyncLease>> tryAcquireAsync(String key, Duration ttl);

    /**
     * Waits up to {@code maxWait} for the lock, as {@link LockService#acquire(String, Duration, Duration)},
     * without blocking a thread. Cancelling the returned stage's future abandons the wait and leaves no key
     * of ours behind.
     *
     * @param key the lock's name; not null, not blank
     * @param ttl positive, at most {@link #maxTtl()}
     * @param maxWait zero or positive
     * @return a stage completing with the lease, or empty when the wait ran out
     */
    CompletionStage<Optional<AsyncLease>> acquireAsync(String key, Duration ttl, Duration maxWait);
}
