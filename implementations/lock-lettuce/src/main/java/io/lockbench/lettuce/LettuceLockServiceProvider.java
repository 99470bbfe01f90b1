package io.lockbench.lettuce;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import java.util.Set;

/**
 * Registers {@link LettuceLockService} as {@code "lettuce"}: standalone Redis, the first node of the settings, or
 * {@link LettuceLockService#cluster} when the settings name a Redis Cluster ({@code redis-cluster://}).
 */
public final class LettuceLockServiceProvider implements LockServiceProvider {

    /** For {@link java.util.ServiceLoader}. */
    public LettuceLockServiceProvider() {
    }

    @Override
    public String name() {
        return LettuceLockService.NAME;
    }

    @Override
    public LockService create(LockSettings settings) {
        return settings.cluster().isPresent() ? LettuceLockService.cluster(settings) : new LettuceLockService(settings);
    }

    /** The lock lives under the core's name for it, {@code lock:{key}}. */
    @Override
    public String lockKey(String key) {
        return LockKeys.of(key).lock();
    }

    @Override
    public Set<Capability> capabilities() {
        return LettuceLockService.CAPABILITIES;
    }
}
