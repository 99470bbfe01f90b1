package io.lockbench.spring;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockSettings;
import java.util.Set;

/** The providers of {@code spring-spin} and {@code spring-pubsub}, registered for {@link java.util.ServiceLoader}. */
public final class SpringLockProviders {

    private SpringLockProviders() {
    }

    /** A provider by lock type; ServiceLoader needs one public class per provider, hence the subclasses. */
    private abstract static class Provider implements LockServiceProvider {
        private final SpringLockType type;

        Provider(SpringLockType type) {
            this.type = type;
        }

        @Override
        public final String name() {
            return type.implementation();
        }

        @Override
        public final LockService create(LockSettings settings) {
            return new SpringLockService(type, settings);
        }

        @Override
        public final Set<Capability> capabilities() {
            return SpringLockService.CAPABILITIES;
        }

        /** @return {@code lockbench-spring:<key>}: the registry prefixes every lock with its registry key */
        @Override
        public final String lockKey(String key) {
            return SpringRegistry.lockKey(key);
        }
    }

    /** Provides {@code spring-spin}. */
    public static final class Spin extends Provider {
        /** The provider ServiceLoader instantiates. */
        public Spin() {
            super(SpringLockType.SPIN);
        }
    }

    /** Provides {@code spring-pubsub}. */
    public static final class PubSub extends Provider {
        /** The provider ServiceLoader instantiates. */
        public PubSub() {
            super(SpringLockType.PUB_SUB);
        }
    }
}
