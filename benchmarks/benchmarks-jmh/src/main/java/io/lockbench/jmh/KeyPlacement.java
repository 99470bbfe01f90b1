package io.lockbench.jmh;

import io.lockbench.fixture.ClusterSlots;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Names benchmark keys so that they land on a chosen server of the run. On independent servers every name
 * stays as it is (a single-node implementation uses the first server). On a Redis Cluster a name gets the
 * shortest suffix {@code ~n} that puts the Redis key holding it in a slot of the chosen master: the contended
 * benchmark spreads its keys over the masters round-robin, and the baseline's plain connection to the first
 * master writes only keys that master serves.
 */
final class KeyPlacement {

    /** Enough tries for any master that serves at least 1/1000 of the slots to be found with certainty. */
    private static final int MAX_SUFFIX = 1_000_000;

    private final List<URI> servers;
    /** For each slot, the index in {@link #servers} of the master serving it; null for independent servers. */
    private final int[] owners;

    private KeyPlacement(List<URI> servers, int[] owners) {
        this.servers = servers;
        this.owners = owners;
    }

    /**
     * The placement for the runner's servers; reads a cluster's slot map from its first master.
     *
     * @param endpoints where the servers are
     * @return the placement
     * @throws IllegalStateException when a cluster master of the endpoints serves no slot in the slot map
     */
    static KeyPlacement of(Endpoints endpoints) {
        if (!endpoints.cluster()) {
            return new KeyPlacement(endpoints.direct(), null);
        }
        ClusterSlots slots = ClusterSlots.read(endpoints.direct().get(0));
        int[] owners = new int[ClusterSlots.SLOTS];
        for (int slot = 0; slot < owners.length; slot++) {
            int owner = slots.ownerOf(slot);
            owners[slot] = owner < 0 ? -1 : endpoints.direct().indexOf(slots.masters().get(owner));
        }
        return new KeyPlacement(endpoints.direct(), owners);
    }

    /**
     * How many servers keys can be spread over: a cluster's masters, or 1 on independent servers (where a
     * single-node implementation has only the first).
     *
     * @return the count
     */
    int servers() {
        return owners == null ? 1 : servers.size();
    }

    /**
     * A name for a key that lands on a chosen server.
     *
     * @param name the key's name, without braces
     * @param server 0 to {@link #servers()} - 1
     * @param redisKey the Redis key that holds a lock of that name (such as {@code lock:{name}}); its slot decides
     * @return {@code name} on independent servers; on a cluster {@code name} or {@code name~n}, whose Redis key
     *     is in a slot of master {@code server}
     * @throws IllegalStateException when no suffix lands there (the master serves almost no slot)
     */
    String on(int server, String name, UnaryOperator<String> redisKey) {
        if (owners == null) {
            return name;
        }
        for (int suffix = 0; suffix < MAX_SUFFIX; suffix++) {
            String candidate = suffix == 0 ? name : name + "~" + suffix;
            if (owners[JedisClusterCRC16.getSlot(redisKey.apply(candidate))] == server) {
                return candidate;
            }
        }
        throw new IllegalStateException("no name like " + name + "~n lands on " + servers.get(server)
                + " after " + MAX_SUFFIX + " tries: it serves almost no slot");
    }
}
