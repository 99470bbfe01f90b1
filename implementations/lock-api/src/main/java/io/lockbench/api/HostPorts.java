package io.lockbench.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The comma-separated {@code host:port} list in the authority of a multi-server node URI
 * ({@code redis-sentinel://}, {@code redis-cluster://}), checked and split. Written by hand because {@link URI}
 * reads such an authority as registry-based and gives no host or port; a bracketed IPv6 literal
 * ({@code [::1]:6379}) is understood.
 */
final class HostPorts {

    private HostPorts() {
    }

    /**
     * The servers a node URI lists.
     *
     * @param node the URI
     * @param role what each server is, for messages: {@code Sentinel}, {@code cluster node}
     * @return each {@code host:port}, in the order given
     * @throws IllegalArgumentException when there is none, one is empty (a stray comma) or not host:port
     */
    static List<String> split(URI node, String role) {
        String authority = node.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("no " + role + " host:port in " + node);
        }
        List<String> servers = new ArrayList<>();
        for (String part : authority.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("an empty " + role + " address (stray comma) in " + node);
            }
            check(part, role, node.toString());
            servers.add(part);
        }
        return servers;
    }

    /**
     * Checks one {@code host:port}.
     *
     * @param server the text
     * @param role what it is, for the message
     * @param where what it came from, for the message
     * @throws IllegalArgumentException when it is not host:port with a port from 1 to 65535, or an IPv6 host
     *     lacks brackets
     */
    static void check(String server, String role, String where) {
        int colon = server == null ? -1 : server.lastIndexOf(':');
        if (colon <= 0 || server.startsWith("[") != server.substring(0, colon).endsWith("]")
                || server.substring(0, colon).isBlank()) {
            throw new IllegalArgumentException("expected host:port for each " + role + ", got '" + server + "' in "
                    + where);
        }
        String host = server.substring(0, colon);
        if (!host.startsWith("[") && host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 " + role + " host needs brackets ([::1]:6379), got '"
                    + server + "' in " + where);
        }
        String port = server.substring(colon + 1);
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 1 || number > 65_535 || !port.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad port '" + port + "' for " + role + " '" + server
                    + "' (1 to 65535) in " + where);
        }
    }

    /** The host of a checked {@code host:port}, without brackets for IPv6. */
    static String host(String server) {
        int colon = server.lastIndexOf(':');
        String host = server.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of a checked {@code host:port}. */
    static int port(String server) {
        return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    }
}
