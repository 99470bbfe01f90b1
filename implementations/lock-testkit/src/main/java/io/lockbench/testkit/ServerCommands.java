package io.lockbench.testkit;

import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the commands each of the suite's servers processed since this counter was made, as the servers count
 * them ({@code INFO commandstats}: a script counts once, and each command it runs counts too), leaving out the
 * commands the counting itself and connection set-up cost (INFO, HELLO, CLIENT, AUTH, PING, SELECT). Proves
 * what a test claims about traffic, such as a waiter that does not spin, without timing anything.
 */
public final class ServerCommands {

    private static final Pattern CALLS = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+)", Pattern.MULTILINE);
    private static final Set<String> OWN = Set.of("info", "hello", "client", "auth", "ping", "select");

    private final List<RedisNode> nodes;
    private final long[] start;

    /**
     * @param nodes the servers to count on
     */
    public ServerCommands(RedisNodes nodes) {
        this.nodes = nodes.nodes();
        this.start = new long[this.nodes.size()];
        for (int i = 0; i < start.length; i++) {
            start[i] = processed(this.nodes.get(i));
        }
    }

    /** @return the most commands any one of the servers processed since this counter was made */
    public long mostOnOneServer() {
        long most = 0;
        for (int i = 0; i < start.length; i++) {
            most = Math.max(most, processed(nodes.get(i)) - start[i]);
        }
        return most;
    }

    private static long processed(RedisNode node) {
        long sum = 0;
        Matcher calls = CALLS.matcher(node.call(jedis -> jedis.info("commandstats")));
        while (calls.find()) {
            if (!OWN.contains(calls.group(1).split("\\|")[0])) {
                sum += Long.parseLong(calls.group(2));
            }
        }
        return sum;
    }
}
