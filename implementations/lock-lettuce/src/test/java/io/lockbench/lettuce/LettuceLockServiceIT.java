package io.lockbench.lettuce;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LockServiceContract;

/** The whole {@link LockServiceContract} against {@link LettuceLockService} on standalone Redis. */
class LettuceLockServiceIT extends LockServiceContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new LettuceLockService(settings);
    }
}
