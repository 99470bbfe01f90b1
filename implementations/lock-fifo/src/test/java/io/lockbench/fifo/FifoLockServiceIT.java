package io.lockbench.fifo;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LockServiceContract;

/** The whole {@link LockServiceContract} against {@link FifoLockService} on one real server. */
class FifoLockServiceIT extends LockServiceContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new FifoLockService(settings);
    }
}
