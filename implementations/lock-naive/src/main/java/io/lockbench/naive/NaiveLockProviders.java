package io.lockbench.naive;

import io.lockbench.api.LockService;
import io.lockbench.api.LockServiceProvider;
import io.lockbench.api.LockSettings;

/** The providers of the naive locks, registered so that benchmarks and scenarios run them by name. */
public final class NaiveLockProviders {

    private NaiveLockProviders() {
    }

    /** Provides {@code naive-setnx}. */
    public static final class Setnx implements LockServiceProvider {
        @Override
        public String name() {
            return SetnxLockService.NAME;
        }

        @Override
        public LockService create(LockSettings settings) {
            return new SetnxLockService(settings);
        }
    }

    /** Provides {@code naive-pexpire}. */
    public static final class UncheckedRenewal implements LockServiceProvider {
        @Override
        public String name() {
            return UncheckedRenewalLockService.NAME;
        }

        @Override
        public LockService create(LockSettings settings) {
            return new UncheckedRenewalLockService(settings);
        }
    }

    /** Provides {@code naive-setnx-expire}. */
    public static final class SetnxThenExpire implements LockServiceProvider {
        @Override
        public String name() {
            return SetnxThenExpireLockService.NAME;
        }

        @Override
        public LockService create(LockSettings settings) {
            return new SetnxThenExpireLockService(settings);
        }
    }

    /** Provides {@code naive-timeout-is-failure}. */
    public static final class TimeoutIsFailure implements LockServiceProvider {
        @Override
        public String name() {
            return TimeoutIsFailureLockService.NAME;
        }

        @Override
        public LockService create(LockSettings settings) {
            return new TimeoutIsFailureLockService(settings);
        }
    }
}
