package io.lockbench.redisson;

import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.SentinelAddress;
import java.net.URI;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SubscriptionMode;

/**
 * Builds the Redisson client behind one {@link RedissonLockService} from {@link LockSettings}: a single
 * server, a primary under Sentinel (the first node), or a Redis Cluster ({@code redis-cluster://}), and every
 * Redisson timeout set to the command timeout. The subscription timeout
 * set here bounds Redisson's other subscriptions only: a lock's wait bounds its subscription by the wait's
 * remaining time (one slice of it, see {@link RedissonLockService}).
 */
final class RedissonClients {

    /**
     * No resends: Redisson would otherwise resend a command whose reply timed out (up to 4 times by default),
     * stretching a failure to several command timeouts and running release or extend a second time. The
     * caller's acquire loop is the retry.
     */
    private static final int RETRY_ATTEMPTS = 0;
    /** Event-loop threads: a few sockets per service need no more, and fewer threads are fewer to stop. */
    private static final int NETTY_THREADS = 2;
    /** Redisson's listener executor; lock waiting does not use it. */
    private static final int CALLBACK_THREADS = 2;
    /** Commands in flight at once: one per thread that holds a connection until its reply. */
    private static final int CONNECTION_POOL_SIZE = 16;
    /** Connections opened eagerly, so that an unreachable server fails in the constructor. */
    private static final int MINIMUM_IDLE_CONNECTIONS = 1;
    /**
     * Subscription connections. Redisson subscribes one release channel per waited-on key (waiters on the
     * same key share it) and holds it for the wait; a waiter that finds no free channel slot waits for one
     * until its wait runs out, which the service turns into an empty result, not into progress. So the pool
     * is sized for every key a service may wait on at once: 4 connections x 2,500 channels = 10,000 keys.
     * Redis itself has no per-connection channel limit; the count is Redisson's bookkeeping only.
     */
    private static final int SUBSCRIPTION_POOL_SIZE = 4;
    /** Release channels per subscription connection; Redisson's default of 5 starves many waited keys. */
    private static final int SUBSCRIPTIONS_PER_CONNECTION = 2_500;

    private RedissonClients() {
    }

    /**
     * Redisson always sends {@code WAIT <connected replicas> <slavesSyncTimeout>} after its lock scripts on a
     * primary with connected replicas (its {@code syncedEval}, whatever {@code checkLockSyncedSlaves} says),
     * and its answer is not checked here. With acknowledgement off it is bounded to this, the shortest wait
     * Redis accepts.
     */
    private static final long UNCHECKED_SYNC_TIMEOUT_MILLIS = 1;

