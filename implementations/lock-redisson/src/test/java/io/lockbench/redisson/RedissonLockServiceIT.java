package io.lockbench.redisson;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LockServiceContract;

/** The whole {@link LockServiceContract} against {@link RedissonLockService} on one real Redis server. */
class RedissonLockServiceIT extends LockServiceContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new RedissonLockService(settings);
    }
}
