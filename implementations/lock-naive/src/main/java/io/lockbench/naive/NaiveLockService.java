package io.lockbench.naive;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What the naive locks share: a Jedis pool, argument checks, and the polling wait loop that production
 * code of this kind usually has (sleep 50 ms, try again). Subclasses supply the anti-pattern itself.
 *
 * <p>These services exist to fail: the safety checker and the contract suite must catch each of them.
 */
abstract class NaiveLockService implements LockService {

    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

    private final String name;
    private final String address;
    private final RedisClient redis;
    private volatile boolean closed;

    NaiveLockService(String name, LockSettings settings) {
        this.name = name;
        URI node = settings.firstNode();
        this.address = LockSettings.address(node);
        int timeoutMillis = (int) settings.commandTimeout().toMillis();
        this.redis = RedisClient.builder()
                .hostAndPort(new HostAndPort(node.getHost(), node.getPort()))
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMillis)
                        .socketTimeoutMillis(timeoutMillis).build())
                .build();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.ANY_THREAD_RELEASE);
    }

    @Override
    public final Optional<Lease> tryAcquire(String key, Duration ttl) {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireOpen(closed, name);
        return attempt(key, ttl);
    }

    @Override
    public final Optional<Lease> acquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        LockArguments.requireKey(key);
        LockArguments.requireTtl(ttl, maxTtl());
        LockArguments.requireWait(maxWait);
        LockArguments.requireOpen(closed, name);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Optional<Lease> lease = attempt(key, ttl);
            long left = deadline - System.nanoTime();
            if (lease.isPresent() || left <= 0) {
                return lease;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(Math.min(POLL_NANOS, left));
        }
    }

    /**
     * One acquire attempt, the anti-pattern's way.
     *
     * @param key validated key
     * @param ttl validated ttl
     * @return the lease or empty
     */
    abstract Optional<Lease> attempt(String key, Duration ttl);

    /**
     * Runs commands, turning client failures into the contract's exception.
     *
     * @param commands what to run
     * @param <T> the result
     * @return the result
     */
    final <T> T call(Function<RedisClient, T> commands) {
        try {
            return commands.apply(redis);
        } catch (JedisException e) {
            throw new LockBackendException(address, name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            redis.close();
        }
    }

    /** A lease whose release and extend are the naive service's commands. */
    abstract class NaiveLease implements Lease {
        private final String key;
        private final String value;
        private volatile long validUntilNanos;
        private volatile boolean released;

        NaiveLease(String key, String value, long sentNanos, Duration ttl) {
            this.key = key;
            this.value = value;
            this.validUntilNanos = sentNanos + ttl.toNanos();
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public String ownerToken() {
            return value;
        }

        @Override
        public long fencingToken() {
            return 0;
        }

        @Override
        public long validUntilNanos() {
            return validUntilNanos;
        }

        @Override
        public boolean isValid() {
            return !released && validUntilNanos - System.nanoTime() > 0;
        }

        @Override
        public boolean extend(Duration ttl) {
            LockArguments.requireTtl(ttl, maxTtl());
            long sent = System.nanoTime();
            boolean extended = extendOnServer(ttl);
            if (extended) {
                validUntilNanos = sent + ttl.toNanos();
            }
            return extended;
        }

        @Override
        public ReleaseResult release() {
            released = true;
            return releaseOnServer();
        }

        @Override
        public void close() {
            if (!released) {
                try {
                    release();
                } catch (LockBackendException ignored) {
                    // The lock expires by its ttl; close never throws.
                }
            }
        }

        abstract boolean extendOnServer(Duration ttl);

        abstract ReleaseResult releaseOnServer();
    }
}
