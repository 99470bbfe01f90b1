package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.LockBackendException;
import io.lockbench.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resolver's stopping rule, counted in compare-and-delete calls. The calls are scripted (the contract of
 * the resolver's supplier: a stage with the code, or a failure); release.lua itself is tested in LockScriptsIT.
 * Counts are read after the resolver and its timer thread have stopped, so no call can come later.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutcomeResolverTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Long DELETED = 1L;
    private static final Long GONE = 0L;
    private static final Long OTHER_OWNER = -1L;
    /** A scripted failure: no answer came. */
    private static final Long FAIL = null;

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final OutcomeResolver resolver = new OutcomeResolver("test", timers);

    @AfterEach
    void stop() {
        resolver.close();
        timers.shutdownNow();
    }

    /** Answers the scripted codes in order; {@link #FAIL} fails that call; past the end, every call fails. */
    private static final class Script implements Supplier<CompletionStage<Long>> {
        private final ConcurrentLinkedQueue<Long> codes = new ConcurrentLinkedQueue<>();
        private final List<Long> failAt = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        final List<String> threads = new CopyOnWriteArrayList<>();

        Script(Long... answers) {
            for (Long answer : answers) {
                codes.add(answer == null ? Long.MIN_VALUE : answer);
            }
        }

        @Override
        public CompletionStage<Long> get() {
            calls.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            Long code = codes.poll();
            if (code == null || code == Long.MIN_VALUE) {
                return CompletableFuture.failedFuture(new LockBackendException("127.0.0.1:1", "scripted timeout", null));
            }
            return CompletableFuture.completedFuture(code);
        }
    }

    /** Resolves one request to the end and returns how many compare-and-delete calls it took. */
    private int callsToSettle(Script script) throws Exception {
        resolver.resolve("acquire of k", script).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        return finalCount(script);
    }

    /** Stops the resolver and runs out every retry already scheduled, then reads the count. */
    private int finalCount(Script script) throws InterruptedException {
        resolver.close(BOUND);
        timers.shutdown();
        assertThat(timers.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return script.calls.get();
    }

    @Test
    void stopsAfterTheFirstCallThatDeletedOurToken() throws Exception {
        Script script = new Script(DELETED, GONE, GONE);
        assertThat(callsToSettle(script)).isEqualTo(1);
    }

    @Test
    void afterAGoneAnswerSendsExactlyOneMoreAndStopsAtItsAnswer() throws Exception {
        assertThat(callsToSettle(new Script(GONE, GONE, GONE))).isEqualTo(2);
    }

    @Test
    void anotherOwnerCountsAsAnAnswerToo() throws Exception {
        assertThat(callsToSettle(new Script(OTHER_OWNER, OTHER_OWNER, GONE))).isEqualTo(2);
    }

    @Test
    void secondCallThatDeletesAlsoStops() throws Exception {
        assertThat(callsToSettle(new Script(GONE, DELETED, GONE))).isEqualTo(2);
    }

    @Test
    void failuresAreRetriedAndDoNotCountAsAnswers() throws Exception {
        assertThat(callsToSettle(new Script(FAIL, FAIL, GONE, FAIL, GONE, GONE)))
                .as("two failures, the first answer, a failure, then the answer sent after the first answer")
                .isEqualTo(5);
    }

    @Test
    void failuresBeforeADeleteAreRetriedUntilIt() throws Exception {
        assertThat(callsToSettle(new Script(FAIL, FAIL, FAIL, DELETED, GONE))).isEqualTo(4);
    }

    @Test
    void aSupplierThatThrowsIsRetriedLikeAFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Supplier<CompletionStage<Long>> throwsOnce = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new LockBackendException("127.0.0.1:1", "scripted refusal", null);
            }
            return CompletableFuture.completedFuture(DELETED);
        };
        resolver.resolve("release of k", throwsOnce).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void callsRunOnTheResolversOwnThreads() throws Exception {
        Script script = new Script(FAIL, GONE, GONE);
        callsToSettle(script);
        assertThat(script.threads).hasSize(3).allMatch(name -> name.startsWith("lockbench-test-resolver-"));
    }

    @Test
    void closeStopsTheRetriesAndCompletesTheResolution() throws Exception {
        Script failing = new Script();
        CompletableFuture<Void> done = resolver.resolve("acquire of k", failing);
        Await.until(BOUND, () -> failing.calls.get() >= 3, "three failed calls");
        int atClose = finalCount(failing);
        assertThat(done).as("completed by close").isCompleted();
        assertThat(failing.calls.get()).as("no call after close").isEqualTo(atClose);
        assertThat(resolver.resolve("late", failing)).as("a resolution after close").isCompleted();
        assertThat(failing.calls.get()).as("calls for a resolution after close").isEqualTo(atClose);
    }

    @Test
    void closeCompletesResolutionsQueuedBehindBusyWorkers() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        Supplier<CompletionStage<Long>> blocking = () -> {
            entered.incrementAndGet();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.failedFuture(new LockBackendException("127.0.0.1:1", "scripted hang", null));
        };
        List<CompletableFuture<Void>> resolutions = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            resolutions.add(resolver.resolve("release of k" + i, blocking));
        }
        Await.until(BOUND, () -> entered.get() == 4, "four workers inside a call");
        resolver.close(BOUND);
        assertThat(resolutions).as("every resolution completed by close, queued ones included")
                .allMatch(CompletableFuture::isDone);
        assertThat(entered.get()).as("calls started").isEqualTo(4);
    }

    @Test
    void closeCompletesAResolutionWhoseRetryTheTimerDropped() throws Exception {
        Script failing = new Script();
        CompletableFuture<Void> done = resolver.resolve("acquire of k", failing);
        Await.until(BOUND, () -> failing.calls.get() >= 1, "a failed call");
        timers.shutdownNow();
        resolver.close(BOUND);
        assertThat(done).isCompleted();
    }

    @Test
    void withADrainTimeItKeepsDeletingUntilACallSentThatLongAfterTheFirstAnswerIsAnswered() throws Exception {
        Duration drain = Duration.ofMillis(200);
        OutcomeResolver draining = new OutcomeResolver("drain", timers, drain);
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        List<Long> answeredAt = new CopyOnWriteArrayList<>();
        try {
            draining.resolve("acquire of k", () -> {
                sentAt.add(System.nanoTime());
                answeredAt.add(System.nanoTime());
                return CompletableFuture.completedFuture(GONE);
            }).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            draining.close(BOUND);
        }
        // A backlog the server drains in several passes can still write our token after its first answer:
        // the resolution ends only with an answer to a call sent a drain time after that first answer.
        assertThat(sentAt).as("compare-and-deletes sent").hasSizeGreaterThan(2);
        assertThat(sentAt.get(sentAt.size() - 1) - answeredAt.get(0)).as("last call after the first answer (ns)")
                .isGreaterThanOrEqualTo(drain.toNanos());
    }

    @Test
    void withADrainTimeATokenFoundLateIsStillDeleted() throws Exception {
        OutcomeResolver draining = new OutcomeResolver("drain", timers, Duration.ofMillis(200));
        Script script = new Script(GONE, GONE, DELETED);
        try {
            draining.resolve("acquire of k", script).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            draining.close(BOUND);
        }
        assertThat(script.calls).as("stopped at the call that deleted the late token").hasValue(3);
    }
}
