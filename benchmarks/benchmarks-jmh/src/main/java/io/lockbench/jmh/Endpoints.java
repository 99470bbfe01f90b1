package io.lockbench.jmh;

import io.lockbench.api.ClusterAddress;
import io.lockbench.api.LockSettings;
import io.lockbench.report.DurationLabel;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the benchmark forks find the Redis servers the runner started: the servers themselves, the proxies
 * in front of them that add the injected latency, and the key prefix of the run. Passed to each fork as the
 * system property {@value #PROPERTY}, because forks must not start servers of their own.
 *
 * @param keyPrefix every benchmark key starts with it, so a run's keys can be found and removed
 * @param direct the servers, connected to directly; also where Redis commands are counted
 * @param proxied the same servers through their latency-adding proxies, in the same order; empty when no
 *     latency is injected
 * @param injectedRtt the round-trip latency the proxies add; zero when there are none
 * @param cluster whether the servers are the masters of one Redis Cluster: implementations then get its
 *     {@code redis-cluster://} address ({@link #settings}), and no latency is injected (a cluster client connects
 *     to the addresses in the slot map, past any proxy)
 */
public record Endpoints(String keyPrefix, List<URI> direct, List<URI> proxied, Duration injectedRtt,
                        boolean cluster) {

    /** The system property that carries the endpoints to the forks. */
    public static final String PROPERTY = "lockbench.endpoints";

    /**
     * @throws IllegalArgumentException when there are no direct servers, proxies without an injected latency or
     *     the other way round, a different number of proxies and servers, or proxies for a cluster
     */
    public Endpoints {
        direct = List.copyOf(direct);
        proxied = List.copyOf(proxied);
        if (direct.isEmpty()) {
            throw new IllegalArgumentException("direct: at least one server is needed");
        }
        if (proxied.isEmpty() != injectedRtt.isZero() || (!proxied.isEmpty() && proxied.size() != direct.size())) {
            throw new IllegalArgumentException("proxied: one proxy per server when latency is injected, none"
                    + " otherwise; got " + proxied.size() + " proxies for " + direct.size() + " servers and "
                    + DurationLabel.format(injectedRtt));
        }
        if (cluster && !proxied.isEmpty()) {
            throw new IllegalArgumentException("proxied: a Redis Cluster run injects no latency (its clients connect"
                    + " to the addresses in the slot map, past any proxy); got " + DurationLabel.format(injectedRtt));
        }
    }

    /**
     * Independent servers (or one), not a cluster.
     *
     * @param keyPrefix every benchmark key starts with it
     * @param direct the servers
     * @param proxied the same servers through their proxies, or empty
     * @param injectedRtt the latency the proxies add; zero when there are none
     */
    public Endpoints(String keyPrefix, List<URI> direct, List<URI> proxied, Duration injectedRtt) {
        this(keyPrefix, direct, proxied, injectedRtt, false);
    }

    /**
     * What an implementation is created with for a benchmark with this {@code rtt} parameter: every server (a
     * single-node implementation uses the first), or the cluster's {@code redis-cluster://} address.
     *
     * @param rtt {@code 0}, or the injected latency the runner set up
     * @return the settings, with the default command timeout
     * @throws IllegalStateException when {@code rtt} asks for a latency the runner did not inject
     */
    public LockSettings settings(String rtt) {
        List<URI> nodes = nodes(rtt);
        return cluster ? LockSettings.of(ClusterAddress.of(nodes).toUri()) : LockSettings.of(nodes);
    }

    /**
     * The servers a benchmark with this {@code rtt} parameter connects to.
     *
     * @param rtt {@code 0} for the servers themselves, or the injected latency the runner set up
     * @return the URIs
     * @throws IllegalStateException when {@code rtt} asks for a latency the runner did not inject
     */
    public List<URI> nodes(String rtt) {
        Duration asked = DurationLabel.parse(rtt);
        if (asked.isZero()) {
            return direct;
        }
        if (!asked.equals(injectedRtt)) {
            throw new IllegalStateException("rtt=" + rtt + " was asked for, but the runner injected "
                    + DurationLabel.format(injectedRtt) + "; run the benchmarks through lockbench bench");
        }
        return proxied;
    }

    /**
     * This value as a system property value.
     *
     * @return the encoded form {@link #decode} reads
     */
    public String encode() {
        return "prefix=" + keyPrefix + ";direct=" + join(direct) + ";proxied=" + join(proxied)
                + ";rtt=" + DurationLabel.format(injectedRtt) + ";cluster=" + cluster;
    }

    /**
     * Reads the encoded form.
     *
     * @param encoded what {@link #encode} wrote
     * @return the endpoints
     * @throws IllegalArgumentException when it is malformed
     */
    public static Endpoints decode(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : encoded.split(";", -1)) {
            int equals = field.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(PROPERTY + ": malformed field '" + field + "' in " + encoded);
            }
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        if (!fields.keySet().containsAll(List.of("prefix", "direct", "proxied", "rtt", "cluster"))) {
            throw new IllegalArgumentException(PROPERTY + ": expected prefix, direct, proxied, rtt and cluster in "
                    + encoded);
        }
        return new Endpoints(fields.get("prefix"), split(fields.get("direct")), split(fields.get("proxied")),
                DurationLabel.parse(fields.get("rtt")), Boolean.parseBoolean(fields.get("cluster")));
    }

    /**
     * The endpoints of this JVM, as the runner passed them.
     *
     * @return the endpoints
     * @throws IllegalStateException when the property is missing: the benchmark was not started by the runner
     */
    public static Endpoints fromSystemProperty() {
        String encoded = System.getProperty(PROPERTY);
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalStateException("System property " + PROPERTY + " is missing: the benchmarks need Redis"
                    + " servers started by the runner; run them with ./lockbench bench");
        }
        return decode(encoded);
    }

    private static String join(List<URI> uris) {
        return uris.stream().map(URI::toString).collect(Collectors.joining(","));
    }

    private static List<URI> split(String joined) {
        if (joined.isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.stream(joined.split(",")).map(URI::create).toList());
    }
}
