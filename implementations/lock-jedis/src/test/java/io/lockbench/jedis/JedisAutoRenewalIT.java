package io.lockbench.jedis;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.AutoRenewalContract;

/** The watchdog ({@link io.lockbench.api.AutoRenewal}) over {@link JedisLockService} leases on a real server. */
class JedisAutoRenewalIT extends AutoRenewalContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new JedisLockService(settings);
    }
}
