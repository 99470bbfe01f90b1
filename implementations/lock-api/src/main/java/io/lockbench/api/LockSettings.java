package io.lockbench.api;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link LockService} reaches its Redis servers. Immutable; the {@code with...} methods return copies.
 *
 * <p>A node is one server, {@code redis://host:port}, or a primary under Redis Sentinel,
 * {@code redis-sentinel://host:port[,host:port...]/mastername} (see {@link SentinelAddress}): the client
 * asks the Sentinels for the current primary and follows failovers with the library's own Sentinel support.
 * Single-node implementations use the first node; quorum implementations (Redlock) use all of them and
 * refuse Sentinel nodes.
 *
 * <p>A Redis Cluster is one node, {@code redis-cluster://host:port[,host:port...]} (see {@link ClusterAddress}),
 * and then the only one: the seeds it lists lead the client to every master, and each lock lives on the
 * master of its key's slot. Implementations that run on a cluster declare {@link Capability#CLUSTER} and
 * {@link LockServices#create} gives them such settings; the others refuse them ({@link #firstNode()} does).
 *
 * @param nodes the servers, each {@code redis://host:port} or {@code redis-sentinel://...}, or one
 *     {@code redis-cluster://...}; at least one
 * @param commandTimeout how long one command (and a connection attempt) may take before it counts as failed
 * @param replicaAck the replica acknowledgement asked for after each acquire; {@link ReplicaAck#OFF} by
 *     default; the naive implementations ignore it
 */
public record LockSettings(List<URI> nodes, Duration commandTimeout, ReplicaAck replicaAck) {

    /** The command timeout a service gets unless told otherwise. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** The longest command timeout accepted: every client library takes it as an int of milliseconds or less. */
    public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofHours(1);

    /**
     * @throws IllegalArgumentException when {@code nodes} is null, empty or holds something other than
     *     {@code redis://host:port} or a valid {@code redis-sentinel://} URI, or a valid {@code redis-cluster://}
     *     URI with other nodes beside it, the timeout is not between 1 ms
     *     and {@link #MAX_COMMAND_TIMEOUT}, or the replica acknowledgement's timeout is not shorter than the
     *     command timeout
     */
    public LockSettings {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes: at least one redis://host:port is needed");
        }
        for (URI node : nodes) {
            if (SentinelAddress.isSentinel(node)) {
                try {
                    SentinelAddress.parse(node);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("nodes: " + e.getMessage(), e);
                }
            } else if (ClusterAddress.isCluster(node)) {
                try {
                    ClusterAddress.parse(node);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("nodes: " + e.getMessage(), e);
                }
                if (nodes.size() > 1) {
                    throw new IllegalArgumentException("nodes: a redis-cluster:// node names a whole cluster and must"
                            + " be the only node (list more seeds inside it: redis-cluster://h1:p1,h2:p2), got "
                            + nodes);
                }
            } else if (node == null || !"redis".equals(node.getScheme()) || node.getHost() == null
                    || node.getPort() <= 0) {
                throw new IllegalArgumentException("nodes: expected redis://host:port, "
                        + "redis-sentinel://host:port[,host:port...]/mastername or "
                        + "redis-cluster://host:port[,host:port...], got " + node);
            }
        }
        nodes = List.copyOf(nodes);
        if (commandTimeout == null || commandTimeout.compareTo(Duration.ofMillis(1)) < 0
                || commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
            throw new IllegalArgumentException("commandTimeout: must be between 1 ms and " + MAX_COMMAND_TIMEOUT
                    + ", got " + commandTimeout);
        }
        if (replicaAck == null) {
            throw new IllegalArgumentException("replicaAck: must not be null (ReplicaAck.OFF for none)");
        }
        if (replicaAck.isOn() && replicaAck.timeout().compareTo(commandTimeout) >= 0) {
            // The WAIT reply comes up to its timeout after the acquire's: the client would call the command
            // failed first, and count a lock that may be granted as an unknown outcome.
            throw new IllegalArgumentException("replicaAck: the timeout " + replicaAck.timeout()
                    + " must be shorter than the command timeout " + commandTimeout);
        }
    }

    /**
     * Settings without replica acknowledgement.
     *
     * @param nodes the servers; see the record's description
     * @param commandTimeout the command timeout
     */
    public LockSettings(List<URI> nodes, Duration commandTimeout) {
        this(nodes, commandTimeout, ReplicaAck.OFF);
    }

    /**
     * Settings for these nodes with the default command timeout.
     *
     * @param nodes the servers, each {@code redis://host:port} or {@code redis-sentinel://...}
     * @return the settings
     */
    public static LockSettings of(List<URI> nodes) {
        return new LockSettings(nodes, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * Settings for these nodes with the default command timeout.
     *
     * @param nodes the servers, each {@code redis://host:port} or {@code redis-sentinel://...}
     * @return the settings
     */
    public static LockSettings of(URI... nodes) {
        if (nodes == null) {
            throw new IllegalArgumentException("nodes: at least one redis://host:port is needed, got null");
        }
        return of(Arrays.asList(nodes));
    }

    /**
     * A copy with another command timeout.
     *
     * @param timeout positive, longer than a replica acknowledgement's timeout
     * @return the new settings
     */
    public LockSettings withCommandTimeout(Duration timeout) {
        return new LockSettings(nodes, timeout, replicaAck);
    }

    /**
     * A copy that asks for replica acknowledgement of every granted acquire: after the lock write the
     * service sends {@code WAIT replicas timeout} on the same connection, in the same round trip where the
     * client can pipeline, and when fewer replicas acknowledge it releases the lock and throws
     * {@link ReplicationNotAcknowledgedException}. See {@link ReplicaAck} for what it buys and costs.
     * The naive implementations ignore it.
     *
     * @param replicas at least 1
     * @param timeout at least 1 ms, shorter than the command timeout
     * @return the new settings
     * @throws IllegalArgumentException for a value out of range, naming it
     */
    public LockSettings withReplicaAck(int replicas, Duration timeout) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas: at least 1 replica must acknowledge, got " + replicas);
        }
        return new LockSettings(nodes, commandTimeout, new ReplicaAck(replicas, timeout));
    }

    /**
     * A copy without replica acknowledgement.
     *
     * @return the new settings
     */
    public LockSettings withoutReplicaAck() {
        return new LockSettings(nodes, commandTimeout, ReplicaAck.OFF);
    }

    /**
     * The first node, the one single-node implementations use.
     *
     * @return the first node's URI
     * @throws IllegalArgumentException when the node is a Redis Cluster ({@code redis-cluster://}): a whole
     *     cluster is not one server, and an implementation that reads one node cannot run on it
     */
    public URI firstNode() {
        URI first = nodes.get(0);
        if (ClusterAddress.isCluster(first)) {
            throw new IllegalArgumentException("nodes: " + first + " is a Redis Cluster, and this implementation"
                    + " needs one server (redis://host:port or redis-sentinel://); only implementations that declare"
                    + " Capability.CLUSTER run on a cluster");
        }
        return first;
    }

    /**
     * The Redis Cluster these settings name, if they do.
     *
     * @return the parsed {@code redis-cluster://} node, or empty for servers and Sentinel nodes
     */
    public Optional<ClusterAddress> cluster() {
        URI first = nodes.get(0);
        return ClusterAddress.isCluster(first) ? Optional.of(ClusterAddress.parse(first)) : Optional.empty();
    }

    /**
     * Where a cluster client starts: the seeds of a {@code redis-cluster://} node, or else every node, each
     * taken as one of the cluster's servers (how a service built for a cluster by its own factory, such as
     * {@code JedisLockService.cluster}, reads plain {@code redis://} nodes).
     *
     * @return {@code redis://host:port} of each seed
     * @throws IllegalArgumentException when a node is a Sentinel node: a cluster is reached through its own nodes
     */
    public List<URI> clusterSeeds() {
        Optional<ClusterAddress> cluster = cluster();
        if (cluster.isPresent()) {
            return cluster.get().seedUris();
        }
        requireNoSentinel("cluster", "a cluster is reached through its own nodes");
        return nodes;
    }

    /**
     * Refuses a Redis Cluster node, for an implementation that needs independent servers.
     *
     * @param implementation the implementation's name, for the message
     * @param why why it cannot run on a cluster
     * @throws IllegalArgumentException when the node is a {@code redis-cluster://} URI
     */
    public void requireNoCluster(String implementation, String why) {
        if (cluster().isPresent()) {
            throw new IllegalArgumentException(implementation + ": a redis-cluster:// node is not supported (" + why
                    + "), got " + nodes.get(0));
        }
    }

    /**
     * Refuses Sentinel nodes, for an implementation that needs plain servers.
     *
     * @param implementation the implementation's name, for the message
     * @param why why it needs plain servers
     * @throws IllegalArgumentException when any node is a {@code redis-sentinel://} URI
     */
    public void requireNoSentinel(String implementation, String why) {
        for (URI node : nodes) {
            if (SentinelAddress.isSentinel(node)) {
                throw new IllegalArgumentException(implementation + ": a redis-sentinel:// node is not supported ("
                        + why + "), got " + node);
            }
        }
    }

    /**
     * A node's address as error messages name it.
     *
     * @param node a node URI
     * @return {@code host:port}, {@code mastername@host:port,...} for a Sentinel node, or
     *     {@code cluster@host:port,...} for a cluster
     */
    public static String address(URI node) {
        if (SentinelAddress.isSentinel(node)) {
            return SentinelAddress.parse(node).toString();
        }
        if (ClusterAddress.isCluster(node)) {
            return ClusterAddress.parse(node).toString();
        }
        return node.getHost() + ":" + node.getPort();
    }
}
