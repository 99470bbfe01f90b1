package io.lockbench.redlock;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LockServiceContract;

/** The {@link LockServiceContract} on 3 independent nodes (quorum 2). */
class Redlock3ContractIT extends LockServiceContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new RedlockLockService(settings);
    }

    @Override
    protected int nodeCount() {
        return 3;
    }
}
