package io.lockbench.jmh;

import java.net.URI;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The round trip that bounds every lock: {@code PING}; the hand-written lock cycle every implementation is set
 * beside, {@code SET key token NX PX ttl} then a compare-and-delete script by token (two round trips, a fresh
 * token each cycle, nothing else: no retry, no fencing, no renewal); and {@code SET} + {@code DEL}. Each thread
 * on its own connection, through Jedis and through Lettuce. The single-thread PING gives the RTT behind every
 * bound, {@code 1 / (2 * RTT + hold)} per key. On a Redis Cluster it runs against the first master, on keys
 * that master serves.
 *
 * <p>Runs first in every {@code ./lockbench bench} run; alone with {@code ./lockbench bench --only baseline}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@State(Scope.Benchmark)
public class BaselineBenchmark {

    /** The client library. */
    @Param({RoundTripClient.JEDIS, RoundTripClient.LETTUCE})
    public String client;

    /** Injected round-trip latency: {@code 0} for direct connections, else through the runner's proxies. */
    @Param({})
    public String rtt;

    /** The hand-written lock's ttl: long enough never to expire inside a cycle. */
    private static final long LOCK_TTL_MILLIS = 30_000;

    private URI server;
    private String keyPrefix;
    private KeyPlacement placement;
    private Optional<NoiseProbe> noise = Optional.empty();

    /**
     * Finds the first server the runner started and takes the trial's start noise figures.
     *
     * @param params the trial's benchmark and parameters, for its noise record
     */
    @Setup(Level.Trial)
    public void findServer(BenchmarkParams params) {
        Endpoints endpoints = Endpoints.fromSystemProperty();
        server = endpoints.nodes(rtt).get(0);
        keyPrefix = endpoints.keyPrefix() + "baseline:" + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
                .nextInt()) + ":";
        placement = KeyPlacement.of(endpoints);
        noise = NoiseProbe.start(params, client, server);
    }

    /** Takes the trial's end noise figures. */
    @TearDown(Level.Trial)
    public void finishNoise() {
        noise.ifPresent(NoiseProbe::finish);
    }

    /** One thread's own connection and key. */
    @State(Scope.Thread)
    public static class Connection {
        private RoundTripClient connection;
        private String key;
        private String tokenPrefix;
        private long cycles;

        /**
         * Connects.
         *
         * @param baseline the benchmark, which knows the server and the client library
         */
        @Setup(Level.Trial)
        public void open(BaselineBenchmark baseline) {
            connection = RoundTripClient.open(baseline.client, baseline.server);
            key = baseline.placement.on(0, baseline.keyPrefix + Thread.currentThread().getId(), name -> name);
            tokenPrefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ":";
        }

        /** Disconnects. */
        @TearDown(Level.Trial)
        public void close() {
            connection.close();
        }
    }

    /**
     * One round trip.
     *
     * @param connection this thread's connection
     * @return the reply
     */
    @Benchmark
    public String ping(Connection connection) {
        return connection.connection.ping();
    }

    /**
     * The hand-written lock: acquire with {@code SET NX PX} and a fresh token, release by compare-and-delete.
     * The key is this thread's own, so the acquire always succeeds.
     *
     * @param connection this thread's connection
     * @return 1 (the release deleted the key)
     */
    @Benchmark
    public long lockCycle(Connection connection) {
        String token = connection.tokenPrefix + connection.cycles++;
        if (!connection.connection.setNxPx(connection.key, token, LOCK_TTL_MILLIS)) {
            throw new IllegalStateException("the baseline's own key " + connection.key + " was held");
        }
        return connection.connection.compareAndDelete(connection.key, token);
    }

    /**
     * Two round trips that write, as a lock cycle does.
     *
     * @param connection this thread's connection
     * @return the number of keys deleted
     */
    @Benchmark
    public long setDel(Connection connection) {
        connection.connection.set(connection.key, "1");
        return connection.connection.del(connection.key);
    }
}
