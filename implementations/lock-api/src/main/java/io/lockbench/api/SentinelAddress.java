package io.lockbench.api;

import java.net.URI;
import java.util.List;

/**
 * A {@code redis-sentinel://host:port[,host:port...]/mastername} node URI, parsed: the Sentinels to ask and
 * the name they monitor the primary under. Clients hand both to their own Sentinel support, which finds the
 * current primary and follows failovers; nothing here talks to a server.
 *
 * <p>Parsed by hand because {@link URI} reads a comma-separated authority as registry-based and gives no host
 * or port. A bracketed IPv6 literal ({@code [::1]:26379}) is understood; {@link URI} itself refuses more than
 * one of them in one authority. The same {@code host:port} list rules hold for {@link ClusterAddress}.
 *
 * @param sentinels the Sentinels' {@code host:port}, in the order given; at least one
 * @param masterName the monitored primary's name, not blank
 */
public record SentinelAddress(List<String> sentinels, String masterName) {

    /** The URI scheme of a Sentinel node. */
    public static final String SCHEME = "redis-sentinel";

    private static final String ROLE = "Sentinel";

    /**
     * @throws IllegalArgumentException when there is no Sentinel, a Sentinel is not {@code host:port} with a
     *     port from 1 to 65535, or the master name is blank
     */
    public SentinelAddress {
        if (sentinels == null || sentinels.isEmpty()) {
            throw new IllegalArgumentException("sentinels: at least one host:port is needed");
        }
        for (String sentinel : sentinels) {
            HostPorts.check(sentinel, ROLE, String.valueOf(sentinels));
        }
        sentinels = List.copyOf(sentinels);
        if (masterName == null || masterName.isBlank()) {
            throw new IllegalArgumentException("masterName: the primary's name is missing (" + SCHEME
                    + "://host:port,.../mastername)");
        }
    }

    /**
     * Whether a node URI names Sentinels rather than one server.
     *
     * @param node a node URI, may be null
     * @return true for the {@value #SCHEME} scheme
     */
    public static boolean isSentinel(URI node) {
        return node != null && SCHEME.equals(node.getScheme());
    }

    /**
     * Parses a Sentinel node URI.
     *
     * @param node {@code redis-sentinel://host:port[,host:port...]/mastername}
     * @return the Sentinels and the master name
     * @throws IllegalArgumentException naming the URI and what is wrong with it
     */
    public static SentinelAddress parse(URI node) {
        if (!isSentinel(node)) {
            throw new IllegalArgumentException("expected " + SCHEME + "://host:port[,host:port...]/mastername, got "
                    + node);
        }
        List<String> sentinels = HostPorts.split(node, ROLE);
        String path = node.getPath();
        String masterName = path == null || path.length() <= 1 ? "" : path.substring(1);
        if (masterName.isBlank() || masterName.contains("/")) {
            throw new IllegalArgumentException("expected the primary's name as the one path segment of " + node
                    + " (" + SCHEME + "://host:port,.../mastername)");
        }
        if (node.getRawQuery() != null || node.getRawFragment() != null) {
            throw new IllegalArgumentException("no query or fragment is understood in " + node);
        }
        return new SentinelAddress(sentinels, masterName);
    }

    /**
     * @param sentinel one of {@link #sentinels()}
     * @return its host, without brackets for IPv6
     */
    public static String host(String sentinel) {
        return HostPorts.host(sentinel);
    }

    /**
     * @param sentinel one of {@link #sentinels()}
     * @return its port
     */
    public static int port(String sentinel) {
        return HostPorts.port(sentinel);
    }

    /**
     * The URI this address was parsed from, in its normal form.
     *
     * @return {@code redis-sentinel://host:port,.../mastername}
     */
    public URI toUri() {
        return URI.create(SCHEME + "://" + String.join(",", sentinels) + "/" + masterName);
    }

    /** @return {@code mastername@host:port,host:port}, as error messages name it */
    @Override
    public String toString() {
        return masterName + "@" + String.join(",", sentinels);
    }
}
