package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadsTest {

    @Test
    void daemonThreadsAreNamedInOrder() {
        var factory = Threads.daemon("lockbench-x");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertThat(first.isDaemon()).isTrue();
        assertThat(first.getName()).isEqualTo("lockbench-x-1");
        assertThat(second.getName()).isEqualTo("lockbench-x-2");
    }

    @Test
    void theTimerThreadStartsOnDemandAndStopsWhenIdle() throws Exception {
        ScheduledThreadPoolExecutor timers = Threads.timers("lockbench-test-timer");
        try {
            assertThat(timers.getPoolSize()).as("threads before any timer").isZero();
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            timers.schedule(() -> ranOn.complete(Thread.currentThread().getName()), 1, TimeUnit.MILLISECONDS);
            assertThat(ranOn.get(20, TimeUnit.SECONDS)).startsWith("lockbench-test-timer-");
            Await.until(Duration.ofSeconds(30), () -> timers.getPoolSize() == 0, "the idle timer thread to stop");
            var cancelled = timers.schedule(() -> { }, 1, TimeUnit.HOURS);
            cancelled.cancel(false);
            assertThat(timers.getQueue()).as("a cancelled timer leaves the queue at once").isEmpty();
        } finally {
            timers.shutdownNow();
        }
    }
}