    /**
     * Connects to the first node: a single server for {@code redis://}, Redisson's Sentinel support for
     * {@code redis-sentinel://} (it asks the Sentinels for the primary and its replicas, follows their
     * {@code +switch-master} announcements and re-subscribes pub/sub on the new primary), Redisson's cluster
     * mode for {@code redis-cluster://} (it reads the slot map from the seeds and sends each command to the
     * master of its key's slot; a lock's hash {@code X} and its fencing counter {@code redisson_lock_token:{X}}
     * share a slot by Redisson's design). Reads, writes and subscriptions all go to the primary (masters).
     *
     * <p>Redisson's own replica check ({@code checkLockSyncedSlaves}) is always off: it waits only for the
     * replicas the primary reports connected ({@code INFO} {@code connected_slaves}, cached per primary), so
     * with none connected, as on a replica just promoted by Sentinel, it sends no {@code WAIT} and grants
     * unchecked; and it fails only when none of them acknowledged. {@link RedissonLockService} checks
     * acknowledgement itself. With acknowledgement on, Redisson's {@code WAIT} still gets the
     * acknowledgement's timeout: Redisson caches the connected-replica count per primary and drops the cache
     * (costing an {@code INFO} round trip on the next lock script) whenever its {@code WAIT} answers another
     * count, which a 1 ms wait would do on a healthy but not instantaneous replica.
     *
     * @param settings the nodes, the command timeout and the replica acknowledgement
     * @return a connected client; the caller shuts it down
     * @throws LockBackendException naming the server when it cannot be reached within the command timeout
     */
    static RedissonClient connect(LockSettings settings) {
        URI node = settings.cluster().isPresent() ? settings.nodes().get(0) : settings.firstNode();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.commandTimeout().toMillis()));
        Config config = new Config()
                .setNettyThreads(NETTY_THREADS)
                .setThreads(CALLBACK_THREADS)
                .setCheckLockSyncedSlaves(false)
                .setSlavesSyncTimeout(settings.replicaAck().isOn()
                        ? settings.replicaAck().timeoutMillis() : UNCHECKED_SYNC_TIMEOUT_MILLIS);
        if (settings.cluster().isPresent()) {
            ClusterServersConfig cluster = mastersOnly(config.useClusterServers(), timeoutMillis);
            for (URI seed : settings.clusterSeeds()) {
                cluster.addNodeAddress("redis://" + LockSettings.address(seed));
            }
        } else if (SentinelAddress.isSentinel(node)) {
            SentinelAddress sentinels = SentinelAddress.parse(node);
            SentinelServersConfig sentinel = mastersOnly(config.useSentinelServers(), timeoutMillis)
                    .setMasterName(sentinels.masterName());
            for (String address : sentinels.sentinels()) {
                sentinel.addSentinelAddress("redis://" + address);
            }
        } else {
            config.useSingleServer()
                    .setAddress("redis://" + node.getHost() + ":" + node.getPort())
                    .setTimeout(timeoutMillis)
                    .setConnectTimeout(timeoutMillis)
                    .setSubscriptionTimeout(timeoutMillis)
                    .setRetryAttempts(RETRY_ATTEMPTS)
                    .setConnectionMinimumIdleSize(MINIMUM_IDLE_CONNECTIONS)
                    .setConnectionPoolSize(CONNECTION_POOL_SIZE)
                    .setSubscriptionConnectionMinimumIdleSize(MINIMUM_IDLE_CONNECTIONS)
                    .setSubscriptionConnectionPoolSize(SUBSCRIPTION_POOL_SIZE)
                    .setSubscriptionsPerConnection(SUBSCRIPTIONS_PER_CONNECTION);
        }
        try {
            return Redisson.create(config);
        } catch (RuntimeException e) {
            throw new LockBackendException(LockSettings.address(node),
                    "redisson: cannot connect within " + settings.commandTimeout() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads, writes and subscriptions on the primary (masters) only, every timeout the command timeout, no
     * resends, and the pools of this class; a pool per replica is still kept, at its smallest.
     */
    private static <T extends BaseMasterSlaveServersConfig<T>> T mastersOnly(T servers, int timeoutMillis) {
        return servers.setReadMode(ReadMode.MASTER)
                .setSubscriptionMode(SubscriptionMode.MASTER)
                .setTimeout(timeoutMillis)
                .setConnectTimeout(timeoutMillis)
                .setSubscriptionTimeout(timeoutMillis)
                .setRetryAttempts(RETRY_ATTEMPTS)
                .setMasterConnectionMinimumIdleSize(MINIMUM_IDLE_CONNECTIONS)
                .setMasterConnectionPoolSize(CONNECTION_POOL_SIZE)
                .setSlaveConnectionMinimumIdleSize(MINIMUM_IDLE_CONNECTIONS)
                .setSlaveConnectionPoolSize(MINIMUM_IDLE_CONNECTIONS)
                .setSubscriptionConnectionMinimumIdleSize(MINIMUM_IDLE_CONNECTIONS)
                .setSubscriptionConnectionPoolSize(SUBSCRIPTION_POOL_SIZE)
                .setSubscriptionsPerConnection(SUBSCRIPTIONS_PER_CONNECTION);
    }
}
