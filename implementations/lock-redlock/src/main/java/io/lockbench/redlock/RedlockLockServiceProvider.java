package io.lockbench.redlock;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockSettings;
import io.lockbench.core.LockKeys;
import java.util.Set;

/** Registers {@link RedlockLockService} under the name {@code "redlock"}. */
public final class RedlockLockServiceProvider implements LockServiceProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public RedlockLockServiceProvider() {
    }

    @Override
    public String name() {
        return RedlockLockService.NAME;
    }

    /**
     * @param settings every node takes part in the quorum
     * @return a new {@link RedlockLockService}; connects lazily, so it never throws for a node that is down
     */
    @Override
    public LockService create(LockSettings settings) {
        return new RedlockLockService(settings);
    }

    /** The lock lives under the core's name for it, {@code lock:{key}}. */
    @Override
    public String lockKey(String key) {
        return LockKeys.of(key).lock();
    }

    @Override
    public Set<Capability> capabilities() {
        return RedlockLockService.CAPABILITIES;
    }

    @Override
    public String clusterUnsupportedReason() {
        return "Redlock writes each lock on a quorum of independent primaries; a cluster's masters each own"
                + " only their own slots, so no key can be written on all of them";
    }
}
