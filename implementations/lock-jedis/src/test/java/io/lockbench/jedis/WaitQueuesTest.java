package io.lockbench.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitQueuesTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(10);
    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(50);

    private final WaitQueues queues = new WaitQueues();

    @Test
    void theFirstWaiterIsNotBehindOthersTheSecondIs() {
        try (WaitQueues.Place first = queues.join("a");
             WaitQueues.Place second = queues.join("a");
             WaitQueues.Place elsewhere = queues.join("b")) {
            assertThat(first.behindOthers()).isFalse();
            assertThat(second.behindOthers()).isTrue();
            assertThat(elsewhere.behindOthers()).isFalse();
        }
        try (WaitQueues.Place again = queues.join("a")) {
            assertThat(again.behindOthers()).as("an emptied queue starts afresh").isFalse();
        }
    }

    @Test
    void aReleaseBeforeTheParkIsKept() throws InterruptedException {
        try (WaitQueues.Place place = queues.join("a")) {
            queues.released("a");
            assertThat(place.await(SHORT)).isTrue();
            assertThat(place.await(SHORT)).as("one release, one wake-up").isFalse();
        }
    }

    @Test
    void releasesAreNotHoardedForAQueueWhoseWaitersAreBusy() throws InterruptedException {
        try (WaitQueues.Place place = queues.join("a")) {
            queues.released("a");
            queues.released("a");
            queues.released("a");
            assertThat(place.await(SHORT)).isTrue();
            assertThat(place.await(SHORT)).as("surplus releases collapse into one wake-up").isFalse();
        }
    }

    @Test
    void aReleaseForAChannelNobodyWaitsOnIsDropped() throws InterruptedException {
        queues.released("a");
        try (WaitQueues.Place place = queues.join("a")) {
            assertThat(place.await(SHORT)).isFalse();
        }
    }

    @Test
    void eachReleaseWakesOneWaiter() throws Exception {
        int waiters = 4;
        ExecutorService threads = Executors.newFixedThreadPool(waiters);
        AtomicInteger woken = new AtomicInteger();
        CountDownLatch parked = new CountDownLatch(waiters);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                done.add(threads.submit(() -> {
                    try (WaitQueues.Place place = queues.join("a")) {
                        parked.countDown();
                        if (place.await(LONG)) {
                            woken.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            for (int i = 1; i <= waiters; i++) {
                queues.released("a");
                int expected = i;
                long deadline = System.nanoTime() + LONG;
                while (woken.get() < expected && System.nanoTime() - deadline < 0) {
                    Thread.sleep(5);
                }
                Thread.sleep(50);
                assertThat(woken).as("after %d releases", i).hasValue(i);
            }
            for (Future<?> future : done) {
                future.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void wakeAllWakesEveryWaiter() throws Exception {
        int waiters = 3;
        ExecutorService threads = Executors.newFixedThreadPool(waiters);
        CountDownLatch parked = new CountDownLatch(waiters);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                done.add(threads.submit(() -> {
                    try (WaitQueues.Place place = queues.join("a")) {
                        parked.countDown();
                        return place.await(LONG);
                    }
                }));
            }
            assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
            queues.wakeAll();
            for (Future<Boolean> future : done) {
                assertThat(future.get(10, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anInterruptedWaiterThrows() {
        try (WaitQueues.Place place = queues.join("a")) {
            Thread.currentThread().interrupt();
            try {
                place.await(LONG);
                throw new AssertionError("await returned although interrupted");
            } catch (InterruptedException expected) {
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
        }
    }
}
