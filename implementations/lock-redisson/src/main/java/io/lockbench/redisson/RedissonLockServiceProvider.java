package io.lockbench.redisson;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockSettings;
import java.util.Set;

/** Registers {@link RedissonLockService} under the name {@value RedissonLockService#NAME}. */
public final class RedissonLockServiceProvider implements LockServiceProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public RedissonLockServiceProvider() {
    }

    @Override
    public String name() {
        return RedissonLockService.NAME;
    }

    @Override
    public LockService create(LockSettings settings) {
        return new RedissonLockService(settings);
    }

    @Override
    public Set<Capability> capabilities() {
        return RedissonLockService.CAPABILITIES;
    }
}
