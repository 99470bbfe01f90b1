package io.lockbench.chaos;

import io.lockbench.fixture.RedisNode;
import redis.clients.jedis.exceptions.JedisException;

import java.net.URI;
import java.util.List;

/**
 * The servers of one cell: the nodes the implementation uses (faults act on them, the orphan sampler asks
 * them directly) and the URIs the implementation connects to, which are the nodes' fault proxies.
 */
class CellServers implements AutoCloseable {

    private final List<RedisNode> nodes;
    private final List<URI> connectTo;

    /**
     * @param nodes the nodes the implementation uses
     * @param connectTo the URIs its settings name
     */
    CellServers(List<RedisNode> nodes, List<URI> connectTo) {
        this.nodes = List.copyOf(nodes);
        this.connectTo = List.copyOf(connectTo);
    }

    /** @return servers reached through their proxies, so that proxy faults reach the implementation */
    static CellServers proxied(List<RedisNode> nodes) {
        return new CellServers(nodes, nodes.stream().map(node -> node.proxy().uri()).toList());
    }

    List<RedisNode> nodes() {
        return nodes;
    }

    /** @return the nodes the orphan sampler asks now; the same as {@link #nodes()} unless a failover moves them */
    List<RedisNode> sampled() {
        return nodes();
    }

    List<URI> connectTo() {
        return connectTo;
    }

    /** Resumes paused nodes, clears proxy faults and restarts nodes that do not answer. */
    void heal() {
        for (RedisNode node : nodes) {
            node.resume();
            node.proxy().reset();
            if (!answers(node)) {
                node.restart();
            }
        }
    }

    /**
     * Deletes every key holding the prefix on every node (those an implementation derives from a lock's name,
     * such as Spring's {@code lockbench-spring:<key>}, included), so the next cell starts from nothing.
     *
     * @param prefix the cell's key prefix
     */
    void deleteKeys(String prefix) {
        for (RedisNode node : nodes) {
            node.call(jedis -> {
                for (String key : jedis.keys("*" + prefix + "*")) {
                    jedis.del(key);
                }
                return null;
            });
        }
    }

    private static boolean answers(RedisNode node) {
        try {
            return "PONG".equals(node.call(jedis -> jedis.ping()));
        } catch (JedisException e) {
            return false;
        }
    }

    /** Stops what the cell started for itself; the shared servers stay up. */
    @Override
    public void close() {
    }
}
