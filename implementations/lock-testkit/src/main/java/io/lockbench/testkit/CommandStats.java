package io.lockbench.testkit;

import io.lockbench.fixture.RedisNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Redis's per-command call counts (INFO commandstats) at one moment, and the commands a lock client sent
 * between two such moments. Where {@link ServerCommands} sums everything, this tells script calls from the
 * commands the scripts run, so a test can count a client's round trips per critical section.
 *
 * <p>Redis counts the commands a Lua script runs as well as the EVALSHA that ran it, so the commands our
 * scripts run inside are left out of the client's count; so are the connection's own commands.
 */
public record CommandStats(Map<String, Long> calls) {

    /** Commands of connection set-up, monitoring and pub/sub, not lock traffic. */
    private static final Set<String> HOUSEKEEPING = Set.of("info", "ping", "client", "hello", "command", "subscribe",
            "psubscribe", "unsubscribe", "punsubscribe", "select", "auth", "cluster", "config");
    /** What the lock scripts (lock-core's and fifo.lua) call; counted by Redis inside each script call. */
    private static final Set<String> INSIDE_SCRIPTS = Set.of("set", "get", "incr", "pttl", "del", "publish", "pexpire",
            "time", "lindex", "hget", "hdel", "lpop", "hset", "rpush", "lrem", "llen");

    /**
     * @param node the server
     * @return its command counts now
     */
    public static CommandStats of(RedisNode node) {
        String info = node.call(jedis -> jedis.info("commandstats"));
        Map<String, Long> calls = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':')).toLowerCase();
                int from = line.indexOf("calls=") + "calls=".length();
                int to = line.indexOf(',', from);
                calls.put(name, Long.parseLong(line.substring(from, to)));
            }
        }
        return new CommandStats(calls);
    }

    /**
     * @param before an earlier snapshot
     * @return commands a client sent in between: every command except housekeeping and those run inside scripts
     */
    public long clientCommandsSince(CommandStats before) {
        long total = 0;
        for (Map.Entry<String, Long> entry : calls.entrySet()) {
            String name = entry.getKey();
            String base = name.contains("|") ? name.substring(0, name.indexOf('|')) : name;
            if (!HOUSEKEEPING.contains(base) && !INSIDE_SCRIPTS.contains(base)) {
                total += entry.getValue() - before.calls.getOrDefault(name, 0L);
            }
        }
        return total;
    }

    /**
     * @param before an earlier snapshot
     * @return every command counted in between, script internals included, housekeeping not
     */
    public long allCommandsSince(CommandStats before) {
        long total = 0;
        for (Map.Entry<String, Long> entry : calls.entrySet()) {
            String name = entry.getKey();
            String base = name.contains("|") ? name.substring(0, name.indexOf('|')) : name;
            if (!HOUSEKEEPING.contains(base)) {
                total += entry.getValue() - before.calls.getOrDefault(name, 0L);
            }
        }
        return total;
    }

    /**
     * @param before an earlier snapshot
     * @param command a command name, lower case
     * @return its calls in between
     */
    public long callsSince(CommandStats before, String command) {
        return calls.getOrDefault(command, 0L) - before.calls.getOrDefault(command, 0L);
    }
}
