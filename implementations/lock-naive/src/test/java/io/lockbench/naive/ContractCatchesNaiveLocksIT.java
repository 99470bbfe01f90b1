package io.lockbench.naive;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.LockServiceContract;
import io.lockbench.testkit.SuiteRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proves the contract suite can fail: it runs the {@link LockServiceContract} tests that guard the
 * production stories against each naive lock, and checks that exactly the expected ones fail (the others
 * are run too, to show the naive locks are not failing for some unrelated reason).
 */
class ContractCatchesNaiveLocksIT {

    /** The contract run against naive-setnx; not picked up by the build on its own (nested class). */
    static class SetnxUnderContract extends LockServiceContract {
        @Override
        protected LockService newService(LockSettings settings) {
            return new SetnxLockService(settings);
        }
    }

    /** The contract run against naive-pexpire. */
    static class UncheckedRenewalUnderContract extends LockServiceContract {
        @Override
        protected LockService newService(LockSettings settings) {
            return new UncheckedRenewalLockService(settings);
        }
    }

    /** The contract run against naive-setnx-expire. */
    static class SetnxThenExpireUnderContract extends LockServiceContract {
        @Override
        protected LockService newService(LockSettings settings) {
            return new SetnxThenExpireLockService(settings);
        }
    }

    /** The contract run against naive-timeout-is-failure. */
    static class TimeoutIsFailureUnderContract extends LockServiceContract {
        @Override
        protected LockService newService(LockSettings settings) {
            return new TimeoutIsFailureLockService(settings);
        }
    }

    private static final List<String> RUN = List.of(
            "identityAndLeaseFacts", "tryAcquireOnHeldKeyReturnsEmpty", "badInput", "expiry",
            "staleReleaseDoesNotDeleteNewOwnersLock", "staleExtendDoesNotTouchNewOwnersLock",
            "ambiguousTimeoutLeavesNoKey");

    @Test
    void setnxWithConstantValueAndPlainDelFailsTheSuite() {
        Map<String, Throwable> failed = SuiteRuns.failedTests(SetnxUnderContract.class, RUN);
        assertThat(failed.keySet()).as("failed contract tests: %s", failed).containsExactlyInAnyOrder(
                "identityAndLeaseFacts", // the constant value is no owner token
                "staleReleaseDoesNotDeleteNewOwnersLock", // a stale DEL frees the new owner's lock (story 'leak')
                "staleExtendDoesNotTouchNewOwnersLock", // a stale PEXPIRE extends it (story 'leader')
                "ambiguousTimeoutLeavesNoKey"); // a SET whose reply was lost is never cleaned up (story 'leak')
    }

    @Test
    void bareRenewalFailsTheSuite() {
        Map<String, Throwable> failed = SuiteRuns.failedTests(UncheckedRenewalUnderContract.class, RUN);
        assertThat(failed.keySet()).as("failed contract tests: %s", failed).containsExactlyInAnyOrder(
                "staleExtendDoesNotTouchNewOwnersLock", // bare PEXPIRE renews whoever holds the lock (story 'leader')
                "ambiguousTimeoutLeavesNoKey");
    }

    @Test
    void setnxThenExpireFailsTheSuite() {
        Map<String, Throwable> failed = SuiteRuns.failedTests(SetnxThenExpireUnderContract.class, RUN);
        assertThat(failed.keySet()).as("failed contract tests: %s", failed).containsExactlyInAnyOrder(
                "identityAndLeaseFacts", // the constant value "1" is no owner token
                "staleReleaseDoesNotDeleteNewOwnersLock", // a stale DEL frees the new owner's lock (story 'leak')
                "staleExtendDoesNotTouchNewOwnersLock", // a stale PEXPIRE extends it (story 'leader')
                // SETNX ran but its reply was lost: the PEXPIRE is never sent, the key has no ttl at all
                "ambiguousTimeoutLeavesNoKey");
    }

    @Test
    void timeoutTakenForNotAcquiredFailsTheSuite() {
        Map<String, Throwable> failed = SuiteRuns.failedTests(TimeoutIsFailureUnderContract.class, RUN);
        assertThat(failed.keySet()).as("failed contract tests: %s", failed).containsExactly(
                // the SET whose reply was lost ran; the call said "not acquired" and the key stays held for
                // its whole ttl (story 'leak'). Token, release and extend are right: nothing else fails.
                "ambiguousTimeoutLeavesNoKey");
    }
}
