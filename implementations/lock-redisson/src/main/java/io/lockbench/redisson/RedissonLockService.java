package io.lockbench.redisson;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReplicaAck;
import io.lockbench.api.ReplicationNotAcknowledgedException;
import io.lockbench.core.AbstractLockService;
import io.lockbench.core.Backoff;
import io.lockbench.core.Deadline;
import io.lockbench.core.ReplicaAcks;
import io.lockbench.core.Validity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.RedissonFencedLock;
import org.redisson.api.RFencedLock;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LockService} contract over Redisson's {@link RFencedLock}: Redisson's acquire script, its
 * fencing counter and its pub/sub wait loop, on one Redis server, a primary under Sentinel (the settings'
 * first node) or a Redis Cluster (a {@code redis-cluster://} node, without replica acknowledgement), see
 * {@link RedissonClients}.
 *
 * <p><b>Replica acknowledgement</b> is this service's own {@code WAIT}, not Redisson's
 * {@code checkLockSyncedSlaves}: Redisson waits only for the replicas the primary reports connected, so on a
 * primary with none (a replica Sentinel has just promoted, before the old primary is back as its replica) it
 * sends no {@code WAIT} and grants unchecked, a grant the next failover can lose and give again; and it fails
 * only when none of the connected replicas acknowledged. Here, after Redisson's acquire script granted, one
 * Redisson batch runs the compare-and-PEXPIRE of {@link HoldScripts} (a write after the grant, re-arming its
 * ttl) and {@code WAIT replicas timeout} on one connection; the grant stands only when the extend found it
 * still held and at least {@code replicas} replicas acknowledged. Otherwise it is given back by its thread id
 * and the acquire fails with {@link ReplicationNotAcknowledgedException}. That costs one round trip more
 * than an acquire without acknowledgement (two, plus the replication wait); the re-arm after a long wait is
 * then never needed, validity counting from that batch. Redisson's own {@code WAIT} behind its script still
 * runs, unjudged, so an acquire on a lagging replica is refused after up to twice the timeout.
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
 * {@code redisson_lock__channel:{key}}), so this service and Redisson applications exclude each other. A
 * key under one of Redisson's own prefixes, {@code redisson_lock_token:} (another lock's fencing counter) or
 * {@code redisson_unlock_latch:}, is refused with {@link IllegalArgumentException}: a lock of that name
 * would share its key with Redisson's data of another lock.
 *
 * <p><b>No watchdog.</b> Every acquire passes the ttl as Redisson's lease time; Redisson schedules its
 * renewal only for a lease time of -1, which is never sent. A lease is renewed only by {@link Lease#extend}.
 *
 * <p><b>Waiting in slices.</b> Redisson's wait sleeps until a release message arrives or the holder's ttl
 * runs out. A message lost with a pub/sub connection (killed, reconnecting) would cost the whole wait, so
 * Redisson is asked to wait one slice at a time (125 to 250 ms, jittered) and re-attempts between slices:
 * a lost message costs at most one slice. Redisson bounds its subscription by the slice's wait; a
 * subscription that could not be made within it ends that slice, and a wait that runs out is an empty
 * result, never a backend error.
 *
 * <p><b>Validity</b> counts from the moment the slice that got the lock was sent. When that was longer ago
 * than the drift allowance, that start undersells the lease, so the ttl is re-armed with one
 * compare-and-PEXPIRE and validity counts from that request instead (one extra round trip, only after such a
 * wait).
 *
 * <p><b>Failures.</b> An acquire whose reply is lost, that is interrupted, or that close ends, may leave a
 * hold behind; it is handed to the service's {@link io.lockbench.core.OutcomeResolver}, which releases it
 * by its thread id. So is a release whose reply is lost.
 */
public final class RedissonLockService extends AbstractLockService {

    /** The registered name. */
    public static final String NAME = "redisson";

    /**
     * Key prefixes under which Redisson keeps data of its own, derived from a lock's name {@code X}: the
     * fencing counter {@code redisson_lock_token:{X}} and the unlock latch
     * {@code redisson_unlock_latch:{X}:<request id>}. A lock named like one of them would share that key, as
     * a hash, with another lock's counter or latch (WRONGTYPE on one side or the other), so such keys are
     * refused. The release channel {@code redisson_lock__channel:{X}} is not a key and collides with nothing.
     */
    static final List<String> REDISSON_KEY_PREFIXES = List.of("redisson_lock_token:", "redisson_unlock_latch:");

    private static final Logger LOG = LoggerFactory.getLogger(RedissonLockService.class);
    /** What every Redisson service declares: fencing tokens (RFencedLock), release from any thread, Cluster. */
    public static final Set<Capability> CAPABILITIES =
            Set.of(Capability.FENCING, Capability.ANY_THREAD_RELEASE, Capability.CLUSTER);
    /** One slice of Redisson's wait: 125 to 250 ms, what a lost release message may cost at most. */
    private static final Backoff SLICE = new Backoff(TimeUnit.MILLISECONDS.toNanos(250), TimeUnit.MILLISECONDS.toNanos(250));
    /** Bound on Redisson's shutdown, so that close() returns with its threads gone or going. */
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 2;

    private final RedissonClient client;
    private final HoldScripts scripts;
    private final String address;
    private final ReplicaAck replicaAck;
    private final long replyLimitNanos;
    /**
     * Synthetic thread ids, counted up from 2^62: far above any real thread's id, so that no Redisson call
     * that defaults to the calling thread can ever match a lease's hold field.
     */
    private final AtomicLong threadIds = new AtomicLong(1L << 62);

    /**
     * Connects to the first node of {@code settings}.
     *
     * @param settings the server and the command timeout (also used as connect and subscription timeout)
     * @throws IllegalArgumentException when {@code settings} is null, or asks for replica acknowledgement on a cluster
     * @throws LockBackendException naming host:port when the server cannot be reached
     */
    public RedissonLockService(LockSettings settings) {
        super(NAME, CAPABILITIES, requireSettings(settings).commandTimeout());
        this.address = LockSettings.address(settings.nodes().get(0));
        this.replicaAck = settings.replicaAck();
        this.replyLimitNanos = settings.commandTimeout().toNanos() * 3 + TimeUnit.SECONDS.toNanos(1);
        this.client = RedissonClients.connect(settings);
        this.scripts = new HoldScripts(client);
    }

    private static LockSettings requireSettings(LockSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        if (settings.cluster().isPresent()) {
            ReplicaAcks.requireOff(settings, NAME + " cluster", "WAIT would not reach the node that wrote the lock");
        }
        return settings;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One run of Redisson's acquire script; not interruptible (it is bounded by the command timeout), an
     * interrupt is kept for the caller.
     */
    @Override
    protected Optional<Lease> tryOnce(String key, Duration ttl) {
        try {
            return take(key, ttl, Duration.ZERO, false);
        } catch (InterruptedException impossible) {
            throw new IllegalStateException("an uninterruptible acquire was interrupted", impossible);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Redisson's wait loop, in slices: one attempt, then a subscription to the lock's release channel,
     * woken by the holder's release or after the holder's remaining ttl or the slice, whichever comes first.
     */
    @Override
    protected Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        return take(key, ttl, maxWait, true);
    }

    private Optional<Lease> take(String key, Duration ttl, Duration maxWait, boolean interruptible)
            throws InterruptedException {
        requireNotRedissonData(key);
        long waitNanos = Deadline.saturatedNanos(maxWait);
        Wait wait = new Wait(key, ttl, waitNanos);
        long limitNanos = saturatedAdd(waitNanos, replyLimitNanos);
        wait.nextSlice();
        Long token;
        try {
            token = interruptible
                    ? wait.token.get(limitNanos, TimeUnit.NANOSECONDS)
                    : Replies.getUninterruptibly(wait.token, limitNanos);
        } catch (InterruptedException e) {
            wait.abandon(new CancellationException("interrupted"));
            throw e;
        } catch (ExecutionException e) {
            throw wait.failed(e.getCause());
        } catch (TimeoutException e) {
            wait.abandon(e);
            throw new LockBackendException(address, "redisson: acquire of '" + key + "': no reply within "
                    + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms", e);
        }
        if (token == null) {
            return Optional.empty();
        }
        long validUntil = replicaAck.isOn()
                ? acknowledged(key, wait, ttl)
                : validUntil(key, wait.threadId, wait.wonSliceSentNanos, ttl);
        return Optional.of(new RedissonLease(key, wait.threadId, token, validUntil, maxTtl(), scripts, resolver(),
                replyLimitNanos, address));
    }

    /**
     * Checks a grant's replica acknowledgement: extend and {@code WAIT} on one connection (see the class
     * comment).
     *
     * @return the grant's validity, counted from the check (whose extend re-armed the ttl)
     * @throws ReplicationNotAcknowledgedException when the grant was no longer held or too few replicas
     *     acknowledged; the grant was handed to the resolver
     * @throws LockBackendException when the check failed; the grant was handed to the resolver
     */
    private long acknowledged(String key, Wait wait, Duration ttl) {
        long sent = System.nanoTime();
        HoldScripts.Acknowledged reply;
        try {
            reply = Replies.await(scripts.extendAcknowledged(key, wait.threadId, ttl, replicaAck),
                    saturatedAdd(replyLimitNanos, TimeUnit.MILLISECONDS.toNanos(replicaAck.timeoutMillis())), address,
                    "redisson: replica acknowledgement of '" + key + "'");
        } catch (LockBackendException e) {
            wait.resolve();
            throw e;
        }
        // A grant no longer held (lost in a failover, or expired) has no acknowledgement to speak of.
        long acknowledged = reply.code() == 1 ? reply.acknowledged() : 0;
        ReplicationNotAcknowledgedException shortfall = reply.code() == 1
                ? ReplicaAcks.shortfall(replicaAck, acknowledged, key, address)
                : new ReplicationNotAcknowledgedException(address, key, acknowledged, replicaAck);
        if (shortfall != null) {
            wait.resolve();
            throw shortfall;
        }
        return Validity.until(sent, ttl);
    }

    /**
     * @throws IllegalArgumentException when {@code key} names Redisson's own data of another lock
     */
    private static void requireNotRedissonData(String key) {
        for (String prefix : REDISSON_KEY_PREFIXES) {
            if (key.startsWith(prefix)) {
                throw new IllegalArgumentException("key '" + key + "' is refused: Redisson keeps its own data under '"
                        + prefix + "...' (the fencing counter of lock X is redisson_lock_token:{X}, its unlock latch"
                        + " redisson_unlock_latch:{X}:<id>), and a lock of that name would collide with it");
            }
        }
    }

    /**
     * One acquire: Redisson's wait, run one slice at a time under one synthetic thread id, until a slice
     * gets the lock, the wait runs out, a slice fails, or the caller gives up (interrupt, close, no reply).
     * A slice starts only after the previous one completed, so at most one acquire script of ours is in
     * flight.
     */
    private final class Wait {

        private final String key;
        private final Duration ttl;
        private final long threadId = threadIds.incrementAndGet();
        private final long deadlineNanos;
        private final RedissonFencedLock lock;
        /** The fencing token, null when the wait ran out; close completes it with IllegalStateException. */
        private final CompletableFuture<Long> token = endOnClose(new CompletableFuture<>());
        private volatile RFuture<Long> slice;
        private volatile long wonSliceSentNanos;

        private Wait(String key, Duration ttl, long waitNanos) {
            this.key = key;
            this.ttl = ttl;
            this.deadlineNanos = System.nanoTime() + waitNanos;
            this.lock = fencedLock(key);
        }

        private void nextSlice() {
            long remaining = deadlineNanos - System.nanoTime();
            long sliceNanos = remaining <= 0 ? 0 : SLICE.delayNanos(0, -1, remaining);
            long sent = System.nanoTime();
            RFuture<Long> reply;
            try {
                reply = lock.tryLockAndGetTokenAsync(ceilMillis(sliceNanos), ttl.toMillis(), TimeUnit.MILLISECONDS,
                        threadId);
            } catch (RuntimeException e) {
                token.completeExceptionally(e);
                return;
            }
            slice = reply;
            if (token.isDone()) {
                reply.cancel(false);
                return;
            }
            reply.whenComplete((granted, error) -> sliceEnded(sent, granted, error));
        }

        private void sliceEnded(long sentNanos, Long granted, Throwable error) {
            if (error == null && granted != null) {
                wonSliceSentNanos = sentNanos;
                if (!token.complete(granted)) {
                    resolve();
                }
                return;
            }
            if (error != null && !Replies.subscriptionTimedOut(error)) {
                token.completeExceptionally(error);
                return;
            }
            if (token.isDone()) {
                return;
            }
            if (deadlineNanos - System.nanoTime() <= 0) {
                token.complete(null);
                return;
            }
            nextSlice();
        }

        /**
         * Stops the wait (no further slice starts, Redisson's loop ends) and hands a hold the current slice
         * may have written, or may yet write, to the resolver.
         */
        private void abandon(Throwable why) {
            token.completeExceptionally(why);
            RFuture<Long> current = slice;
            if (current != null) {
                current.cancel(false);
            }
            resolve();
        }

        /**
         * @param error why the token future failed: close, or a failed slice
         * @return what the caller throws; an uncertain failure was handed to the resolver
         */
        private RuntimeException failed(Throwable error) {
            if (error instanceof IllegalStateException closed && isClosed()) {
                abandon(closed);
                return closed;
            }
            if (Replies.unanswered(error)) {
                resolve();
            }
            return Replies.failure(address, "redisson: acquire of '" + key + "'", error);
        }

        private void resolve() {
            resolver().resolve("acquire of '" + key + "'", () -> scripts.release(key, threadId));
        }
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

    private static long ceilMillis(long nanos) {
        long millis = nanos / 1_000_000L;
        return nanos % 1_000_000L == 0 ? millis : millis + 1;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Shuts Redisson down: its connections, subscriptions, event loops and timer. */
    @Override
    protected void closeClient() {
        client.shutdown(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedissonLockService[" + address + (isClosed() ? ", closed" : "") + "]";
    }
}
