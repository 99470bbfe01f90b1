package io.lockbench.jmh;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the commands Redis servers have executed, from {@code INFO commandstats}: every command a client
 * sent and every command a Lua script called. The {@code INFO} calls that do the counting are left out. One
 * connection per server, opened up front so that its own handshake is never counted.
 */
final class RedisCommandCounter implements AutoCloseable {

    private static final JedisClientConfig CONFIG = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(2_000).socketTimeoutMillis(5_000).build();
    private static final String PREFIX = "cmdstat_";
    private static final String OWN_COMMAND = "cmdstat_info:";

    private final List<Jedis> connections = new ArrayList<>();

    RedisCommandCounter(List<URI> servers) {
        try {
            for (URI server : servers) {
                connections.add(new Jedis(server, CONFIG));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The total so far, summed over the servers. */
    long total() {
        long total = 0;
        for (Jedis jedis : connections) {
            total += sum(jedis.info("commandstats"));
        }
        return total;
    }

    /** Sums {@code calls=} over the {@code cmdstat_<name>:calls=N,usec=...} lines, {@code INFO} excluded. */
    static long sum(String commandstats) {
        long total = 0;
        for (String line : commandstats.split("\r?\n")) {
            if (!line.startsWith(PREFIX) || line.startsWith(OWN_COMMAND)) {
                continue;
            }
            int calls = line.indexOf("calls=");
            if (calls < 0) {
                continue;
            }
            int end = line.indexOf(',', calls);
            total += Long.parseLong(line.substring(calls + "calls=".length(), end < 0 ? line.length() : end));
        }
        return total;
    }

    @Override
    public void close() {
        connections.forEach(Jedis::close);
        connections.clear();
    }
}
