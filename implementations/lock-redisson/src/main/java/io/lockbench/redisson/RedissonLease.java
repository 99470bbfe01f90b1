package io.lockbench.redisson;

import io.lockbench.api.ReleaseResult;
import io.lockbench.core.BaseLease;
import io.lockbench.core.LockScripts;
import io.lockbench.core.OutcomeResolver;
import java.time.Duration;

/**
 * One grant of a Redisson fenced lock, identified on the server by its own synthetic thread id, so that it
 * can be extended and released from any thread.
 */
final class RedissonLease extends BaseLease {

    private final long threadId;
    private final HoldScripts scripts;
    private final OutcomeResolver resolver;
    private final long replyLimitNanos;
    private final String address;

    /**
     * @param key the lock's name
     * @param threadId the synthetic thread id the lock was taken with
     * @param fencingToken the token RFencedLock issued with this grant
     * @param validUntilNanos the validity deadline
     * @param maxTtl the service's maximum ttl
     * @param scripts runs release and extend by hold field
     * @param resolver settles a release whose reply was lost
     * @param replyLimitNanos the longest wait for a reply
     * @param address the server's host:port, for exceptions
     */
    RedissonLease(String key, long threadId, long fencingToken, long validUntilNanos, Duration maxTtl,
                  HoldScripts scripts, OutcomeResolver resolver, long replyLimitNanos, String address) {
        super(key, scripts.field(threadId), fencingToken, validUntilNanos, maxTtl);
        this.threadId = threadId;
        this.scripts = scripts;
        this.resolver = resolver;
        this.replyLimitNanos = replyLimitNanos;
        this.address = address;
    }

    /** @return the synthetic thread id this grant holds the lock under */
    long threadId() {
        return threadId;
    }

    @Override
    protected boolean extendOnServer(Duration ttl) {
        long code = Replies.await(scripts.extend(key(), threadId, ttl), replyLimitNanos, address,
                "redisson: extend of '" + key() + "'");
        return code == 1;
    }

    @Override
    protected ReleaseResult releaseOnServer() {
        long code = Replies.await(scripts.release(key(), threadId), replyLimitNanos, address,
                "redisson: release of '" + key() + "'");
        return LockScripts.releaseResult(code);
    }

    /** The release may have run or may yet run: the resolver deletes our hold by its thread id. */
    @Override
    protected void releaseOutcomeUnknown() {
        resolver.resolve("release of '" + key() + "'", () -> scripts.release(key(), threadId));
    }
}
