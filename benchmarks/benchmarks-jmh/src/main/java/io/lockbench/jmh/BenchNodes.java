package io.lockbench.jmh;

import io.lockbench.fixture.RedisCluster;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.fixture.RedisSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The Redis servers of one benchmark run, started once by the runner (never by the forks), optionally pinned
 * to their own CPU, with a latency-adding proxy in front of each for the injected round-trip runs. Either
 * independent servers, or the masters of one Redis Cluster ({@code --redis cluster} starts one of
 * {@value RedisSource.Cluster#MASTERS}; {@code --redis redis-cluster://...} is a user's own).
 */
public final class BenchNodes implements AutoCloseable {

    /** Servers a run starts: enough for a quorum implementation; single-node ones use the first. */
    public static final int QUORUM_NODES = 3;

    private final List<RedisNode> servers;
    private final String keyPrefix;
    private final String description;
    private final boolean cluster;
    private final AutoCloseable owner;
    private final String pinning;

    private BenchNodes(List<RedisNode> servers, String keyPrefix, String description, boolean cluster,
                       AutoCloseable owner, String pinning) {
        this.servers = servers;
        this.keyPrefix = keyPrefix;
        this.description = description;
        this.cluster = cluster;
        this.owner = owner;
        this.pinning = pinning;
    }

    /**
     * Starts the servers, or connects to external ones.
     *
     * @param source where the servers come from, as lock-fixture reads {@code --redis}
     * @param count how many independent servers; an external source needs at least that many. A cluster source
     *     gives its masters instead
     * @param pin whether to pin servers and this JVM to separate CPUs (see {@link CpuPinning})
     * @return the running servers
     * @throws IllegalArgumentException when an external source lists fewer servers than {@code count}
     * @throws IllegalStateException when a server cannot be started or reached
     */
    public static BenchNodes start(RedisSource source, int count, boolean pin) {
        if (source.isCluster()) {
            RedisCluster started = source instanceof RedisSource.ExternalCluster external
                    ? RedisCluster.connect(external.address())
                    : RedisCluster.start(RedisSource.Cluster.MASTERS, source);
            return pinned(started.masters(), started.keyPrefix(), started.describe(), true, started, pin);
        }
        RedisNodes nodes = RedisNodes.start(count, source);
        return pinned(nodes.nodes(), nodes.keyPrefix(), nodes.source().describe(), false, nodes, pin);
    }

    private static BenchNodes pinned(List<RedisNode> servers, String keyPrefix, String description, boolean cluster,
                                     AutoCloseable owner, boolean pin) {
        try {
            String pinning = pin ? CpuPinning.pin(servers.stream().map(RedisNode::pid).toList())
                    : "not pinned: pinning was turned off";
            return new BenchNodes(servers, keyPrefix, description, cluster, owner, pinning);
        } catch (RuntimeException e) {
            closeQuietly(owner);
            throw e;
        }
    }

    /**
     * Sets every proxy to add {@code rtt} per round trip (half each way) and says where the forks connect.
     * Runs with different injected latencies go one after the other, since each server has one proxy.
     *
     * @param rtt the round-trip latency to inject; zero for direct connections only
     * @return the endpoints to pass to the forks
     * @throws IllegalArgumentException for a latency on a cluster, whose clients would connect past the proxies
     */
    public Endpoints endpoints(Duration rtt) {
        if (cluster && !rtt.isZero()) {
            throw new IllegalArgumentException("rtt: a Redis Cluster run injects no latency (its clients connect to"
                    + " the addresses in the slot map, past any proxy); got " + rtt);
        }
        List<URI> direct = servers.stream().map(RedisNode::uri).toList();
        List<URI> proxied = List.of();
        if (!rtt.isZero()) {
            for (RedisNode node : servers) {
                node.proxy().addLatency(rtt.dividedBy(2));
            }
            proxied = servers.stream().map(node -> node.proxy().uri()).toList();
        }
        return new Endpoints(keyPrefix, direct, proxied, rtt, cluster);
    }

    /**
     * The servers' version.
     *
     * @return {@code redis_version} of the first server
     */
    public String version() {
        return servers.get(0).version();
    }

    /**
     * Where the servers came from, for {@code env.json}.
     *
     * @return lock-fixture's description of the source, or of the cluster
     */
    public String sourceDescription() {
        return description;
    }

    /**
     * How many servers run: a cluster's masters, or the independent servers.
     *
     * @return the count
     */
    public int size() {
        return servers.size();
    }

    /**
     * Whether the servers are the masters of one Redis Cluster.
     *
     * @return true for a cluster
     */
    public boolean cluster() {
        return cluster;
    }

    /**
     * How the servers relate, for {@code env.json} and the summary header.
     *
     * @return {@code Redis Cluster, 3 masters}, or null for independent servers
     */
    public String topology() {
        return cluster ? "Redis Cluster, " + servers.size() + " masters" : null;
    }

    /**
     * The servers: the cluster's masters in slot order, or the independent servers in start order.
     *
     * @return an unmodifiable list
     */
    public List<RedisNode> servers() {
        return servers;
    }

    /**
     * What CPU pinning was done, for {@code env.json}.
     *
     * @return a sentence
     */
    public String pinning() {
        return pinning;
    }

    /** Stops the servers we started by their process; external ones lose the run's keys. */
    @Override
    public void close() {
        closeQuietly(owner);
    }

    private static void closeQuietly(AutoCloseable owner) {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close the Redis servers: " + e.getMessage(), e);
        }
    }
}
