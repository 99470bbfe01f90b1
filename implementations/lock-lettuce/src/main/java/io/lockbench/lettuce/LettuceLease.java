package io.lockbench.lettuce;

import io.lockbench.api.AsyncLease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.BaseLease;
import io.lockbench.core.LockKeys;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A lease granted by {@link LettuceLockService}. The asynchronous extend and release are the real ones; the
 * synchronous ones {@link BaseLease} calls are the same stages joined.
 */
final class LettuceLease extends BaseLease implements AsyncLease {

    private final LettuceLockService service;
    private final LockKeys keys;

    /**
     * @param service the granting service
     * @param key the user's lock name
     * @param keys the Redis names behind it
     * @param ownerToken our token, the lock's value
     * @param fencingToken the token acquire.lua issued
     * @param validUntilNanos see {@link io.lockbench.core.Validity}
     */
    LettuceLease(LettuceLockService service, String key, LockKeys keys, String ownerToken, long fencingToken,
                 long validUntilNanos) {
        super(key, ownerToken, fencingToken, validUntilNanos, service.maxTtl());
        this.service = service;
        this.keys = keys;
    }

    @Override
    public CompletionStage<Boolean> extendAsync(Duration ttl) {
        LockArguments.requireTtl(ttl, service.maxTtl());
        requireNotReleased();
        long sent = System.nanoTime();
        return service.extendOnServer(keys, ownerToken(), ttl).thenApply(confirmed -> extended(sent, ttl, confirmed));
    }

    @Override
    public CompletionStage<ReleaseResult> releaseAsync() {
        return service.releaseOnServer(keys, ownerToken()).thenApply(result -> {
            markReleased();
            return result;
        });
    }

    @Override
    protected boolean extendOnServer(Duration ttl) {
        return LettuceLockService.join(service.extendOnServer(keys, ownerToken(), ttl));
    }

    @Override
    protected ReleaseResult releaseOnServer() {
        return LettuceLockService.join(service.releaseOnServer(keys, ownerToken()));
    }
}
