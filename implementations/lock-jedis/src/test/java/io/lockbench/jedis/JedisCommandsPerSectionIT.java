package io.lockbench.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.testkit.CommandStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No busy spinning: 8 threads on one key with zero hold time send at most 4 commands per critical section
 * on average, read from the server's own command counts.
 */
class JedisCommandsPerSectionIT {

    private static final Logger LOG = LoggerFactory.getLogger(JedisCommandsPerSectionIT.class);
    private static final int THREADS = 8;
    private static final int SECTIONS = 2_000;

    @Test
    void eightThreadsOnOneKeyAverageAtMostFourCommandsPerSection() throws Exception {
        try (RedisNodes redis = RedisNodes.start(1);
             JedisLockService service = new JedisLockService(redis.settings())) {
            String key = redis.keyPrefix() + "commands-per-section";
            service.tryAcquire(key, Duration.ofSeconds(1)).orElseThrow().release();
            long roundTripsBefore = service.roundTrips();
            CommandStats before = CommandStats.of(redis.node(0));

            AtomicInteger started = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    done.add(threads.submit(() -> {
                        while (started.getAndIncrement() < SECTIONS) {
                            Lease lease = service.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(60))
                                    .orElseThrow(() -> new AssertionError("acquire timed out"));
                            lease.release();
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
                threads.awaitTermination(10, TimeUnit.SECONDS);
            }

            CommandStats after = CommandStats.of(redis.node(0));
            long client = after.clientCommandsSince(before);
            long scripts = after.callsSince(before, "evalsha") + after.callsSince(before, "eval");
            double perSection = (double) client / SECTIONS;
            LOG.info("{} sections: {} client commands ({} per section), {} script calls, {} counted by the service, "
                            + "{} commands including those inside scripts", SECTIONS, client, perSection, scripts,
                    service.roundTrips() - roundTripsBefore, after.allCommandsSince(before));
            assertThat(client).as("only script calls reach the server").isEqualTo(scripts);
            assertThat(service.roundTrips() - roundTripsBefore).as("the service's own count").isEqualTo(scripts);
            assertThat(perSection).as("commands per critical section").isLessThanOrEqualTo(4.0);
        }
    }
}
