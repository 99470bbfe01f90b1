package io.lockbench.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The watchdog: keeps leases alive with owner-checked {@link Lease#extend} calls, every third of their ttl
 * by default, all on one shared scheduler (no thread per lease). Written once over the {@link Lease}
 * contract, so it works with every {@link LockService}; the Redisson adapter also uses this one, taking its
 * locks with an explicit lease time so that Redisson's own watchdog never runs.
 *
 * <pre>{@code
 * try (AutoRenewal renewal = AutoRenewal.create()) {
 *     Lease acquired = service.acquire("payout:42", ttl, maxWait).orElseThrow();
 *     try (RenewedLease lease = renewal.keep(acquired, ttl, (l, why) -> log.warn("lost: {}", why))) {
 *         for (Payment p : batch) {
 *             if (!lease.isValid()) break;                 // cheap, local: check before every side effect
 *             ledger.pay(p, lease.fencingToken());          // the ledger rejects stale tokens
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>A lease is given up as lost ({@link RenewedLease#isValid()} false, the {@link RenewalListener} told
 * once) at the first renewal the server refuses, at the first renewal whose reply comes after the lease's
 * validity ended, or when its validity ends with no renewal confirmed. A {@link LockBackendException} during
 * a renewal is retried at the next tick while the lease is still valid. Renewals stop when the lease is
 * released or closed, and when this watchdog is closed.
 *
 * <p>What it does not guarantee: that the holder stops in time. A holder paused by the garbage collector,
 * the operating system or a slow call may act after its lease was lost, between its last
 * {@link Lease#isValid()} check and its side effect. Only the protected resource can refuse such a write: pass
 * {@link Lease#fencingToken()} with every write and have the resource reject tokens lower than the highest it
 * has seen. Nor does it make renewals reliable on a shared thread: {@link Lease#extend} blocks for up to the
 * service's command timeout, and the scheduler's thread renews one lease at a time, so a server that hangs
 * delays the other leases' renewals (an {@link AsyncLease} is renewed without blocking the thread; pass a
 * scheduler with more threads through {@link #create(ScheduledExecutorService)} for many sync leases on
 * several servers). While a renewal hangs, {@link RenewedLease#isValid()} still turns false at the deadline;
 * the listener is told when the renewal returns or times out.
 *
 * <p>Thread-safe.
 */
public final class AutoRenewal implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final Thread ownThread;
    private final Map<Lease, AutoRenewalLease> kept = new IdentityHashMap<>();
    private volatile boolean closed;

    private AutoRenewal(ScheduledExecutorService scheduler, LongSupplier nanoTime, Thread ownThread) {
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.ownThread = ownThread;
    }

    /**
     * A watchdog with its own scheduler: one daemon thread named {@code lockbench-renewal-N}, stopped by
     * {@link #close()}. Create one per lock service (or per application), not per lease.
     *
     * @return a new watchdog
     */
    public static AutoRenewal create() {
        String name = "lockbench-renewal-" + INSTANCES.incrementAndGet();
        Thread[] thread = new Thread[1];
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            thread[0] = t;
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.prestartCoreThread();
        return new AutoRenewal(scheduler, System::nanoTime, thread[0]);
    }

    /**
     * A watchdog on the caller's scheduler, which {@link #close()} leaves running.
     *
     * @param scheduler runs the renewals; it should not run long blocking work of its own
     * @return a new watchdog
     * @throws IllegalArgumentException when {@code scheduler} is null
     */
    public static AutoRenewal create(ScheduledExecutorService scheduler) {
        return create(scheduler, System::nanoTime);
    }

    /**
     * A watchdog on the caller's scheduler and clock: for tests that drive time themselves, with a scheduler
     * that runs due tasks as the test advances the clock. The clock must be the one the leases' own
     * {@link Lease#validUntilNanos()} and {@link Lease#isValid()} use.
     *
     * @param scheduler runs the renewals
     * @param nanoTime the clock, read as {@link System#nanoTime()} is
     * @return a new watchdog
     */
    static AutoRenewal create(ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        if (scheduler == null) {
            throw new IllegalArgumentException("scheduler: must not be null");
        }
        return new AutoRenewal(scheduler, nanoTime, null);
    }

    /** @return now, on this watchdog's clock */
    long nanoTime() {
        return nanoTime.getAsLong();
    }

    /**
     * Renews {@code lease} every {@code ttl / 3}, each time resetting its ttl to {@code ttl}.
     *
     * @param lease a lease just acquired, not kept by this watchdog already
     * @param ttl the ttl each renewal asks for, usually the one it was acquired with
     * @param onLost told once when the lease is given up as lost; {@link RenewalListener#NONE} for none
     * @return the lease, decorated; use it instead of {@code lease} from now on
     * @throws IllegalArgumentException for a null argument, a ttl under 1 ms, or a lease already kept here
     * @throws IllegalStateException after {@link #close()}
     */
    public RenewedLease keep(Lease lease, Duration ttl, RenewalListener onLost) {
        requireTtl(ttl);
        return keep(lease, ttl, ttl.dividedBy(3), onLost);
    }

    /**
     * Renews {@code lease} every {@code renewEvery}, each time resetting its ttl to {@code ttl}. The first
     * renewal comes {@code renewEvery} from now, or at the lease's deadline if that is sooner (a lease already
     * invalid is given up at once). A shorter interval leaves more retries before the lease runs out when the
     * server is slow or unreachable; it costs one round trip per lease per interval.
     *
     * @param lease a lease just acquired, not kept by this watchdog already
     * @param ttl the ttl each renewal asks for
     * @param renewEvery positive and shorter than {@code ttl}
     * @param onLost told once when the lease is given up as lost; {@link RenewalListener#NONE} for none
     * @return the lease, decorated; use it instead of {@code lease} from now on
     * @throws IllegalArgumentException for a null argument, a ttl under 1 ms, an interval out of range, or a
     *     lease already kept here
     * @throws IllegalStateException after {@link #close()}
     */
    public RenewedLease keep(Lease lease, Duration ttl, Duration renewEvery, RenewalListener onLost) {
        if (lease == null) {
            throw new IllegalArgumentException("lease: must not be null");
        }
        requireTtl(ttl);
        if (renewEvery == null || renewEvery.isNegative() || renewEvery.isZero() || renewEvery.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("renewEvery: must be positive and shorter than the ttl " + ttl
                    + ", got " + renewEvery);
        }
        if (onLost == null) {
            throw new IllegalArgumentException("onLost: must not be null (use RenewalListener.NONE)");
        }
        AutoRenewalLease renewed = new AutoRenewalLease(this, lease, ttl, renewEvery.toNanos(), onLost);
        synchronized (kept) {
            requireOpen();
            if (kept.containsKey(lease)) {
                throw new IllegalArgumentException("lease: the lease on '" + lease.key()
                        + "' is already kept by this AutoRenewal");
            }
            kept.put(lease, renewed);
        }
        renewed.start();
        return renewed;
    }

    /**
     * How many leases this watchdog renews now.
     *
     * @return leases kept and not yet released, closed or lost
     */
    public int size() {
        synchronized (kept) {
            return kept.size();
        }
    }

    /**
     * Stops every renewal. The leases are not released: each stays valid until its current deadline, then
     * expires on the server. Their listeners are not told. Stops the scheduler when {@link #create()} made it.
     * Idempotent.
     */
    @Override
    public void close() {
        List<AutoRenewalLease> stopping;
        synchronized (kept) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = new ArrayList<>(kept.values());
        }
        stopping.forEach(AutoRenewalLease::stop);
        if (ownThread != null) {
            scheduler.shutdownNow();
            awaitOwnThread();
        }
    }

    /**
     * Schedules a lease's next step.
     *
     * @param step what to run
     * @param delayNanos when
     * @return the scheduled step, or null when this watchdog was closed
     */
    ScheduledFuture<?> schedule(Runnable step, long delayNanos) {
        if (closed) {
            return null;
        }
        try {
            return scheduler.schedule(step, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (closed) {
                return null;
            }
            throw new IllegalStateException("AutoRenewal: the scheduler refused a renewal", e);
        }
    }

    /**
     * Forgets a lease that no longer needs renewing.
     *
     * @param lease the decorator
     */
    void forget(AutoRenewalLease lease) {
        synchronized (kept) {
            kept.remove(lease.wrapped(), lease);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("AutoRenewal: closed");
        }
    }

    private void awaitOwnThread() {
        if (Thread.currentThread() == ownThread) {
            return;
        }
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void requireTtl(Duration ttl) {
        if (ttl == null || ttl.compareTo(Duration.ofMillis(1)) < 0 || ttl.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("ttl: must be between 1 ms and " + Duration.ofNanos(Long.MAX_VALUE)
                    + ", got " + ttl);
        }
    }
}
