package io.lockbench.lettuce;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.AutoRenewalContract;

/**
 * The watchdog ({@link io.lockbench.api.AutoRenewal}) over {@link LettuceLockService} leases, which it renews
 * through their non-blocking extend.
 */
class LettuceAutoRenewalIT extends AutoRenewalContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new LettuceLockService(settings);
    }
}
