package io.lockbench.fifo;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.AutoRenewalContract;

/** The watchdog ({@link io.lockbench.api.AutoRenewal}) over {@link FifoLockService} leases on a real server. */
class FifoAutoRenewalIT extends AutoRenewalContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new FifoLockService(settings);
    }
}
