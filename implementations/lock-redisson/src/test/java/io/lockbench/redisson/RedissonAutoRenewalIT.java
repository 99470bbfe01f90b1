package io.lockbench.redisson;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.AutoRenewalContract;

/**
 * Our watchdog ({@link io.lockbench.api.AutoRenewal}) over {@link RedissonLockService} leases: the adapter
 * takes every lock with an explicit lease time, so Redisson's own watchdog never runs and renewal is ours.
 */
class RedissonAutoRenewalIT extends AutoRenewalContract {

    @Override
    protected LockService newService(LockSettings settings) {
        return new RedissonLockService(settings);
    }
}
