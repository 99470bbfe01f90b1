package io.lockbench.naive;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockArguments;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.AbstractLockService;
import io.lockbench.core.Deadline;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What the naive locks share: a Jedis pool, the service skeleton every implementation uses (argument, closed
 * and interrupt checks, close), and the polling wait loop that production code of this kind usually has
 * (sleep 50 ms, try again). Subclasses supply the anti-pattern itself.
 *
 * <p>These services exist to fail: the safety checker and the contract suite must catch each of them.
 * They ignore {@link LockSettings#replicaAck()} (a naive lock does not ask whether its write survives a
 * failover) and refuse {@code redis-sentinel://} nodes.
 */
abstract class NaiveLockService extends AbstractLockService {

    /** What every naive service declares: release from any thread, and nothing it would break. */
    static final Set<Capability> CAPABILITIES = Set.of(Capability.ANY_THREAD_RELEASE);

    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

    private final String address;
    private final RedisClient redis;

    NaiveLockService(String name, LockSettings settings) {
        super(name, CAPABILITIES, settings.commandTimeout());
        settings.requireNoSentinel(name, "the naive locks talk to one redis://host:port server");
        URI node = settings.firstNode();
        this.address = LockSettings.address(node);
        int timeoutMillis = (int) settings.commandTimeout().toMillis();
        this.redis = RedisClient.builder()
                .hostAndPort(new HostAndPort(node.getHost(), node.getPort()))
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMillis)
                        .socketTimeoutMillis(timeoutMillis).clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build())
                .build();
    }

    @Override
    protected final Optional<Lease> tryOnce(String key, Duration ttl) {
        return attempt(key, ttl);
    }

    @Override
    protected final Optional<Lease> waitFor(String key, Duration ttl, Duration maxWait) throws InterruptedException {
        Deadline deadline = Deadline.after(maxWait);
        while (true) {
            requireOpen();
            Optional<Lease> lease = attempt(key, ttl);
            if (lease.isPresent() || deadline.expired()) {
                return lease;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(POLL_NANOS, deadline.remainingNanos()));
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
            throw new LockBackendException(address, name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected final void closeClient() {
        redis.close();
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
