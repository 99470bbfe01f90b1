package io.lockbench.redisson;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.SentinelContract;

/** The {@link SentinelContract} against {@link RedissonLockService} through Redisson's Sentinel support. */
class RedissonSentinelIT extends SentinelContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new RedissonLockService(settings);
    }

    /** Redisson keeps a lock as a hash under the lock's own name. */
    @Override
    protected String lockKey(String key) {
        return key;
    }
}
