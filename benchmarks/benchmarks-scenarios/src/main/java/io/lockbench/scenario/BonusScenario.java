package io.lockbench.scenario;

import io.lockbench.api.AutoRenewal;
import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.RenewalListener;
import io.lockbench.api.RenewedLease;
import io.lockbench.fixture.FreezableLockService;
import io.lockbench.fixture.NodeProxy;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;

/**
 * Story 1, "bonus paid twice": two workers pay a bonus per task under a per-task lock ({@code SET key 1 EX 3 NX}
 * in the story). Worker A stalls past the ttl inside the critical section, twice: first its {@code GETBIT} is
 * slow (latency injected on its Redis connection; its process keeps running), then its whole client freezes
 * between the check and the payment (lock calls held back, as in a process stopped by the OS or a long GC
 * pause). Each time worker B is waiting for the same task.
 *
 * <p>The naive setup (no watchdog, a ledger that takes every payment) pays both tasks twice: B takes the
 * expired lock and pays, and A wakes and pays again. The correct setup shows both parts of the fix: the watchdog
 * ({@link AutoRenewal}) keeps A's lease through the slow call, so B waits and finds the task paid; it cannot
 * renew a frozen process, so B pays after the freeze, and the ledger refuses A's late payment because its
 * fencing token is lower than B's. A setup counts as correct when its service declares {@link Capability#FENCING}.
 * The other tasks are paid normally, both workers going through all of them.
 */
public final class BonusScenario implements Scenario {

    /**
     * How long things take.
     *
     * @param ttl the per-task lock's ttl (3 s in the story)
     * @param tasks how many tasks; at least 3 (two stalled, the rest paid normally)
     */
    public record Timing(Duration ttl, int tasks) {

        /** @throws IllegalArgumentException for fewer than 3 tasks */
        public Timing {
            if (tasks < 3) {
                throw new IllegalArgumentException("tasks: at least 3, got " + tasks);
            }
        }

        /** @return the story's 3 s ttl, six tasks */
        public static Timing story() {
            return new Timing(Duration.ofSeconds(3), 6);
        }
    }

    static final String ID = "bonus";
    private static final int SLOW_TASK = 0;
    private static final int FROZEN_TASK = 1;

    private final Timing timing;

    /**
     * @param timing the ttl and the number of tasks
     */
    public BonusScenario(Timing timing) {
        this.timing = timing;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "bonus paid twice: the holder stalls past the " + Durations.label(timing.ttl())
                + " ttl in the critical section (slow GETBIT, then frozen client)";
    }

    @Override
    public List<String> defaultImplementations() {
        return List.of("naive-setnx", "jedis", "lettuce", "redisson");
    }

    @Override
    public List<ScenarioResult> run(List<String> implementations, ScenarioEnvironment environment)
            throws InterruptedException {
        List<SideBySide.Run<ScenarioResult>> runs = new ArrayList<>();
        for (String impl : implementations) {
            runs.add(() -> List.of(runOne(impl, environment)));
        }
        return SideBySide.run(runs);
    }

    private ScenarioResult runOne(String impl, ScenarioEnvironment environment) throws Exception {
        Duration ttl = timing.ttl();
        Duration linkTimeout = ttl.multipliedBy(4).plusSeconds(2);
        try (RedisNodes redis = environment.startRedis();
             FreezableLockService stalling = new FreezableLockService(
                     LockServices.create(impl, redis.settings()));
             LockService other = LockServices.create(impl, redis.settings());
             AutoRenewal watchdog = AutoRenewal.create();
             Jedis stallingLink = DataLink.open(redis.node(0).proxy().uri(), linkTimeout);
             Jedis otherLink = DataLink.open(redis.node(0).uri(), linkTimeout)) {
            boolean correct = stalling.capabilities().contains(Capability.FENCING);
            Payroll payroll = new Payroll(redis.keyPrefix(), timing.tasks(), correct);
            Worker a = new Worker("A", stalling, stallingLink, correct ? watchdog : null, payroll,
                    redis.keyPrefix());
            Worker b = new Worker("B", other, otherLink, correct ? watchdog : null, payroll, redis.keyPrefix());
            try {
                environment.progress(ID, impl, "A's GETBIT takes " + Durations.label(ttl.multipliedBy(3)
                        .dividedBy(2)) + " on task " + SLOW_TASK + " while B waits for its lock");
                slowCheck(a, b, redis.node(0).proxy());
                environment.progress(ID, impl, "A's client frozen between check and payment on task "
                        + FROZEN_TASK + " while B waits for its lock");
                frozenHolder(a, b, stalling);
                Future<?> restA = a.submit(() -> payRest(a));
                Future<?> restB = b.submit(() -> payRest(b));
                finish(restA);
                finish(restB);
            } finally {
                a.close();
                b.close();
            }
            return result(impl, correct, payroll, a.renewals.get() + b.renewals.get());
        }
    }

