package io.lockbench.testkit;

import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the commands the suite's servers processed since this counter was made, as the servers count them
 * ({@code INFO commandstats}), leaving out the commands the counting itself and connection set-up cost
 * (INFO, HELLO, CLIENT, AUTH, PING, SELECT). Proves what a test claims about traffic, such as a waiter that
 * does not spin, without timing anything.
 */
public final class ServerCommands {

    private static final Pattern CALLS = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+)", Pattern.MULTILINE);
    private static final Set<String> OWN = Set.of("info", "hello", "client", "auth", "ping", "select");

    private final List<RedisNode> nodes;
    private final long start;

    /**
     * @param nodes the servers to count on
     */
    public ServerCommands(RedisNodes nodes) {
        this.nodes = nodes.nodes();
        this.start = total();
    }

    /** @return the commands processed since this counter was made, summed over the servers */
    public long sinceStart() {
        return total() - start;
    }

    private long total() {
        long sum = 0;
        for (RedisNode node : nodes) {
            Matcher calls = CALLS.matcher(node.call(jedis -> jedis.info("commandstats")));
            while (calls.find()) {
                if (!OWN.contains(calls.group(1).split("\\|")[0])) {
                    sum += Long.parseLong(calls.group(2));
                }
            }
        }
        return sum;
    }
}
