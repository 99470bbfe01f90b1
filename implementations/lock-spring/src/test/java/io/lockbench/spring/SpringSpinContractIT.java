package io.lockbench.spring;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.AutoRenewalContract;
import io.lockbench.testkit.LeaderElectionContract;
import io.lockbench.testkit.LockServiceContract;
import io.lockbench.testkit.SuiteRuns;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The contract, watchdog and election suites against {@code spring-spin}: every test passes except the
 * published findings ({@link SpringFindings}), and the tests that need a capability it does not declare are
 * skipped. The contract runs first: it warms the JVM, whose first renewal through the registry is slow (see
 * {@link SpringFindings#AUTO_RENEWAL}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringSpinContractIT {

    /** The contract suite; nested, so the build runs it only through this test. */
    static class Contract extends LockServiceContract {
        @Override
        protected LockService newService(LockSettings settings) {
            return new SpringLockService(SpringLockType.SPIN, settings);
        }
    }

    /** The watchdog suite. */
    static class Renewal extends AutoRenewalContract {
        @Override
        protected LockService newService(LockSettings settings) {
            return new SpringLockService(SpringLockType.SPIN, settings);
        }
    }

    /** The election suite. */
    static class Election extends LeaderElectionContract {
        @Override
        protected LockService newService(LockSettings settings) {
            return new SpringLockService(SpringLockType.SPIN, settings);
        }
    }

    @Test
    @Order(1)
    void lockServiceContract() {
        SpringFindings.CONTRACT.assertMatch(SuiteRuns.runAll(Contract.class));
    }

    @Test
    @Order(2)
    void autoRenewalContract() {
        SpringFindings.AUTO_RENEWAL.assertMatch(SuiteRuns.runAll(Renewal.class));
    }

    @Test
    @Order(3)
    void leaderElectionContract() {
        SpringFindings.LEADER_ELECTION.assertMatch(SuiteRuns.runAll(Election.class));
    }
}
