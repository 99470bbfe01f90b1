package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallerThreadTest {

    private final CallerThread caller = new CallerThread();
    private final List<String> ranOn = new CopyOnWriteArrayList<>();

    private Runnable recording() {
        return () -> ranOn.add(Thread.currentThread().getName());
    }

    @Test
    void tasksFromOtherThreadsRunOnTheWaitingThread() throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            caller.execute(recording());
            caller.execute(recording());
            caller.execute(() -> result.complete("done"));
        }, "submitter");
        other.start();
        caller.runUntil(result);
        other.join();
        assertThat(result).isCompletedWithValue("done");
        assertThat(ranOn).containsExactly(Thread.currentThread().getName(), Thread.currentThread().getName());
    }

    @Test
    void tasksQueuedWhenTheResultCompletesStillRun() throws InterruptedException {
        CompletableFuture<String> result = new CompletableFuture<>();
        caller.execute(() -> {
            result.complete("done");
            caller.execute(recording());
        });
        caller.runUntil(result);
        assertThat(ranOn).as("a step queued as the result completed").hasSize(1);
    }

    @Test
    void anInterruptWhileWaitingThrows() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> caller.runUntil(new CompletableFuture<>())).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the interrupt is consumed by the exception").isFalse();
    }

    @Test
    void aCompleteResultReturnsAtOnceEvenWhenInterrupted() throws InterruptedException {
        Thread.currentThread().interrupt();
        caller.runUntil(CompletableFuture.completedFuture("done"));
        assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
    }

    @Test
    void runPendingRunsWhatIsQueuedWithoutWaiting() {
        caller.execute(recording());
        caller.runPending();
        caller.runPending();
        assertThat(ranOn).hasSize(1);
    }
}
