package io.lockbench.naive;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockSettings;
import java.util.Set;
import java.util.function.Function;

/** The providers of the naive locks, registered so that benchmarks and scenarios run them by name. */
public final class NaiveLockProviders {

    private NaiveLockProviders() {
    }

    /** A provider by name and constructor; ServiceLoader needs one public class per provider, hence the subclasses. */
    private abstract static class Provider implements LockServiceProvider {
        private final String name;
        private final Function<LockSettings, LockService> factory;

        Provider(String name, Function<LockSettings, LockService> factory) {
            this.name = name;
            this.factory = factory;
        }

        @Override
        public final String name() {
            return name;
        }

        @Override
        public final LockService create(LockSettings settings) {
            return factory.apply(settings);
        }

        @Override
        public final Set<Capability> capabilities() {
            return NaiveLockService.CAPABILITIES;
        }

        @Override
        public final String clusterUnsupportedReason() {
            return "the anti-patterns talk to one server through a plain Jedis pool; they exist to show how a lock"
                    + " breaks, not how one scales";
        }
    }

    /** Provides {@code naive-setnx}. */
    public static final class Setnx extends Provider {
        /** The provider ServiceLoader instantiates. */
        public Setnx() {
            super(SetnxLockService.NAME, SetnxLockService::new);
        }
    }

    /** Provides {@code naive-pexpire}. */
    public static final class UncheckedRenewal extends Provider {
        /** The provider ServiceLoader instantiates. */
        public UncheckedRenewal() {
            super(UncheckedRenewalLockService.NAME, UncheckedRenewalLockService::new);
        }
    }

    /** Provides {@code naive-setnx-expire}. */
    public static final class SetnxThenExpire extends Provider {
        /** The provider ServiceLoader instantiates. */
        public SetnxThenExpire() {
            super(SetnxThenExpireLockService.NAME, SetnxThenExpireLockService::new);
        }
    }

    /** Provides {@code naive-timeout-is-failure}. */
    public static final class TimeoutIsFailure extends Provider {
        /** The provider ServiceLoader instantiates. */
        public TimeoutIsFailure() {
            super(TimeoutIsFailureLockService.NAME, TimeoutIsFailureLockService::new);
        }
    }
}
