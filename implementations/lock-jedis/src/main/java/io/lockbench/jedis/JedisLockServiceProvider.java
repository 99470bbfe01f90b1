package io.lockbench.jedis;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import java.util.Set;

/**
 * Registers {@link JedisLockService} as {@code jedis}: a pooled client on the first node, or
 * {@link JedisLockService#cluster} when the settings name a Redis Cluster ({@code redis-cluster://}).
 */
public final class JedisLockServiceProvider implements LockServiceProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public JedisLockServiceProvider() {
    }

    @Override
    public String name() {
        return JedisLockService.NAME;
    }

    @Override
    public LockService create(LockSettings settings) {
        return settings.cluster().isPresent() ? JedisLockService.cluster(settings) : new JedisLockService(settings);
    }

    /** The lock lives under the core's name for it, {@code lock:{key}}. */
    @Override
    public String lockKey(String key) {
        return LockKeys.of(key).lock();
    }

    @Override
    public Set<Capability> capabilities() {
        return JedisLockService.CAPABILITIES;
    }
}
