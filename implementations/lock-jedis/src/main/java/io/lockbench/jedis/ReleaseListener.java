package io.lockbench.jedis;

import io.lockbench.core.ReleaseWaiters;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where a Jedis service hears release messages: one {@link ReleaseSubscriber} (a server, a Sentinel-tracked
 * primary), or one per master of a Redis Cluster ({@link EveryMasterSubscriber}). Public for the
 * implementations built on Jedis (lock-fifo).
 */
public interface ReleaseListener extends ReleaseWaiters.Subscriptions, AutoCloseable {

    /**
     * The listener for {@link JedisClients.Connected#subscribeTo()}.
     *
     * @param nodes one supplier per subscriber connection, asked before each connection
     * @param config connect and socket timeouts for the connections
     * @param onRelease called with the channel and the message of each release, once per release
     * @param onResubscribed called after a lost subscription is back (releases may have been missed)
     * @param commandTimeout the service's command timeout; bounds how long close waits for the threads
     * @return a {@link ReleaseSubscriber} for one supplier, else an {@link EveryMasterSubscriber}
     */
    static ReleaseListener of(List<Supplier<HostAndPort>> nodes, JedisClientConfig config,
                              BiConsumer<String, String> onRelease, Runnable onResubscribed, Duration commandTimeout) {
        if (nodes.size() == 1) {
            return new ReleaseSubscriber(nodes.get(0), config, onRelease, onResubscribed, commandTimeout);
        }
        return new EveryMasterSubscriber(nodes, config, onRelease, onResubscribed, commandTimeout);
    }

    /** Stops the threads and closes the connections; idempotent. */
    @Override
    void close();
}
