package io.lockbench.jedis;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LockServiceContract;

/** The whole {@link LockServiceContract} against {@link JedisLockService} on one real server. */
class JedisLockServiceIT extends LockServiceContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new JedisLockService(settings);
    }
}
