package io.lockbench.testkit;

import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.fixture.RedisNodes;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What every suite that runs lock services against real Redis shares: the servers, started once per test
 * class and stopped after it, the factory the implementation module supplies, and keys no other test uses.
 * {@link LockServiceContract}, {@link AutoRenewalContract} and {@link LeaderElectionContract} extend it,
 * so an implementation module writes the same few lines for each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RealRedisSuite {

    private RedisNodes nodes;
    private final AtomicInteger keys = new AtomicInteger();

    /**
     * Creates the implementation under test.
     *
     * @param settings where the servers (or proxies in front of them) are
     * @return a new service; the suite closes it
     */
    protected abstract LockService newService(LockSettings settings);

    /**
     * How many independent Redis servers the implementation needs (Redlock: 3 or 5).
     *
     * @return the node count, 1 by default
     */
    protected int nodeCount() {
        return 1;
    }

    /** @return the servers the suite started */
    protected final RedisNodes nodes() {
        return nodes;
    }

    /**
     * A key no other test uses, under the servers' key prefix.
     *
     * @param name a readable part
     * @return the key
     */
    protected final String key(String name) {
        return nodes.keyPrefix() + name + ":" + keys.incrementAndGet();
    }

    @BeforeAll
    final void startRedis() {
        nodes = RedisNodes.start(nodeCount());
    }

    @AfterAll
    final void stopRedis() {
        if (nodes != null) {
            nodes.close();
        }
    }
}
