package io.lockbench.jedis;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LeaderElectionContract;

/** {@link io.lockbench.api.LeaderElection} over {@link JedisLockService} on a real server. */
class JedisLeaderElectionIT extends LeaderElectionContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new JedisLockService(settings);
    }
}
