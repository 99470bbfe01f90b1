package io.lockbench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The orphan sampler finds a lock held with no section open under the name each implementation stores it
 * by: the user's key for Redisson and the naive locks, {@code lock:{key}} for the Lua-based ones (an earlier
 * sampler read only the user's key and so could never see an orphan of jedis, lettuce or redlock).
 */
class OrphanSamplerIT {

    private static RedisNodes nodes;

    @BeforeAll
    static void start() {
        nodes = RedisNodes.start(1);
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jedis", "lettuce", "redisson", "naive-setnx"})
    void seesALockHeldOutsideAnySection(String impl) throws Exception {
        String key = nodes.keyPrefix() + "orphan-" + impl;
        CellLedger ledger = new CellLedger(List.of(key));
        try (LockService service = LockServices.create(impl, nodes.settings());
             OrphanSampler sampler = new OrphanSampler(nodes::nodes, ledger, LockServices.provider(impl)::lockKey)) {
            Lease lease = service.tryAcquire(key, Duration.ofSeconds(30)).orElseThrow();
            try {
                Await.until(Duration.ofSeconds(20), () -> sampler.maxOrphanMs() >= 100,
                        impl + "'s lock, held with no section open, to be sampled as an orphan for 100 ms");
            } finally {
                lease.release();
            }
        }
    }
}
