package io.lockbench.lettuce;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import io.lockbench.testkit.SentinelContract;

/** The {@link SentinelContract} against {@link LettuceLockService} through Lettuce's Sentinel URI support. */
class LettuceSentinelIT extends SentinelContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new LettuceLockService(settings);
    }

    @Override
    protected String lockKey(String key) {
        return LockKeys.of(key).lock();
    }
}
