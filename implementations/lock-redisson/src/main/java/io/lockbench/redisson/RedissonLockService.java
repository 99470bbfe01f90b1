package io.lockbench.redisson;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.core.Deadline;
import io.lockbench.core.Validity;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.RedissonFencedLock;
import org.redisson.api.RFencedLock;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LockService} contract over Redisson's {@link RFencedLock}: Redisson's acquire script, its
 * fencing counter and its pub/sub wait loop, on one Redis server (the settings' first node).
 *
 * <p><b>How Redisson's per-thread ownership is mapped.</b> Redisson records a holder as the hash field
 * {@code "<client id>:<thread id>"} of the lock's hash, and its plain API takes the calling thread's id. Here
 * every acquire draws a fresh synthetic thread id and passes it explicitly
 * ({@code RedissonFencedLock.tryLockAndGetTokenAsync(wait, lease, unit, threadId)}); the lease keeps it and
 * releases or extends by it (see {@link HoldScripts}). Hence:
 * <ul>
 *   <li>{@link Capability#ANY_THREAD_RELEASE}: any thread may extend or release a lease;</li>
 *   <li>no {@link Capability#REENTRANT}: a second acquire, even from the same thread, is another holder
 *       and is refused while the first grant holds the lock;</li>
 *   <li>{@link Capability#FENCING}: the token is the one {@code RFencedLock} increments in the acquire
 *       script, so it is strictly increasing per key across every grant, including grants to plain Redisson
 *       clients that use {@code getFencedLock} on the same name.</li>
 * </ul>
 * The lock's Redis state is Redisson's own (the hash under the key, {@code redisson_lock_token:{key}},
 * {@code redisson_lock__channel:{key}}), so this service and Redisson applications exclude each other.
 *
 * <p><b>No watchdog.</b> Every acquire passes the ttl as Redisson's lease time; Redisson schedules its
 * renewal only for a lease time of -1, which is never sent. A lease is renewed only by {@link Lease#extend}.
 *
 * <p><b>Validity</b> counts from the moment the acquire was sent. When the acquire waited longer than the
 * drift allowance, that start undersells the lease, so the ttl is re-armed with one compare-and-PEXPIRE and
 * validity counts from that request instead (one extra round trip, only after such a wait).
 *
 * <p><b>Failures.</b> An acquire whose reply is lost, that is interrupted, or that gives up, leaves a
 * possible hold behind; a {@link StrayHoldReaper} releases it by its thread id in the background.
 */
public final class RedissonLockService implements LockService {

    /** The registered name. */
    public static final String NAME = "redisson";

    private static final Logger LOG = LoggerFactory.getLogger(RedissonLockService.class);
    private static final Set<Capability> CAPABILITIES =
            Collections.unmodifiableSet(EnumSet.of(Capability.FENCING, Capability.ANY_THREAD_RELEASE));
    /** Bound on Redisson's shutdown, so that close() returns with its threads gone or going. */
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 2;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final RedissonClient client;
    private final HoldScripts scripts;
    private final StrayHoldReaper reaper;
    private final String address;
    private final long replyLimitNanos;
    /**
     * Synthetic thread ids, counted up from 2^62: far above any real thread's id, so that no Redisson call
     * that defaults to the calling thread can ever match a lease's hold field.
     */
    private final AtomicLong threadIds = new AtomicLong(1L << 62);
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Connects to the first node of {@code settings}.
     *
     * @param settings the server and the command timeout (also used as connect and subscription timeout)
     * @throws LockBackendException naming host:port when the server cannot be reached
     */
    public RedissonLockService(LockSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.address = LockSettings.address(settings.firstNode());
        // A safety net over Redisson's own timeouts (a connection wait plus a command wait), never reached
        // while Redisson keeps them.
        this.replyLimitNanos = settings.commandTimeout().toNanos() * 3 + TimeUnit.SECONDS.toNanos(1);
        this.client = RedissonClients.connect(settings);
        this.scripts = new HoldScripts(client);
        this.reaper = new StrayHoldReaper(scripts, settings.commandTimeout(),
                "lockbench-redisson-reaper-" + INSTANCES.incrementAndGet());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One run of Redisson's acquire script; not interruptible (it is bounded by the command timeout), an
     * interrupt is kept for the caller.
     */
    @Override
    public Optional<Lease> tryAcquire(String key, Duration ttl) {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireOpen(closed.get(), NAME);
        try {
            return take(key, ttl, 0, false);
        } catch (InterruptedException impossible) {
            throw new IllegalStateException("an uninterruptible acquire was interrupted", impossible);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Redisson's wait loop: one attempt, then a subscription to the lock's release channel, woken by the
     * holder's release or after the holder's remaining ttl.
     */
    @Override
    public Optional<Lease> acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireWait(maxWait);
        LockArguments.requireOpen(closed.get(), NAME);
        if (Thread.interrupted()) {
            throw new InterruptedException("acquire of '" + key + "' interrupted before it started");
        }
        return take(key, ttl, waitMillis(maxWait), true);
    }

    private Optional<Lease> take(String key, Duration ttl, long waitMillis, boolean interruptible)
            throws InterruptedException {
        RedissonFencedLock lock = fencedLock(key);
        long threadId = threadIds.incrementAndGet();
        long limitNanos = saturatedAdd(TimeUnit.MILLISECONDS.toNanos(waitMillis), replyLimitNanos);
        long sent = System.nanoTime();
        RFuture<Long> reply = lock.tryLockAndGetTokenAsync(waitMillis, ttl.toMillis(), TimeUnit.MILLISECONDS, threadId);
        Long token;
        try {
            token = interruptible
                    ? reply.get(limitNanos, TimeUnit.NANOSECONDS)
                    : Replies.getUninterruptibly(reply, limitNanos);
        } catch (InterruptedException e) {
            abandon(reply, key, threadId, sent, ttl);
            throw e;
        } catch (ExecutionException e) {
            reaper.reap(key, threadId, sent, ttl);
            throw Replies.failure(address, "redisson: acquire of '" + key + "'", e.getCause());
        } catch (TimeoutException e) {
            abandon(reply, key, threadId, sent, ttl);
            throw new LockBackendException(address, "redisson: acquire of '" + key + "': no reply within "
                    + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms", e);
        }
        if (token == null) {
            return Optional.empty();
        }
        return Optional.of(new RedissonLease(key, threadId, token, validUntil(key, threadId, sent, ttl), scripts,
                maxTtl(), replyLimitNanos, address));
    }

    /**
     * Stops Redisson's wait loop and reaps whatever it may have taken: a grant that completed just before
     * the cancel, or an acquire script still in flight.
     */
    private void abandon(RFuture<Long> reply, String key, long threadId, long sentNanos, Duration ttl) {
        reply.cancel(false);
        reaper.reap(key, threadId, sentNanos, ttl);
    }

    private long validUntil(String key, long threadId, long sentNanos, Duration ttl) {
        long fromSend = Validity.until(sentNanos, ttl);
        if (System.nanoTime() - sentNanos <= Validity.driftNanos(ttl)) {
            return fromSend;
        }
        long rearmSent = System.nanoTime();
        try {
            long code = Replies.await(scripts.extend(key, threadId, ttl), replyLimitNanos, address,
                    "redisson: re-arm of '" + key + "'");
            return code == 1 ? Validity.until(rearmSent, ttl) : fromSend;
        } catch (LockBackendException e) {
            LOG.debug("re-arm after a long wait failed; validity of '{}' counts from the acquire's start", key, e);
            return fromSend;
        }
    }

    private RedissonFencedLock fencedLock(String key) {
        RFencedLock lock = client.getFencedLock(key);
        // The explicit-thread-id acquire that returns the token is public on the class, not on the interface.
        if (lock instanceof RedissonFencedLock fenced) {
            return fenced;
        }
        throw new IllegalStateException("redisson: expected " + RedissonFencedLock.class.getName()
                + " from getFencedLock, got " + lock.getClass().getName());
    }

    private static long waitMillis(Duration maxWait) {
        long nanos = Deadline.saturatedNanos(maxWait);
        long millis = nanos / 1_000_000L;
        return nanos % 1_000_000L == 0 ? millis : millis + 1;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Stops the reaper (holds it was still releasing expire by their ttl) and shuts Redisson down: its
     * connections, event loops and timer. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        reaper.close();
        client.shutdown(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedissonLockService[" + address + (closed.get() ? ", closed" : "") + "]";
    }
}
