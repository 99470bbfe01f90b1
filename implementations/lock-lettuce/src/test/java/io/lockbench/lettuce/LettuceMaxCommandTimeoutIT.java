package io.lockbench.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, behaviour 3.7 for Lettuce: a command timeout of 365 days broke Lettuce ("integer overflow").
 * {@link LockSettings} now refuses more than {@link LockSettings#MAX_COMMAND_TIMEOUT}; the largest timeout it
 * accepts must work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LettuceMaxCommandTimeoutIT {

    private static final Duration TTL = Duration.ofSeconds(30);

    @Test
    void theLargestAcceptedCommandTimeoutWorks() throws Exception {
        try (RedisNodes nodes = RedisNodes.start(1);
             LettuceLockService service = new LettuceLockService(
                     nodes.settings().withCommandTimeout(LockSettings.MAX_COMMAND_TIMEOUT))) {
            String key = nodes.keyPrefix() + "max-command-timeout";
            Lease lease = service.acquire(key, TTL, Duration.ofSeconds(5)).orElseThrow();
            assertThat(service.tryAcquire(key, TTL)).as("held").isEmpty();
            assertThat(lease.extend(TTL)).isTrue();
            assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
            assertThat(service.tryAcquire(key, TTL).orElseThrow().release()).isEqualTo(ReleaseResult.RELEASED);
        }
    }
}
