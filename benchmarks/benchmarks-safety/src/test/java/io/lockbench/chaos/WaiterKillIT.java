package io.lockbench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.fixture.RedisSource;
import io.lockbench.testkit.Await;
import io.lockbench.testkit.CommandStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The waiter-kill fault on {@code fifo}, the one implementation whose waiters leave something on the server: a
 * client JVM killed while it waits leaves its queue entry behind; once the entry's window has passed, the next
 * release skips it and hands the lock to a surviving waiter (counted by the server: one grant, to the survivor).
 * And the chaos cell: the kill hits waiters only, and the row reports the hostage time within fifo's bound.
 */
class WaiterKillIT {

    private static final Duration LONG_TTL = Duration.ofSeconds(30);

    private static RedisNodes nodes;

    @BeforeAll
    static void start() {
        nodes = RedisNodes.start(1);
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void aKilledWaitersQueueEntryIsSkippedOnceItsWindowHasPassed() throws Exception {
        String key = nodes.keyPrefix() + "waiter-kill";
        String lock = LockServices.provider("fifo").lockKey(key);
        String queue = lock + ":queue";
        String waiters = lock + ":waiters";
        RedisNode node = nodes.node(0);
        CellLedger ledger = new CellLedger(List.of(key));
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try (LockService holder = LockServices.create("fifo", nodes.settings());
             LockService survivor = LockServices.create("fifo", nodes.settings())) {
            Lease held = holder.tryAcquire(key, LONG_TTL).orElseThrow();
            ledger.begin(1, "holder", key, held.fencingToken());
            ClientProcess client = ClientProcess.start("fifo", nodes.uris(), Duration.ofSeconds(1), LONG_TTL,
                    Duration.ofMillis(2), 1, List.of(key), ledger);
            try {
                Await.until(Duration.ofSeconds(20), () -> node.call(jedis -> jedis.llen(queue)) == 1,
                        "the client's worker queued");
                String dead = node.call(jedis -> jedis.lindex(queue, 0));

                ClientProcess.Kill kill = client.killWhileWaiting(Duration.ofSeconds(10)).orElseThrow();

                assertThat(kill.keys()).as("the key its worker waited for").containsExactly(key);
                assertThat(kill.sectionsReadAfterKill()).as("sections it held when killed").isZero();
                assertThat(node.<Boolean>call(jedis -> jedis.hexists(waiters, dead))).as("its entry outlives it")
                        .isTrue();
                Future<Optional<Lease>> waiting = threads.submit(() -> survivor.acquire(key, LONG_TTL, LONG_TTL));
                Await.until(Duration.ofSeconds(10), () -> node.call(jedis -> jedis.llen(queue)) == 2,
                        "the survivor queued behind the dead waiter");
                long deadline = Long.parseLong(node.call(jedis -> jedis.hget(waiters, dead)).split(" ")[0]);
                Await.until(Duration.ofSeconds(10), () -> serverMillis(node) > deadline,
                        "the dead waiter's window passed");

                CommandStats before = CommandStats.of(node);
                ledger.end(1);
                held.release();
                Lease lease = waiting.get(10, TimeUnit.SECONDS).orElseThrow();

                assertThat(node.<String>call(jedis -> jedis.get(lock))).as("the lock went to the survivor")
                        .isEqualTo(lease.ownerToken());
                assertThat(CommandStats.of(node).callsSince(before, "publish")).as("grants: the survivor's only")
                        .isEqualTo(1);
                assertThat(node.<Boolean>call(jedis -> jedis.hexists(waiters, dead))).as("dead entry dropped")
                        .isFalse();
                assertThat(ledger.maxHostageMs()).as("hostage time measured since the kill").isNotNegative();
                lease.release();
            } finally {
                client.close();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theCellKillsWaitersOnlyAndReportsTheHostageTimeWithinFifosBound() throws InterruptedException {
        ChaosListener quiet = new ChaosListener() {
            @Override
            public void cellStarted(int number, int total, String impl, String fault) {
            }

            @Override
            public void cellFinished(SafetyRow row) {
            }
        };
        List<SafetyRow> rows = new ChaosRun(List.of("fifo"), List.of("waiter-kill"),
                new ChaosSettings(30, 1, Duration.ofSeconds(20), 4, 2, Duration.ofMillis(2)))
                .run(RedisSource.fromEnvironment(), quiet);

        SafetyRow row = rows.get(0);
        assertThat(row.skipped()).as(row.toString()).isFalse();
        assertThat(row.notes()).as(row.toString()).startsWith("1 injections")
                .contains("killed the client JVM while its 2 workers waited").doesNotContain("held a lock");
        assertThat(row.hostageMs()).as(row.toString()).isNotNegative()
                .isLessThanOrEqualTo(Expectations.hostageBound("fifo", "waiter-kill").orElseThrow().maxMs());
        assertThat(row.overlaps()).as(row.toString()).isZero();
        assertThat(row.staleAcceptedFenced()).as(row.toString()).isZero();
        assertThat(row.violations()).as(row.toString()).isZero();
        assertThat(Expectations.broken(rows)).isEmpty();
        assertThat(Expectations.findings(rows)).isEmpty();
    }

    private static long serverMillis(RedisNode node) {
        List<String> time = node.call(jedis -> jedis.time());
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
