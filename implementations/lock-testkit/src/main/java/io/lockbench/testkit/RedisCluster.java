package io.lockbench.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of masters only, each a process we start, with the 16384 slots split evenly. For tests
 * of cluster clients and of the {@code {key}} hash-tag rule; the nodes support every {@link RedisNode}
 * fault, and a restarted node rejoins (its cluster config survives, its data does not).
 */
public final class RedisCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);

    private static final int SLOTS = 16384;
    /** Slots per CLUSTER ADDSLOTS call on 6.2, which has no ADDSLOTSRANGE. */
    private static final int ADDSLOTS_BATCH = 1000;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> CLUSTER_ARGS = List.of(
        "--cluster-enabled", "yes",
        // Relative to the node's own directory, so nodes never share one.
        "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", "5000");

    private final List<RedisNode> masters;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisCluster(List<RedisNode> masters, ScheduledExecutorService scheduler) {
        this.masters = List.copyOf(masters);
        this.scheduler = scheduler;
    }

    /**
     * Starts a cluster from {@link RedisSource#fromEnvironment()}.
     *
     * @param masters how many masters; at least 1
     * @return a cluster whose every node reports {@code cluster_state:ok}
     * @throws UnsupportedOperationException when the configured source is docker or external
     * @throws IllegalStateException when a node cannot start or the cluster does not form in time
     */
    public static RedisCluster start(int masters) {
        return start(masters, RedisSource.fromEnvironment());
    }

    /**
     * Starts a cluster from this source, which must start processes (auto, embedded or path).
     *
     * @param masters how many masters; at least 1
     * @param source where the redis-server binary comes from
     * @return a cluster whose every node reports {@code cluster_state:ok}
     * @throws UnsupportedOperationException when the source is docker or external
     * @throws IllegalStateException when a node cannot start or the cluster does not form in time
     */
    public static RedisCluster start(int masters, RedisSource source) {
        if (masters < 1) {
            throw new IllegalArgumentException("masters: at least one is needed, got " + masters);
        }
        if (source instanceof RedisSource.Docker || source instanceof RedisSource.External) {
            throw new UnsupportedOperationException("A Redis Cluster needs servers the kit starts as processes "
                + "(lockbench.redis=auto, embedded or path); got " + source.describe());
        }
        RedisBinary binary = RedisBinaries.resolve(source);
        ScheduledExecutorService scheduler = RedisNodes.newResumeScheduler();
        List<RedisNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(ProcessNode.start(binary, CLUSTER_ARGS, true, scheduler));
            }
            form(nodes, binary);
        } catch (RuntimeException e) {
            nodes.forEach(RedisNodes::closeQuietly);
            scheduler.shutdownNow();
            throw e;
        }
        RedisCluster cluster = new RedisCluster(nodes, scheduler);
        log.info("Redis Cluster of {} masters ({}) at {}", masters, binary.describe(), cluster.uris());
        return cluster;
    }

    /**
     * Where cluster clients may connect; any one of them is enough to discover the rest.
     *
     * @return {@code redis://127.0.0.1:port} of each master
     */
    public List<URI> uris() {
        return masters.stream().map(RedisNode::uri).toList();
    }

    /**
     * The masters, in slot order: master i owns the i-th of {@code masters} equal slot ranges.
     *
     * @return an unmodifiable list
     */
    public List<RedisNode> masters() {
        return masters;
    }

    /** Kills every node and stops the pause scheduler. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            masters.forEach(RedisNodes::closeQuietly);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static void form(List<RedisNode> nodes, RedisBinary binary) {
        boolean hasRanges = RedisBinary.atLeast(binary.version(), 7, 0);
        for (int i = 0; i < nodes.size(); i++) {
            int first = i * SLOTS / nodes.size();
            int last = (i + 1) * SLOTS / nodes.size() - 1;
            long epoch = i + 1;
            nodes.get(i).call(jedis -> {
                // Distinct epochs up front spare the cluster its collision-resolution rounds.
                jedis.clusterSetConfigEpoch(epoch);
                if (hasRanges) {
                    jedis.clusterAddSlotsRange(first, last);
                } else {
                    for (int from = first; from <= last; from += ADDSLOTS_BATCH) {
                        int to = Math.min(last, from + ADDSLOTS_BATCH - 1);
                        jedis.clusterAddSlots(IntStream.rangeClosed(from, to).toArray());
                    }
                }
                return null;
            });
        }
        RedisNode seed = nodes.get(0);
        for (RedisNode other : nodes.subList(1, nodes.size())) {
            seed.call(jedis -> jedis.clusterMeet(other.host(), other.port()));
        }
        awaitFormed(nodes);
    }

    private static void awaitFormed(List<RedisNode> nodes) {
        long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
        String expectedNodes = Integer.toString(nodes.size());
        for (RedisNode node : nodes) {
            while (true) {
                String info = node.call(jedis -> jedis.clusterInfo());
                if ("ok".equals(AbstractNode.infoField(info, "cluster_state"))
                    && expectedNodes.equals(AbstractNode.infoField(info, "cluster_known_nodes"))
                    && Integer.toString(SLOTS).equals(AbstractNode.infoField(info, "cluster_slots_ok"))) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Redis Cluster did not form within " + FORM_TIMEOUT + "; "
                        + node + " reports:\n" + info);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while forming a Redis Cluster", e);
                }
            }
        }
    }
}
