package io.lockbench.chaos;

import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisSentinel;
import io.lockbench.fixture.RedisSource;
import redis.clients.jedis.exceptions.JedisException;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The Sentinel set-up of the failover cells, shared by a run's cells ({@link ChaosServers#sentinel()}): the
 * implementation connects through the Sentinels ({@code redis-sentinel://...}); faults act on, and the orphan
 * sampler asks, the current primary, which the failover fault moves with each promotion. Closed with the run,
 * not with a cell.
 */
final class SentinelServers extends CellServers {

    private final RedisSentinel sentinel;
    private volatile RedisNode primary;

    private SentinelServers(RedisSentinel sentinel) {
        super(List.of(sentinel.primary()), List.of(URI.create(sentinel.uri())));
        this.sentinel = sentinel;
        this.primary = sentinel.primary();
    }

    static SentinelServers start(RedisSource source) {
        return new SentinelServers(RedisSentinel.start(source));
    }

    RedisSentinel sentinel() {
        return sentinel;
    }

    /** @return the primary the Sentinels promoted last (the first one until a failover) */
    RedisNode primary() {
        return primary;
    }

    /** @return the other server: the primary's replica, once the fault has brought it back */
    RedisNode replica() {
        return primary == sentinel.primary() ? sentinel.replica() : sentinel.primary();
    }

    /**
     * Records a promotion.
     *
     * @param promoted the new primary
     */
    void promoted(RedisNode promoted) {
        primary = promoted;
    }

    @Override
    List<RedisNode> nodes() {
        return List.of(primary);
    }

    /**
     * Leaves the set-up whole for the next cell: both servers resumed, a dead one restarted as the current
     * primary's replica, and every Sentinel agreeing.
     */
    @Override
    void heal() {
        sentinel.primary().resume();
        sentinel.replica().resume();
        primary = sentinel.currentPrimary();
        RedisNode replica = replica();
        try {
            replica.call(jedis -> jedis.ping());
        } catch (JedisException e) {
            replica.restart();
            replica.call(jedis -> jedis.replicaof(primary.host(), primary.port()));
        }
        sentinel.awaitReady(Duration.ofSeconds(30));
    }

    /** Deletes the cell's keys on the current primary, which replicates the deletion. */
    @Override
    void deleteKeys(String prefix) {
        primary.call(jedis -> {
            for (String key : jedis.keys(prefix + "*")) {
                jedis.del(key);
            }
            return null;
        });
    }

    /** The set-up outlives the cell: {@link ChaosServers} closes it with the run. */
    @Override
    public void close() {
    }
}
