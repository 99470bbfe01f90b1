package io.lockbench.redlock;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.AutoRenewalContract;

/** The watchdog ({@link io.lockbench.api.AutoRenewal}) over {@link RedlockLockService} on 3 independent nodes. */
class Redlock3AutoRenewalIT extends AutoRenewalContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new RedlockLockService(settings);
    }

    @Override
    protected int nodeCount() {
        return 3;
    }

    /** Without a quorum's answer Redlock cannot tell whether the lock is still held, so it gives the lease up. */
    @Override
    protected boolean extendFailureLosesTheLease() {
        return true;
    }
}
