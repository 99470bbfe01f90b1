package io.lockbench.chaos;

import io.lockbench.fixture.RedisNodes;
import io.lockbench.fixture.RedisSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The servers a whole chaos run shares, started once: three plain nodes (single-node implementations use
 * the first, Redlock all three) and, on first use, three nodes whose clock libfaketime can move and a
 * Sentinel set-up (primary, replica, three Sentinels). Cells that break a server heal it before the next
 * cell starts.
 */
final class ChaosServers implements AutoCloseable {

    /** Debian's libfaketime; the clock-jump fault needs it. */
    static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    private static final int NODES = 3;

    private final RedisSource source;
    private final RedisNodes plain;
    private RedisNodes faketime;
    private FakeClock clock;
    private SentinelServers sentinel;

    private ChaosServers(RedisSource source, RedisNodes plain) {
        this.source = source;
        this.plain = plain;
    }

    /**
     * Starts the plain nodes.
     *
     * @param source where the servers come from
     * @return the servers
     */
    static ChaosServers start(RedisSource source) {
        return new ChaosServers(source, RedisNodes.start(NODES, source));
    }

    RedisSource source() {
        return source;
    }

    /** @return a prefix unique to this run, under which each cell puts its keys */
    String keyPrefix() {
        return plain.keyPrefix();
    }

    /** @return {@code redis_version} of the plain nodes */
    String version() {
        return plain.node(0).version();
    }

    /**
     * @param quorum all three nodes, else the first
     * @return the plain nodes, reached through their proxies
     */
    CellServers plain(boolean quorum) {
        return CellServers.proxied(quorum ? plain.nodes() : plain.nodes().subList(0, 1));
    }

    /** @return why the clock cannot be moved here, or empty */
    static Optional<String> faketimeUnavailable() {
        return Files.isReadable(LIBFAKETIME) ? Optional.empty() : Optional.of("libfaketime not installed");
    }

    /**
     * The nodes under libfaketime, started on first use; their clock is {@link #clock()}.
     *
     * @param quorum all three nodes, else the first
     * @return the nodes, reached through their proxies
     */
    synchronized CellServers faketime(boolean quorum) {
        if (faketime == null) {
            clock = FakeClock.create();
            faketime = RedisNodes.start(NODES, source, Map.of(
                    "LD_PRELOAD", LIBFAKETIME.toString(),
                    "FAKETIME_TIMESTAMP_FILE", clock.file().toString(),
                    "FAKETIME_NO_CACHE", "1"));
        }
        return CellServers.proxied(quorum ? faketime.nodes() : faketime.nodes().subList(0, 1));
    }

    /**
     * The Sentinel set-up, started on first use; each failover cell leaves it whole for the next one.
     *
     * @return the set-up
     */
    synchronized SentinelServers sentinel() {
        if (sentinel == null) {
            sentinel = SentinelServers.start(source);
        }
        return sentinel;
    }

    /** @return the faked clock of the {@link #faketime} nodes; null before they started */
    synchronized FakeClock clock() {
        return clock;
    }

    @Override
    public synchronized void close() {
        try {
            if (sentinel != null) {
                sentinel.sentinel().close();
            }
            if (faketime != null) {
                faketime.close();
                clock.close();
            }
        } finally {
            plain.close();
        }
    }
}
