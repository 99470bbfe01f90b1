package io.lockbench.fifo;

import io.lockbench.api.ReleaseResult;
import io.lockbench.core.BaseLease;
import java.time.Duration;

/** A lease granted by {@link FifoLockService}: extend and release are one script call each. */
final class FifoLease extends BaseLease {

    private final FifoLockService service;
    private final FifoKeys keys;

    /**
     * @param service the granting service, which runs the server calls
     * @param key the user's lock name
     * @param keys its Redis names
     * @param ownerToken the token stored on the server
     * @param fencingToken the grant's fencing token
     * @param validUntilNanos the monotonic validity deadline
     */
    FifoLease(FifoLockService service, String key, FifoKeys keys, String ownerToken, long fencingToken,
              long validUntilNanos) {
        super(key, ownerToken, fencingToken, validUntilNanos, service.maxTtl());
        this.service = service;
        this.keys = keys;
    }

    @Override
    protected boolean extendOnServer(Duration ttl) {
        return service.extendOnServer(key(), keys, ownerToken(), ttl);
    }

    @Override
    protected ReleaseResult releaseOnServer() {
        return service.releaseOnServer(key(), keys, ownerToken());
    }

    /** The release may have run, or may still run: the service's resolver deletes our token either way. */
    @Override
    protected void releaseOutcomeUnknown() {
        service.resolve("release of " + keys.names().lock(), keys, ownerToken());
    }
}
