package io.lockbench.jedis;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import io.lockbench.testkit.SentinelContract;

/** The {@link SentinelContract} against {@link JedisLockService} through Jedis's Sentinel client. */
class JedisSentinelIT extends SentinelContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new JedisLockService(settings);
    }

    @Override
    protected String lockKey(String key) {
        return LockKeys.of(key).lock();
    }
}
