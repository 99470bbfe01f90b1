package io.lockbench.spring;

import io.lockbench.api.ReleaseResult;
import io.lockbench.core.BaseLease;
import java.time.Duration;
import org.springframework.integration.support.locks.DistributedLock;

/**
 * One grant of a registry lock. The registry ties it to the thread that acquired it (a local
 * {@code ReentrantLock} under the Redis key): only that thread may release it. Extend is the registry's
 * {@code renewLock}, which any thread may call.
 */
final class SpringLease extends BaseLease {

    private final SpringRegistry registry;
    private final DistributedLock lock;
    private final Thread owner;

    SpringLease(String key, SpringRegistry registry, DistributedLock lock, long validUntilNanos, Duration maxTtl) {
        super(key, registry.ownerToken(), 0, validUntilNanos, maxTtl);
        this.registry = registry;
        this.lock = lock;
        this.owner = Thread.currentThread();
    }

    @Override
    protected boolean extendOnServer(Duration ttl) {
        return registry.renew(key(), ttl);
    }

    /**
     * @throws IllegalStateException on a thread other than the one that acquired the lease (the service does
     *     not declare ANY_THREAD_RELEASE); the lease then counts as released and its lock expires by its ttl
     */
    @Override
    protected ReleaseResult releaseOnServer() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException("the lease on '" + key() + "' was acquired on thread '" + owner.getName()
                    + "' and can only be released there (RedisLockRegistry locks belong to a thread), not on '"
                    + current.getName() + "'");
        }
        return registry.unlock(lock, key());
    }
}