    /** A's check is a slow call: its round trip takes 1.5 ttl, its process (and watchdog) running meanwhile. */
    private void slowCheck(Worker a, Worker b, NodeProxy aLink) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        Future<?> holder = a.submit(() -> a.pay(SLOW_TASK, held, new Stall() {
            @Override
            public void beforeCheck() {
                aLink.addLatency(timing.ttl().multipliedBy(3).dividedBy(4));
            }

            @Override
            public void afterCheck() {
                aLink.addLatency(Duration.ZERO);
            }
        }));
        awaitHeld(held, holder);
        Future<?> waiter = b.submit(() -> b.pay(SLOW_TASK, new CountDownLatch(1), Stall.NONE));
        finish(holder);
        finish(waiter);
    }

    /** A's client freezes after the check, before the payment; thawed once B has had its turn. */
    private void frozenHolder(Worker a, Worker b, FreezableLockService aClient) throws Exception {
        CountDownLatch frozen = new CountDownLatch(1);
        Future<?> holder = a.submit(() -> a.pay(FROZEN_TASK, new CountDownLatch(1), new Stall() {
            @Override
            public void afterCheck() {
                aClient.freeze();
                frozen.countDown();
                aClient.awaitThawed();
            }
        }));
        awaitHeld(frozen, holder);
        Future<?> waiter = b.submit(() -> b.pay(FROZEN_TASK, new CountDownLatch(1), Stall.NONE));
        try {
            waiter.get(timing.ttl().multipliedBy(6).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            waiter.cancel(true);
        } catch (ExecutionException e) {
            // Reported below, once A is thawed and done.
        } finally {
            aClient.thaw();
        }
        finish(holder);
        if (!waiter.isCancelled()) {
            finish(waiter);
        }
    }

    private Void payRest(Worker worker) throws InterruptedException {
        for (int task = FROZEN_TASK + 1; task < timing.tasks(); task++) {
            worker.pay(task, new CountDownLatch(1), Stall.NONE);
        }
        return null;
    }

    private void awaitHeld(CountDownLatch held, Future<?> holder) throws Exception {
        long limit = timing.ttl().multipliedBy(4).toNanos();
        long start = System.nanoTime();
        while (!held.await(10, TimeUnit.MILLISECONDS)) {
            if (holder.isDone()) {
                finish(holder);
                throw new IllegalStateException("worker A never held the lock");
            }
            if (System.nanoTime() - start > limit) {
                throw new IllegalStateException("worker A did not get the lock within " + Duration.ofNanos(limit));
            }
        }
    }

    private static void finish(Future<?> future) throws Exception {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private ScenarioResult result(String impl, boolean correct, Payroll payroll, long renewals) {
        long paidTwice = payroll.paidTwice();
        List<Outcome> outcomes = List.of(
                new Outcome(ID, impl, "tasks", payroll.tasks(), "count"),
                new Outcome(ID, impl, "tasks_paid", payroll.tasksPaid(), "count"),
                new Outcome(ID, impl, "paid_twice", paidTwice, "count"),
                new Outcome(ID, impl, "stale_refused", payroll.refused(), "count"),
                new Outcome(ID, impl, "renewals", renewals, "count"));
        String headline = paidTwice > 0
                ? paidTwice + " of " + payroll.tasks() + " tasks paid twice"
                : payroll.tasksPaid() + " of " + payroll.tasks() + " tasks paid once: watchdog renewed " + renewals
                        + "x, ledger refused " + payroll.refused() + " stale payment(s)";
        return new ScenarioResult(ID, impl, "", !correct, paidTwice > 0, outcomes, headline);
    }

    /** Where a stall lands in the critical section. */
    private interface Stall {
        Stall NONE = new Stall() {
        };

        default void beforeCheck() {
        }

        default void afterCheck() {
        }
    }

    /** One worker: its own lock client, Redis connection and thread. */
    private final class Worker implements AutoCloseable {
        private final String name;
        private final LockService locks;
        private final Jedis link;
        private final AutoRenewal watchdog;
        private final Payroll payroll;
        private final String keyPrefix;
        private final ExecutorService thread;
        final AtomicLong renewals = new AtomicLong();

        Worker(String name, LockService locks, Jedis link, AutoRenewal watchdog, Payroll payroll, String keyPrefix) {
            this.name = name;
            this.locks = locks;
            this.link = link;
            this.watchdog = watchdog;
            this.payroll = payroll;
            this.keyPrefix = keyPrefix;
            this.thread = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "lockbench-bonus-worker-" + name);
                t.setDaemon(true);
                return t;
            });
        }

        Future<?> submit(Callable<?> work) {
            return thread.submit(work);
        }

        /** The story's critical section: lock the task, check it is unpaid, pay, release. */
        Void pay(int task, CountDownLatch held, Stall stall) throws InterruptedException {
            Duration ttl = timing.ttl();
            Optional<Lease> acquired = locks.acquire(keyPrefix + "bonus:task:" + task, ttl, ttl.multipliedBy(4));
            if (acquired.isEmpty()) {
                return null;
            }
            Lease lease = watchdog == null ? acquired.get() : watchdog.keep(acquired.get(), ttl, RenewalListener.NONE);
            held.countDown();
            try {
                if (!lease.isValid()) {
                    return null;
                }
                stall.beforeCheck();
                boolean paid = payroll.paid(link, task);
                stall.afterCheck();
                if (!paid) {
                    payroll.pay(link, task, lease.fencingToken(), name);
                }
            } finally {
                if (lease instanceof RenewedLease renewed) {
                    renewals.addAndGet(renewed.renewals());
                }
                lease.close();
            }
            return null;
        }

        /** Stops the worker's thread and waits for it, so its connection is idle when it is closed. */
        @Override
        public void close() throws InterruptedException {
            thread.shutdownNow();
            thread.awaitTermination(timing.ttl().multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
