package io.lockbench.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lockbench.api.AutoRenewal;
import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.api.RenewalFailure;
import io.lockbench.api.RenewalListener;
import io.lockbench.api.RenewedLease;
import io.lockbench.fixture.NodeProxy;
import io.lockbench.fixture.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link AutoRenewal}, the watchdog, over an implementation's leases on real Redis servers. Each
 * implementation module runs it with a subclass of a few lines:
 *
 * <pre>{@code
 * class JedisAutoRenewalIT extends AutoRenewalContract {
 *     @Override
 *     protected LockService newService(LockSettings settings) {
 *         return new JedisLockService(settings);
 *     }
 * }
 * }</pre>
 *
 * <p>Faults come from the servers themselves (paused with SIGSTOP, slowed by the proxy) and from a renewal
 * scheduler the test blocks, as a paused client would be.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AutoRenewalContract extends RealRedisSuite {

    private static final Logger LOG = LoggerFactory.getLogger(AutoRenewalContract.class);
    private static final Duration TTL = Duration.ofMillis(600);
    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    final void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        closing.clear();
        for (RedisNode node : nodes().nodes()) {
            node.resume();
            node.proxy().reset();
        }
    }

    private LockService service() {
        return service(nodes().settings());
    }

    private LockService service(LockSettings settings) {
        LockService service = newService(settings);
        closing.add(service);
        return service;
    }

    private AutoRenewal renewal() {
        AutoRenewal renewal = AutoRenewal.create();
        closing.add(renewal);
        return renewal;
    }

    @Test
    @DisplayName("a kept lease outlives its ttl many times over, and the key stays held until release")
    void keepsTheLeaseAlive() throws InterruptedException {
        LockService service = service();
        LockService other = service();
        String key = key("alive");
        Listener listener = new Listener();
        RenewedLease lease = renewal().keep(service.tryAcquire(key, TTL).orElseThrow(), TTL, listener);
        TimeUnit.MILLISECONDS.sleep(TTL.toMillis() * 4);
        assertThat(lease.isValid()).as("valid after four ttls").isTrue();
        // Each renewal holds the lock for at most one ttl from when it was sent: valid after four ttls means
        // renewed at least three times, however slowly the machine ran them.
        assertThat(lease.renewals()).as("renewals in four ttls (12 when on time)").isGreaterThanOrEqualTo(3);
        assertThat(other.tryAcquire(key, TTL)).as("another owner while kept").isEmpty();
        assertThat(lease.release()).isEqualTo(ReleaseResult.RELEASED);
        long renewals = lease.renewals();
        assertThat(other.tryAcquire(key, TTL)).as("another owner after release").isPresent();
        TimeUnit.MILLISECONDS.sleep(TTL.toMillis() / 2);
        // A renewal already on the wire when release was called may still be counted; none is sent after.
        assertThat(lease.renewals()).as("renewals after release").isBetween(renewals, renewals + 1);
        assertThat(listener.failures).as("a release is no loss").isEmpty();
    }

    @Test
    @DisplayName("200 leases on one watchdog are renewed by one thread")
    void oneThreadRenewsManyLeases() throws InterruptedException {
        LockService service = service();
        Set<String> before = renewalThreads();
        AutoRenewal renewal = renewal();
        Duration ttl = Duration.ofSeconds(1);
        List<RenewedLease> leases = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            leases.add(renewal.keep(service.tryAcquire(key("many"), ttl).orElseThrow(), ttl, RenewalListener.NONE));
        }
        TimeUnit.MILLISECONDS.sleep(ttl.toMillis() * 2);
        assertThat(leases).as("leases still valid after two ttls").allMatch(RenewedLease::isValid);
        Set<String> started = renewalThreads();
        started.removeAll(before);
        assertThat(started).as("renewal threads of one watchdog").hasSize(1);
        assertThat(renewal.size()).isEqualTo(200);
        leases.forEach(RenewedLease::close);
        assertThat(renewal.size()).as("kept after close of every lease").isZero();
    }

    @Test
    @DisplayName("closing the watchdog stops renewals without releasing: the lock then expires by its ttl")
    void closingTheWatchdogLetsTheLockExpire() {
        LockService service = service();
        LockService other = service();
        String key = key("closed");
        Listener listener = new Listener();
        AutoRenewal renewal = renewal();
        RenewedLease lease = renewal.keep(service.tryAcquire(key, TTL).orElseThrow(), TTL, listener);
        Await.until(Duration.ofSeconds(5), () -> lease.renewals() >= 1, "a renewal");
        renewal.close();
        assertThat(other.tryAcquire(key, TTL)).as("held right after the watchdog closed").isEmpty();
        // A watchdog still renewing would keep the key held for ever; its ttl lets it go.
        Await.until(TTL.multipliedBy(10), () -> other.tryAcquire(key, TTL).isPresent(), "the lock to expire");
        assertThat(lease.isValid()).isFalse();
        assertThat(listener.failures).as("a close is not reported as a loss").isEmpty();
    }

    @Test
    @DisplayName("a lock deleted on the server: the next renewal is refused, the listener is told once")
    void refusedRenewal() throws InterruptedException {
        LockService service = service();
        String key = key("deleted");
        Listener listener = new Listener();
        RenewedLease lease = renewal().keep(service.tryAcquire(key, LONG).orElseThrow(), LONG,
                Duration.ofMillis(100), listener);
        assertThat(deleteLockOf(key)).as("keys of the lock deleted").isPositive();
        Await.until(Duration.ofSeconds(5), () -> !listener.failures.isEmpty(), "the listener");
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(listener.failures).containsExactly(RenewalFailure.REFUSED);
        assertThat(lease.isValid()).isFalse();
        assertThat(lease.failure()).contains(RenewalFailure.REFUSED);
    }

    @Test
    @DisplayName("a renewal whose reply comes after the lease's validity ended loses the lease")
    void lateReplyLosesTheLease() {
        List<NodeProxy> proxies = nodes().nodes().stream().map(RedisNode::proxy).toList();
        LockService service = service(new LockSettings(proxies.stream().map(NodeProxy::uri).toList(),
                Duration.ofSeconds(5)));
        String key = key("late");
        Listener listener = new Listener();
        Lease acquired = service.tryAcquire(key, TTL).orElseThrow();
        RenewedLease lease = renewal().keep(acquired, TTL, listener);
        proxies.forEach(proxy -> proxy.addLatency(TTL.dividedBy(2).plusMillis(100)));
        Await.until(Duration.ofSeconds(10), () -> !listener.failures.isEmpty(), "the listener");
        assertThat(listener.failures).as("LATE, or EXPIRED from a service that stops waiting for the reply at the "
                + "lease's deadline").hasSize(1).containsAnyOf(RenewalFailure.LATE, RenewalFailure.EXPIRED);
        assertThat(lease.isValid()).isFalse();
    }

    @Test
    @DisplayName("a renewing thread paused past the ttl: the lease is lost, nothing is sent, the next owner is untouched")
    void pausedRenewalsLoseTheLease() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                task -> new Thread(task, "paused-renewal"));
        closing.add(scheduler::shutdownNow);
        AutoRenewal renewal = AutoRenewal.create(scheduler);
        closing.add(renewal);
        LockService service = service();
        LockService other = service();
        String key = key("paused");
        Listener listener = new Listener();
        RenewedLease lease = renewal.keep(service.tryAcquire(key, TTL).orElseThrow(), TTL, listener);
        CountDownLatch wake = new CountDownLatch(1);
        scheduler.execute(() -> awaitQuietly(wake));
        Lease next = other.acquire(key, Duration.ofSeconds(10), TTL.multipliedBy(3)).orElseThrow(
                () -> new AssertionError("the lock was not free after the paused holder's ttl"));
        assertThat(lease.isValid()).as("paused holder's lease").isFalse();
        wake.countDown();
        Await.until(Duration.ofSeconds(5), () -> !listener.failures.isEmpty(), "the listener");
        assertThat(listener.failures).containsExactly(RenewalFailure.EXPIRED);
        assertThat(next.isValid()).isTrue();
        assertThat(next.extend(Duration.ofSeconds(10))).as("the next owner's lock, still its own").isTrue();
        assertThat(service.tryAcquire(key, TTL)).as("the next owner's lock, still held").isEmpty();
        lease.close();
        assertThat(service.tryAcquire(key, TTL)).as("the next owner's lock after the stale close").isEmpty();
        next.close();
    }

    /**
     * Whether the implementation gives its lease up as soon as one extend cannot reach its servers (Redlock
     * does: without a quorum's answer it cannot tell whether the lock is still held). Declared by the
     * implementation's suite, so that the outage test is skipped by what the implementation promises, never
     * by what the test observed.
     *
     * @return true when a failed extend loses the lease; false by default
     */
    protected boolean extendFailureLosesTheLease() {
        return false;
    }

    @Test
    @DisplayName("a server outage shorter than the lease's validity is ridden out by retries")
    void shortOutageIsRiddenOut() throws InterruptedException {
        assumeTrue(!extendFailureLosesTheLease(), "the implementation gives its lease up when an extend cannot "
                + "reach its servers; there is no outage to ride out");
        Duration ttl = Duration.ofSeconds(3);
        LockService service = service(nodes().settings().withCommandTimeout(Duration.ofMillis(300)));
        String key = key("outage");
        Listener listener = new Listener();
        Lease acquired = service.tryAcquire(key, ttl).orElseThrow();
        RenewedLease lease = renewal().keep(acquired, ttl, listener);
        Await.until(Duration.ofSeconds(5), () -> lease.renewals() >= 1, "a renewal");
        long renewals = lease.renewals();
        for (RedisNode node : nodes().nodes()) {
            node.pause(Duration.ofMillis(1300));
        }
        TimeUnit.MILLISECONDS.sleep(1300);
        Await.until(Duration.ofSeconds(5), () -> lease.renewals() > renewals || !acquired.isValid(),
                "a renewal after the outage");
        assertThat(lease.isValid()).isTrue();
        assertThat(listener.failures).isEmpty();
    }

    @Test
    @DisplayName("a server outage longer than the lease's validity expires it; the listener is told once")
    void longOutageExpiresTheLease() throws InterruptedException {
        Duration timeout = Duration.ofMillis(300);
        LockService service = service(nodes().settings().withCommandTimeout(timeout));
        String key = key("long-outage");
        Listener listener = new Listener();
        RenewedLease lease = renewal().keep(service.tryAcquire(key, TTL).orElseThrow(), TTL, listener);
        long deadline = lease.validUntilNanos();
        for (RedisNode node : nodes().nodes()) {
            node.pause(TTL.multipliedBy(3));
        }
        Await.until(TTL.multipliedBy(3), () -> !listener.failures.isEmpty(), "the listener");
        long late = listener.toldAtNanos - Math.max(deadline, lease.validUntilNanos());
        LOG.info("long outage: the listener was told {} ms after the lease's deadline", late / 1_000_000);
        assertThat(listener.failures).containsExactly(RenewalFailure.EXPIRED);
        for (RedisNode node : nodes().nodes()) {
            node.resume();
        }
        TimeUnit.MILLISECONDS.sleep(200);
        assertThat(listener.failures).as("told once").hasSize(1);
    }

    /** Deletes the keys whose name holds the lock's key and that expire: the lock, not its fencing counter. */
    private long deleteLockOf(String key) {
        long deleted = 0;
        for (RedisNode node : nodes().nodes()) {
            deleted += node.call(jedis -> {
                long count = 0;
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("*" + key + "*").count(1000));
                    for (String found : page.getResult()) {
                        if (jedis.pttl(found) > 0) {
                            count += jedis.del(found);
                        }
                    }
                    cursor = page.getCursor();
                } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
                return count;
            });
        }
        return deleted;
    }

    private static Set<String> renewalThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("lockbench-renewal-")).collect(Collectors.toSet());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    /** Records what the watchdog told. */
    private static final class Listener implements RenewalListener {
        final List<RenewalFailure> failures = new CopyOnWriteArrayList<>();
        volatile long toldAtNanos;

        @Override
        public void onLost(RenewedLease lease, RenewalFailure failure) {
            toldAtNanos = System.nanoTime();
            failures.add(failure);
        }
    }
}
