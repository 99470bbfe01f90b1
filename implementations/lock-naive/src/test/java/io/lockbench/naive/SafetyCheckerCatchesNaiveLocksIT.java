package io.lockbench.naive;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.safety.FencedResource;
import io.lockbench.safety.SafetyChecker;
import io.lockbench.testkit.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Story "bonus": a holder stalls past its ttl, a second client takes the lock, both act. The safety checker
 * must see it with the naive lock, and with naive-setnx the stalled holder's DEL then frees the lock for a
 * third client while the second is still inside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SafetyCheckerCatchesNaiveLocksIT {

    private RedisNodes nodes;

    @BeforeAll
    void start() {
        nodes = RedisNodes.start(1);
    }

    @AfterAll
    void stop() {
        nodes.close();
    }

    @Test
    void clientStallLongerThanTheTtlIsCaught() throws InterruptedException {
        try (LockService service = new SetnxLockService(nodes.settings())) {
            String key = nodes.keyPrefix() + "bonus";
            SafetyChecker checker = new SafetyChecker();
            FencedResource ledger = FencedResource.unfenced();
            Duration ttl = Duration.ofMillis(200);

            Lease stalled = service.tryAcquire(key, ttl).orElseThrow();
            SafetyChecker.Section stalledSection = checker.enter("stalled", stalled.fencingToken());
            // The stall: the holder does nothing until the server has expired its lock.
            Await.until(Duration.ofSeconds(10), () -> !nodes.node(0).<Boolean>call(jedis -> jedis.exists(key)),
                    "the stalled holder's lock to expire");

            Lease second = service.acquire(key, Duration.ofSeconds(10), Duration.ofSeconds(2)).orElseThrow();
            SafetyChecker.Section secondSection = checker.enter("second", second.fencingToken());
            secondSection.write(ledger);
            stalledSection.write(ledger);
            stalled.release();
            stalledSection.close();

            Lease third = service.tryAcquire(key, Duration.ofSeconds(10)).orElseThrow(
                    () -> new AssertionError("expected the stale DEL to have freed the second holder's lock"));
            SafetyChecker.Section thirdSection = checker.enter("third", third.fencingToken());
            thirdSection.close();
            secondSection.close();
            third.release();
            second.release();

            SafetyChecker.Report report = checker.report(ledger);
            assertThat(report.overlaps()).as("stalled/second and second/third overlap").isEqualTo(2);
            assertThat(report.mutualExclusion()).isFalse();
            assertThat(report.staleWritesAccepted()).as("the bonus paid twice").isEqualTo(1);
            assertThat(report.resourceSafe()).isFalse();
        }
    }
}
