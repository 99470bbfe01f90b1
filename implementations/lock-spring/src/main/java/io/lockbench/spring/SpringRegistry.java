package io.lockbench.spring;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.Threads;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.integration.support.locks.DistributedLock;

/**
 * One service's {@link RedisLockRegistry} with everything it runs on (the Lettuce connection factory, the
 * executor its unlocks and its pub/sub listener run on), and the calls the adapter makes on it, with Spring's
 * answers turned into the contract's: {@link ReleaseResult}s, {@link LockBackendException}s naming the
 * server.
 */
final class SpringRegistry {

    /**
     * The registry key: Spring stores the lock on {@code key} as {@code lockbench-spring:<key>} and publishes
     * its release on {@code lockbench-spring-channel:lockbench-spring:<key>}.
     */
    static final String REGISTRY_KEY = "lockbench-spring";

    /**
     * @param key the user's key
     * @return the Redis key the registry stores its lock under
     */
    static String lockKey(String key) {
        return REGISTRY_KEY + ":" + key;
    }

    private final String name;
    private final String address;
    private final LettuceConnectionFactory factory;
    private final ExecutorService executor;
    private final RedisLockRegistry registry;
    private final StringRedisTemplate probe;
    private final String clientId;

    SpringRegistry(SpringLockType type, LockSettings settings) {
        this.name = type.implementation();
        this.address = LockSettings.address(settings.nodes().get(0));
        this.factory = SpringConnections.factory(settings);
        this.executor = Executors.newCachedThreadPool(Threads.daemon("lockbench-" + name + "-registry"));
        this.registry = new RedisLockRegistry(factory, REGISTRY_KEY);
        registry.setRedisLockType(type.redisLockType());
        registry.setExecutor(executor);
        this.probe = new StringRedisTemplate(factory);
        this.clientId = clientIdOf(registry);
    }

    /**
     * The value the registry stores in every lock it takes: one random UUID per registry, not per grant.
     *
     * @return the registry's client id
     */
    String ownerToken() {
        return clientId;
    }

    /** @return the server's {@code host:port}, or the cluster's seeds */
    String address() {
        return address;
    }

    /**
     * @param key the user's key
     * @return the registry's lock object for it, cached by the registry
     */
    DistributedLock lock(String key) {
        try {
            return registry.obtain(key);
        } catch (RuntimeException e) {
            throw failure("obtain of '" + key + "'", e);
        }
    }

    /**
     * The registry's owner-checked renewal: PEXPIRE when the key still holds this registry's client id.
     *
     * @param key the user's key
     * @param ttl the new ttl, in whole milliseconds as the registry takes it
     * @return false when the key no longer holds our client id
     */
    boolean renew(String key, Duration ttl) {
        try {
            registry.renewLock(key, ttl);
            return true;
        } catch (IllegalStateException notOurs) {
            return false;
        } catch (RuntimeException e) {
            throw failure("extend of '" + key + "'", e);
        }
    }

    /**
     * The registry's unlock, on the owning thread. The registry answers only "released" or "the key no longer
     * held our client id" ({@link ConcurrentModificationException}); which of {@link ReleaseResult#EXPIRED} and
     * {@link ReleaseResult#NOT_OWNER} that was is asked of the server afterwards ({@code EXISTS}).
     *
     * @param lock the lock the calling thread holds
     * @param key the user's key
     * @return what the release found
     */
    ReleaseResult unlock(DistributedLock lock, String key) {
        try {
            lock.unlock();
            return ReleaseResult.RELEASED;
        } catch (ConcurrentModificationException notOurs) {
            return Boolean.TRUE.equals(exists(key)) ? ReleaseResult.NOT_OWNER : ReleaseResult.EXPIRED;
        } catch (RejectedExecutionException closed) {
            throw new IllegalStateException(name + ": the lock service is closed; the lock on '" + key
                    + "' expires by its ttl", closed);
        } catch (RuntimeException e) {
            throw failure("release of '" + key + "'", e);
        }
    }

    private Boolean exists(String key) {
        try {
            return probe.hasKey(lockKey(key));
        } catch (RuntimeException e) {
            throw failure("release of '" + key + "'", e);
        }
    }

    /**
     * @param what the operation, for the message
     * @param error what Spring threw
     * @return the contract's exception, naming the server
     */
    LockBackendException failure(String what, RuntimeException error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new LockBackendException(address, name + ": " + what + " failed: " + root.getMessage(), error);
    }

    /**
     * @param error what a registry call threw
     * @return whether it ended because the thread was interrupted (the registry wraps the interrupt of its
     *     sleep or its wait in {@code CannotAcquireLockException}; Lettuce's in a command exception)
     */
    static boolean interrupted(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException || cause instanceof RedisCommandInterruptedException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * Destroys the registry (its pub/sub listener container), then stops the executor and closes the
     * connections and Lettuce's threads.
     *
     * @param bound how long to wait for the executor's threads
     */
    void destroy(Duration bound) {
        try {
            registry.destroy();
        } finally {
            executor.shutdownNow();
            try {
                executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            factory.destroy();
        }
    }

    /**
     * The registry keeps its client id private; it is read once, so that {@code Lease.ownerToken()} reports
     * the value actually stored in Redis.
     */
    private static String clientIdOf(RedisLockRegistry registry) {
        try {
            Field field = RedisLockRegistry.class.getDeclaredField("clientId");
            field.setAccessible(true);
            return (String) field.get(registry);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("RedisLockRegistry has no readable 'clientId' field (a version other than "
                    + "the one lockbench was built with?)", e);
        }
    }
}
