package io.lockbench.jmh;

import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.fixture.RedisSource;
import io.lockbench.report.DurationLabel;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The Redis servers of one benchmark run, started once by the runner (never by the forks), optionally pinned
 * to their own CPU, with a latency-adding proxy in front of each for the injected round-trip runs.
 */
public final class BenchNodes implements AutoCloseable {

    /** Servers a run starts: enough for a quorum implementation; single-node ones use the first. */
    public static final int QUORUM_NODES = 3;

    private final RedisNodes nodes;
    private final String pinning;

    private BenchNodes(RedisNodes nodes, String pinning) {
        this.nodes = nodes;
        this.pinning = pinning;
    }

    /**
     * Starts the servers, or connects to external ones.
     *
     * @param source where the servers come from, as lock-fixture reads {@code --redis}
     * @param count how many; an external source needs at least that many servers
     * @param pin whether to pin servers and this JVM to separate CPUs (see {@link CpuPinning})
     * @return the running servers
     * @throws IllegalArgumentException when an external source lists fewer servers than {@code count}
     * @throws IllegalStateException when a server cannot be started or reached
     */
    public static BenchNodes start(RedisSource source, int count, boolean pin) {
        RedisNodes nodes = RedisNodes.start(count, source);
        try {
            String pinning = pin ? CpuPinning.pin(nodes.nodes().stream().map(RedisNode::pid).toList())
                    : "not pinned: pinning was turned off";
            return new BenchNodes(nodes, pinning);
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /**
     * Sets every proxy to add {@code rtt} per round trip (half each way) and says where the forks connect.
     * Runs with different injected latencies go one after the other, since each server has one proxy.
     *
     * @param rtt the round-trip latency to inject; zero for direct connections only
     * @return the endpoints to pass to the forks
     */
    public Endpoints endpoints(Duration rtt) {
        List<URI> proxied = List.of();
        if (!rtt.isZero()) {
            for (RedisNode node : nodes.nodes()) {
                node.proxy().addLatency(rtt.dividedBy(2));
            }
            proxied = nodes.nodes().stream().map(node -> node.proxy().uri()).toList();
        }
        return new Endpoints(nodes.keyPrefix(), nodes.uris(), proxied, rtt);
    }

    /**
     * The servers' version.
     *
     * @return {@code redis_version} of the first server
     */
    public String version() {
        return nodes.node(0).version();
    }

    /**
     * Where the servers came from, for {@code env.json}.
     *
     * @return lock-fixture's description of the source
     */
    public String sourceDescription() {
        return nodes.source().describe();
    }

    /**
     * How many servers run.
     *
     * @return the count
     */
    public int size() {
        return nodes.size();
    }

    /**
     * What CPU pinning was done, for {@code env.json}.
     *
     * @return a sentence
     */
    public String pinning() {
        return pinning;
    }

    @Override
    public void close() {
        nodes.close();
    }
}
