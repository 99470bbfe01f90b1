package io.lockbench.chaos;

import io.lockbench.fixture.RedisSentinel;
import io.lockbench.fixture.RedisSource;

import java.net.URI;
import java.util.List;

/**
 * A Sentinel set-up of one failover cell: the implementation connects through the Sentinels
 * ({@code redis-sentinel://...}), the orphan sampler asks the first primary. Closed with the cell.
 */
final class SentinelServers extends CellServers {

    private final RedisSentinel sentinel;

    private SentinelServers(RedisSentinel sentinel) {
        super(List.of(sentinel.primary()), List.of(URI.create(sentinel.uri())));
        this.sentinel = sentinel;
    }

    static SentinelServers start(RedisSource source) {
        return new SentinelServers(RedisSentinel.start(source));
    }

    RedisSentinel sentinel() {
        return sentinel;
    }

    @Override
    void heal() {
        // The primary stays dead after a failover; the set-up is closed with the cell.
    }

    @Override
    void deleteKeys(String prefix) {
        // Closed with the cell, keys and all.
    }

    @Override
    public void close() {
        sentinel.close();
    }
}
