package io.lockbench.redlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FanOutTest {

    @Test
    @DisplayName("await returns as soon as the decision holds, without waiting for the slow nodes")
    void decidesOnQuorum() throws InterruptedException {
        List<CompletableFuture<Long>> replies = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        FanOut<Long> fan = FanOut.send(3, replies::get);
        replies.get(2).complete(1L);
        replies.get(0).complete(1L);
        long start = System.nanoTime();
        List<FanOut.Reply<Long>> seen = fan.await(r -> FanOut.count(r, v -> v == 1L) >= 2,
                start + TimeUnit.SECONDS.toNanos(10));
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(FanOut.count(seen, v -> v == 1L)).isEqualTo(2);
        assertThat(seen.get(1).answered()).isFalse();
    }

    @Test
    @DisplayName("await gives up at the deadline; failures are counted apart from replies")
    void deadlineAndFailures() throws InterruptedException {
        List<CompletableFuture<Long>> replies = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        FanOut<Long> fan = FanOut.send(3, replies::get);
        replies.get(0).completeExceptionally(new IllegalStateException("refused"));
        replies.get(1).complete(0L);
        long start = System.nanoTime();
        List<FanOut.Reply<Long>> seen = fan.await(r -> false, start + TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(FanOut.failed(seen)).isEqualTo(1);
        assertThat(FanOut.count(seen, v -> true)).isEqualTo(1);
        assertThat(seen.get(0).replied()).isFalse();
        assertThat(seen.get(2).answered()).isFalse();
    }

    @Test
    @DisplayName("an interrupt does not cut awaitUninterruptibly short, and is restored")
    void uninterruptible() {
        FanOut<Long> fan = FanOut.send(1, i -> new CompletableFuture<>());
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        fan.awaitUninterruptibly(r -> false, start + TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(Thread.interrupted()).isTrue();
    }
}
