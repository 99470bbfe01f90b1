package io.lockbench.api;

import java.net.URI;
import java.util.List;

/**
 * A {@code redis-cluster://host:port[,host:port...]} node URI, parsed: the seed nodes of one Redis Cluster.
 * A cluster client reads the slot map from any seed that answers and then routes each command to the master
 * of its key's slot, so one reachable seed is enough and more only guard against a seed being down. Nothing
 * here talks to a server.
 *
 * <p>The seeds follow the rules of {@link SentinelAddress}'s list ({@code host:port}, bracketed IPv6, ports
 * 1 to 65535); a path, user info, query or fragment is refused rather than ignored.
 *
 * @param seeds the seeds' {@code host:port}, in the order given; at least one, none twice
 */
public record ClusterAddress(List<String> seeds) {

    /** The URI scheme of a Redis Cluster node. */
    public static final String SCHEME = "redis-cluster";

    private static final String ROLE = "cluster node";
    private static final String FORM = SCHEME + "://host:port[,host:port...]";

    /**
     * @throws IllegalArgumentException when there is no seed, a seed is not {@code host:port} with a port from 1
     *     to 65535, or a seed is listed twice
     */
    public ClusterAddress {
        if (seeds == null || seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds: at least one host:port is needed (" + FORM + ")");
        }
        for (String seed : seeds) {
            HostPorts.check(seed, ROLE, String.valueOf(seeds));
        }
        seeds = List.copyOf(seeds);
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds: a cluster node is listed twice in " + seeds);
        }
    }

    /**
     * Whether a node URI names a Redis Cluster rather than one server.
     *
     * @param node a node URI, may be null
     * @return true for the {@value #SCHEME} scheme
     */
    public static boolean isCluster(URI node) {
        return node != null && SCHEME.equals(node.getScheme());
    }

    /**
     * Parses a cluster node URI.
     *
     * @param node {@code redis-cluster://host:port[,host:port...]}
     * @return the seeds
     * @throws IllegalArgumentException naming the URI and what is wrong with it
     */
    public static ClusterAddress parse(URI node) {
        if (!isCluster(node)) {
            throw new IllegalArgumentException("expected " + FORM + ", got " + node);
        }
        if (node.getRawAuthority() != null && node.getRawAuthority().contains("@")) {
            throw new IllegalArgumentException("no user or password is understood in " + node + " (" + FORM + ")");
        }
        List<String> seeds = HostPorts.split(node, ROLE);
        String path = node.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || node.getRawQuery() != null
                || node.getRawFragment() != null) {
            throw new IllegalArgumentException("no path, query or fragment is understood in " + node + " (" + FORM
                    + "; a cluster has no database number)");
        }
        try {
            return new ClusterAddress(seeds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (in " + node + ")", e);
        }
    }

    /**
     * The address of a cluster whose nodes are these servers.
     *
     * @param servers each {@code redis://host:port}
     * @return the address with their {@code host:port} as seeds
     * @throws IllegalArgumentException when a server is not {@code redis://host:port}
     */
    public static ClusterAddress of(List<URI> servers) {
        if (servers == null) {
            throw new IllegalArgumentException("servers: at least one redis://host:port is needed, got null");
        }
        return new ClusterAddress(servers.stream().map(server -> {
            if (server == null || !"redis".equals(server.getScheme()) || server.getHost() == null
                    || server.getPort() <= 0) {
                throw new IllegalArgumentException("servers: expected redis://host:port, got " + server);
            }
            return server.getRawAuthority();
        }).toList());
    }

    /**
     * The seeds as single-server URIs, for a client library's cluster support.
     *
     * @return {@code redis://host:port} of each seed, in order
     */
    public List<URI> seedUris() {
        return seeds.stream().map(seed -> URI.create("redis://" + seed)).toList();
    }

    /**
     * @param seed one of {@link #seeds()}
     * @return its host, without brackets for IPv6
     */
    public static String host(String seed) {
        return HostPorts.host(seed);
    }

    /**
     * @param seed one of {@link #seeds()}
     * @return its port
     */
    public static int port(String seed) {
        return HostPorts.port(seed);
    }

    /**
     * The URI this address was parsed from, in its normal form.
     *
     * @return {@code redis-cluster://host:port,...}
     */
    public URI toUri() {
        return URI.create(SCHEME + "://" + String.join(",", seeds));
    }

    /** @return {@code cluster@host:port,host:port}, as error messages name it */
    @Override
    public String toString() {
        return "cluster@" + String.join(",", seeds);
    }
}
