package io.lockbench.chaos;

import io.lockbench.fixture.RedisNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Asks the servers, directly (not through the fault proxies), every few milliseconds whether each lock key
 * exists while no section on it is open: a lock held by nobody. A key counts as held on the server when it
 * exists on a majority of the nodes the implementation uses. Records the longest such stretch per cell,
 * and how many of them had no ttl at all for longer than {@link #NO_TTL_NANOS}. A server that does not
 * answer (paused, killed) gives no sample; the stretch goes on or ends with the next answer.
 */
final class OrphanSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSampler.class);
    private static final long PERIOD_MILLIS = 10;
    /** Stretches this long or longer are logged (at debug) when they end. */
    private static final long LOGGED_NANOS = 100_000_000L;
    /**
     * A SETNX-then-PEXPIRE pair leaves the key ttl-less for a round trip even when nothing goes wrong, and
     * for as long as a pause or a latency spike delays the PEXPIRE: a key counts as left without a ttl only
     * past a second.
     */
    private static final long NO_TTL_NANOS = 1_000_000_000L;
    private static final JedisClientConfig CONFIG = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(200).socketTimeoutMillis(200)
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).autoNegotiateProtocol(false).build();

    private final Supplier<List<RedisNode>> nodeSource;
    private final CellLedger ledger;
    private final UnaryOperator<String> lockKey;
    private List<RedisNode> nodes;
    private final Jedis[] connections;
    private final Map<String, Stretch> stretches = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopped;
    private long maxOrphanNanos;
    private long keysWithoutTtl;

    /** The current orphan stretch of one key. */
    private static final class Stretch {
        long startNanos;
        long noTtlSinceNanos;
        boolean noTtlCounted;
    }

    /**
     * @param nodes the nodes to ask, asked again before each round: after a failover they are the current
     *     primary, so the sampler follows it (as many nodes each time)
     * @param ledger the cell's record
     * @param lockKey the server key holding a lock, from its name: the implementation's
     *     {@link io.lockbench.api.LockServiceProvider#lockKey}
     */
    OrphanSampler(Supplier<List<RedisNode>> nodes, CellLedger ledger, UnaryOperator<String> lockKey) {
        this.nodeSource = nodes;
        this.nodes = List.copyOf(nodes.get());
        this.ledger = ledger;
        this.lockKey = lockKey;
        this.connections = new Jedis[this.nodes.size()];
        ledger.keys().keySet().forEach(key -> stretches.put(key, new Stretch()));
        this.thread = new Thread(this::loop, "lockbench-chaos-orphans");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stopped) {
            List<RedisNode> now = nodeSource.get();
            if (!now.equals(nodes)) {
                for (int i = 0; i < connections.length; i++) {
                    closeConnection(i);
                }
                nodes = List.copyOf(now);
            }
            ledger.keys().forEach(this::sample);
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(String key, KeyLedger keyLedger) {
        List<Long> pttls = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Long pttl = pttl(i, lockKey.apply(key));
            if (pttl != null) {
                pttls.add(pttl);
            }
        }
        int majority = nodes.size() / 2 + 1;
        if (pttls.size() < majority) {
            return;
        }
        long existing = pttls.stream().filter(pttl -> pttl != -2).count();
        boolean noTtl = pttls.contains(-1L);
        long now = System.nanoTime();
        Stretch stretch = stretches.get(key);
        // While a failover is under way no client can reach the promoted primary to delete what it left there; that
        // time is the failover's (failover_ms), so a lock left over is counted from the moment a client is back.
        boolean orphan = existing >= majority && !keyLedger.held() && !ledger.failingOver();
        synchronized (this) {
            if (!orphan) {
                if (stretch.startNanos != 0 && now - stretch.startNanos >= LOGGED_NANOS) {
                    LOG.debug("{} held by nobody for {} ms", key, (now - stretch.startNanos) / 1_000_000);
                }
                stretch.startNanos = 0;
                stretch.noTtlSinceNanos = 0;
                stretch.noTtlCounted = false;
                return;
            }
            if (stretch.startNanos == 0) {
                stretch.startNanos = now;
            }
            maxOrphanNanos = Math.max(maxOrphanNanos, now - stretch.startNanos);
            if (!noTtl) {
                stretch.noTtlSinceNanos = 0;
            } else if (stretch.noTtlSinceNanos == 0) {
                stretch.noTtlSinceNanos = now;
            } else if (!stretch.noTtlCounted && now - stretch.noTtlSinceNanos >= NO_TTL_NANOS) {
                stretch.noTtlCounted = true;
                keysWithoutTtl++;
            }
        }
    }

    /** The key's PTTL on node i (-2 missing, -1 no ttl), or null when the node does not answer. */
    private Long pttl(int i, String key) {
        try {
            if (connections[i] == null) {
                connections[i] = new Jedis(nodes.get(i).uri(), CONFIG);
            }
            return connections[i].pttl(key);
        } catch (JedisException e) {
            closeConnection(i);
            return null;
        }
    }

    private void closeConnection(int i) {
        if (connections[i] != null) {
            try {
                connections[i].close();
            } catch (JedisException ignored) {
                // Already broken; nothing to hand back.
            }
            connections[i] = null;
        }
    }

    synchronized long maxOrphanMs() {
        return maxOrphanNanos / 1_000_000;
    }

    synchronized long keysWithoutTtl() {
        return keysWithoutTtl;
    }

    /** Stops sampling and closes the connections. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < connections.length; i++) {
            closeConnection(i);
        }
    }
}
