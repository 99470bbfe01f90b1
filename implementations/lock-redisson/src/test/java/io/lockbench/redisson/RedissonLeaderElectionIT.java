package io.lockbench.redisson;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LeaderElectionContract;

/** {@link io.lockbench.api.LeaderElection} over {@link RedissonLockService}, renewed by our watchdog. */
class RedissonLeaderElectionIT extends LeaderElectionContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new RedissonLockService(settings);
    }
}
