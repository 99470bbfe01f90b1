package io.lockbench.spring;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockSettings;
import io.lockbench.core.AbstractLockService;
import io.lockbench.core.Validity;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.springframework.integration.support.locks.DistributedLock;

/**
 * Spring Integration's {@code RedisLockRegistry} as a {@link io.lockbench.api.LockService}: one registry per
 * service (as one per application in Spring), over Spring Data Redis and Lettuce, in either of its two
 * {@link SpringLockType}s. Used as a Spring application uses it: {@code obtain(key)}, then
 * {@code tryLock(wait, ttl)}, {@code renewLock(key, ttl)} and {@code unlock()}.
 *
 * <p>What it declares, and why: {@link Capability#REENTRANT} only. Registry locks belong to a thread (a local
 * {@code ReentrantLock} under the Redis key), so a thread may take a lock it holds again and only that
 * thread may release it: no {@link Capability#ANY_THREAD_RELEASE}. There is no fencing token. The ttl is
 * honoured per acquire (the registry's {@code tryLock(Duration, Duration)}, whole milliseconds; validity is
 * counted from the truncated ttl); the registry's own {@code expireAfter} is never used.
 *
 * <p>Where it breaks the contract (the contract suite shows each, and the module README lists them): the
 * owner token is the registry's client id, one per service rather than one per grant; an acquire whose reply
 * is lost leaves its key held for the whole ttl (nothing resolves it). An interrupted {@code tryAcquire}
 * returns empty with the interrupt flag kept, as the registry's own {@code tryLock()} does. Close ends a
 * blocked acquire by interrupting its thread, the only way out of the registry's wait.
 */
public final class SpringLockService extends AbstractLockService {

    /**
     * Reentrant (a registry lock belongs to the thread that took it: no release from another thread), no
     * fencing token; on a Redis Cluster too (Spring Data Redis's cluster connection factory, a
     * {@code redis-cluster://} node).
     */
    static final Set<Capability> CAPABILITIES = Set.of(Capability.REENTRANT, Capability.CLUSTER);

    /** The longest wait passed to the registry: it adds the wait to the wall clock in milliseconds. */
    private static final Duration MAX_REGISTRY_WAIT = Duration.ofDays(365);

    private final SpringRegistry registry;
    private final CloseInterrupts callers = new CloseInterrupts();
    private final Duration commandTimeout;

    /**
     * @param type the registry's lock type
     * @param settings the server (the first node; a {@code redis-sentinel://} node is followed by Lettuce)
     * @throws IllegalArgumentException when an argument is null, or the settings ask for replica
     *     acknowledgement (the registry sends no {@code WAIT})
     */
    public SpringLockService(SpringLockType type, LockSettings settings) {
        super(requireType(type).implementation(), CAPABILITIES, requireSettings(type, settings)
                .commandTimeout());
        this.commandTimeout = settings.commandTimeout();
        this.registry = new SpringRegistry(type, settings);
    }

    private static SpringLockType requireType(SpringLockType type) {
        if (type == null) {
            throw new IllegalArgumentException("type: must not be null");
        }
        return type;
    }

    private static LockSettings requireSettings(SpringLockType type, LockSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings: must not be null");
        }
        if (settings.replicaAck().isOn()) {
            throw new IllegalArgumentException("replicaAck: " + type.implementation() + " cannot ask for replica "
                    + "acknowledgement (RedisLockRegistry sends no WAIT); got " + settings.replicaAck());
        }
        return settings;
    }

    @Override
    protected Optional<Lease> tryOnce(String key, Duration ttl) {
        try {
            return attempt(key, ttl, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    protected Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        return attempt(key, ttl, maxWait.compareTo(MAX_REGISTRY_WAIT) > 0 ? MAX_REGISTRY_WAIT : maxWait);
    }

    private Optional<Lease> attempt(String key, Duration ttl, Duration wait) throws InterruptedException {
        Duration registryTtl = Duration.ofMillis(ttl.toMillis());
        DistributedLock lock = registry.lock(key);
        long sent = System.nanoTime();
        boolean acquired;
        try (CloseInterrupts.Call call = callers.enter()) {
            try {
                acquired = lock.tryLock(wait, registryTtl);
            } catch (InterruptedException e) {
                throw interrupted(key, call, e);
            } catch (RuntimeException e) {
                if (SpringRegistry.interrupted(e)) {
                    throw interrupted(key, call, e);
                }
                throw registry.failure("acquire of '" + key + "'", e);
            }
        }
        if (!acquired) {
            return Optional.empty();
        }
        Lease lease = new SpringLease(key, registry, lock, Validity.until(sent, registryTtl), maxTtl());
        if (isClosed()) {
            lease.close();
            throw closedWhileWaiting();
        }
        return Optional.of(lease);
    }

    /**
     * @return the InterruptedException to throw, or throws {@link IllegalStateException} when close caused it
     */
    private InterruptedException interrupted(String key, CloseInterrupts.Call call, Exception cause) {
        if (call.interruptedByClose() || isClosed()) {
            IllegalStateException closed = closedWhileWaiting();
            closed.initCause(cause);
            throw closed;
        }
        Thread.interrupted();
        InterruptedException interrupted = new InterruptedException(name() + ": acquire of '" + key + "' interrupted");
        interrupted.initCause(cause);
        return interrupted;
    }

    /** Interrupts the callers blocked in the registry, then destroys the registry and its connections. */
    @Override
    protected void closeClient() {
        callers.interruptAllAndAwait(commandTimeout);
        registry.destroy(commandTimeout);
    }

    @Override
    public String toString() {
        return "SpringLockService[" + name() + ", " + registry.address() + (isClosed() ? ", closed" : "") + "]";
    }
}
