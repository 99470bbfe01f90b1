package io.lockbench.fifo;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import java.util.Set;

/**
 * Registers {@link FifoLockService} as {@code fifo}: a fair lock on the first node, or
 * {@link FifoLockService#cluster} when the settings name a Redis Cluster ({@code redis-cluster://}).
 */
public final class FifoLockServiceProvider implements LockServiceProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public FifoLockServiceProvider() {
    }

    @Override
    public String name() {
        return FifoLockService.NAME;
    }

    @Override
    public LockService create(LockSettings settings) {
        return settings.cluster().isPresent() ? FifoLockService.cluster(settings) : new FifoLockService(settings);
    }

    /** The lock lives under the core's name for it, {@code lock:{key}}. */
    @Override
    public String lockKey(String key) {
        return LockKeys.of(key).lock();
    }

    @Override
    public Set<Capability> capabilities() {
        return FifoLockService.CAPABILITIES;
    }
}
