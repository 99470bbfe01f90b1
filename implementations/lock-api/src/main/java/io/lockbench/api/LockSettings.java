package io.lockbench.api;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How a {@link LockService} reaches its Redis servers. Immutable; the {@code with...} methods return copies.
 *
 * <p>Single-node implementations use the first node; quorum implementations (Redlock) use all of them.
 *
 * @param nodes the servers, each {@code redis://host:port}; at least one
 * @param commandTimeout how long one command (and a connection attempt) may take before it counts as failed
 */
public record LockSettings(List<URI> nodes, Duration commandTimeout) {

    /** The command timeout a service gets unless told otherwise. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** The longest command timeout accepted: every client library takes it as an int of milliseconds or less. */
    public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofHours(1);

    /**
     * @throws IllegalArgumentException when {@code nodes} is null, empty or holds something other than
     *     {@code redis://host:port}, or the timeout is not between 1 ms and {@link #MAX_COMMAND_TIMEOUT}
     */
    public LockSettings {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes: at least one redis://host:port is needed");
        }
        for (URI node : nodes) {
            if (node == null || !"redis".equals(node.getScheme()) || node.getHost() == null || node.getPort() <= 0) {
                throw new IllegalArgumentException("nodes: expected redis://host:port, got " + node);
            }
        }
        nodes = List.copyOf(nodes);
        if (commandTimeout == null || commandTimeout.compareTo(Duration.ofMillis(1)) < 0
                || commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
            throw new IllegalArgumentException("commandTimeout: must be between 1 ms and " + MAX_COMMAND_TIMEOUT
                    + ", got " + commandTimeout);
        }
    }

    /**
     * Settings for these nodes with the default command timeout.
     *
     * @param nodes the servers, each {@code redis://host:port}
     * @return the settings
     */
    public static LockSettings of(List<URI> nodes) {
        return new LockSettings(nodes, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * Settings for these nodes with the default command timeout.
     *
     * @param nodes the servers, each {@code redis://host:port}
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
     * @param timeout positive
     * @return the new settings
     */
    public LockSettings withCommandTimeout(Duration timeout) {
        return new LockSettings(nodes, timeout);
    }

    /**
     * The first node, the one single-node implementations use.
     *
     * @return the first node's URI
     */
    public URI firstNode() {
        return nodes.get(0);
    }

    /**
     * A node's address as error messages name it.
     *
     * @param node a node URI
     * @return {@code host:port}
     */
    public static String address(URI node) {
        return node.getHost() + ":" + node.getPort();
    }
}
