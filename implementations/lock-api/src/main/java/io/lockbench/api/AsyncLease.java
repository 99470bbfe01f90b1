package io.lockbench.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** A {@link Lease} whose extend and release can also be issued without blocking. */
public interface AsyncLease extends Lease {

    /**
     * As {@link Lease#extend(Duration)}, without blocking.
     *
     * @param ttl positive, at most the service's maximum
     * @return a stage completing with true when the server confirmed it in time, false when the lock was lost
     */
    CompletionStage<Boolean> extendAsync(Duration ttl);

    /**
     * As {@link Lease#release()}, without blocking.
     *
     * @return a stage completing with what the server found
     */
    CompletionStage<ReleaseResult> releaseAsync();
}
