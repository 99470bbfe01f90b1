package io.lockbench.lettuce;

import io.lockbench.api.AsyncLease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.BaseLease;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.OutcomeResolver;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A lease granted by {@link LettuceLockService}. The asynchronous extend and release are the real ones; the
 * synchronous ones {@link BaseLease} calls are the same stages joined. A release whose reply was lost is
 * handed to the service's {@link OutcomeResolver}, so the lock goes once the server answers again.
 */
final class LettuceLease extends BaseLease implements AsyncLease {

    private final LettuceScripts scripts;
    private final OutcomeResolver resolver;
    private final LockKeys keys;
    private final Duration maxTtl;

    /**
     * @param scripts the granting service's script calls
     * @param resolver the granting service's resolver; closed with the service
     * @param maxTtl the service's maximum ttl
     * @param key the user's lock name
     * @param ownerToken our token, the lock's value
     * @param fencingToken the token acquire.lua issued
     * @param validUntilNanos see {@link io.lockbench.core.Validity}
     */
    LettuceLease(LettuceScripts scripts, OutcomeResolver resolver, Duration maxTtl, String key, String ownerToken,
                 long fencingToken, long validUntilNanos) {
        super(key, ownerToken, fencingToken, validUntilNanos, maxTtl);
        this.scripts = scripts;
        this.resolver = resolver;
        this.keys = LockKeys.of(key);
        this.maxTtl = maxTtl;
    }

    @Override
    public CompletionStage<Boolean> extendAsync(Duration ttl) {
        LockArguments.requireTtl(ttl, maxTtl);
        requireNotReleased();
        requireServiceOpen();
        long sent = System.nanoTime();
        return extendStage(ttl).thenApply(confirmed -> extended(sent, ttl, confirmed));
    }

    @Override
    public CompletionStage<ReleaseResult> releaseAsync() {
        requireServiceOpen();
        return releaseStage().whenComplete((result, error) -> {
            markReleased();
            if (error != null) {
                releaseOutcomeUnknown();
            }
        });
    }

    @Override
    protected boolean extendOnServer(Duration ttl) {
        requireServiceOpen();
        return LettuceScripts.join(extendStage(ttl));
    }

    /** {@link BaseLease#release()} hands a failure to {@link #releaseOutcomeUnknown()} itself. */
    @Override
    protected ReleaseResult releaseOnServer() {
        requireServiceOpen();
        return LettuceScripts.join(releaseStage());
    }

    /** The release's reply was lost: the resolver deletes the lock by our token once the server answers. */
    @Override
    protected void releaseOutcomeUnknown() {
        String token = ownerToken();
        resolver.resolve("release of " + keys.lock(), () -> scripts.release(keys, token));
    }

    /** @return whether the server still held our token and reset the ttl */
    private CompletionStage<Boolean> extendStage(Duration ttl) {
        return scripts.extend(keys, ownerToken(), ttl.toMillis()).handle((code, error) -> {
            if (error != null) {
                throw scripts.failure("extend of " + keys.lock(), error);
            }
            return code == 1L;
        });
    }

    private CompletionStage<ReleaseResult> releaseStage() {
        return scripts.release(keys, ownerToken()).handle((code, error) -> {
            if (error != null) {
                throw scripts.failure("release of " + keys.lock(), error);
            }
            return LockScripts.releaseResult(code);
        });
    }

    /** The service closes its resolver when it is closed: after that, a lease's calls are use after close. */
    private void requireServiceOpen() {
        LockArguments.requireOpen(resolver.isClosed(), LettuceLockService.NAME);
    }
}
