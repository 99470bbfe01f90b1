package io.lockbench.lettuce;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LeaderElectionContract;

/** {@link io.lockbench.api.LeaderElection} over {@link LettuceLockService} on a real server. */
class LettuceLeaderElectionIT extends LeaderElectionContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new LettuceLockService(settings);
    }
}
