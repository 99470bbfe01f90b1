package io.lockbench.redlock;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LeaderElectionContract;

/** {@link io.lockbench.api.LeaderElection} over {@link RedlockLockService} on 3 independent nodes. */
class Redlock3LeaderElectionIT extends LeaderElectionContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new RedlockLockService(settings);
    }

    @Override
    protected int nodeCount() {
        return 3;
    }
}
