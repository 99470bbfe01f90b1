package io.lockbench.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Loopback ports nobody listens on right now. Another process may take one before our server binds it,
 * so callers retry on "address already in use".
 */
final class FreePorts {

    static final String LOOPBACK = "127.0.0.1";

    /** Redis Cluster listens on port + 10000 for its bus (6.2 has no cluster-port setting). */
    static final int CLUSTER_BUS_OFFSET = 10000;

    private static final int CLUSTER_ATTEMPTS = 100;

    private FreePorts() {
    }

    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + LOOPBACK, e);
        }
    }

    /** A free port whose cluster bus port (port + 10000) is free as well. */
    static int pickWithClusterBus() {
        for (int attempt = 0; attempt < CLUSTER_ATTEMPTS; attempt++) {
            int port = pick();
            if (port + CLUSTER_BUS_OFFSET <= 65535 && isFree(port + CLUSTER_BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port p on " + LOOPBACK + " with p + " + CLUSTER_BUS_OFFSET
            + " free as well after " + CLUSTER_ATTEMPTS + " attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
