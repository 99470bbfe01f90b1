package io.lockbench.fifo;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LeaderElectionContract;

/** {@link io.lockbench.api.LeaderElection} over {@link FifoLockService} on a real server. */
class FifoLeaderElectionIT extends LeaderElectionContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new FifoLockService(settings);
    }
}
