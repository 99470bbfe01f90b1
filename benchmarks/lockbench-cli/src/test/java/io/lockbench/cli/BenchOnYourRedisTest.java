package io.lockbench.cli;

import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lockbench bench --redis redis://...} on a server that is not its own (one this test starts) leaves no
 * key behind: not the benchmark keys, and not the fencing counters the implementations derive from them
 * ({@code lock:{K}:fence} of jedis, {@code redisson_lock_token:{K}} of redisson), which have no ttl.
 */
class BenchOnYourRedisTest {

    private static final Pattern CALLS = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)");

    @Test
    void aRunDeletesEveryKeyItMade(@TempDir Path dir) throws Exception {
        try (RedisNodes yours = RedisNodes.start(1)) {
            RedisNode server = yours.node(0);
            assertThat(server.<Long>call(jedis -> jedis.dbSize())).as("keys before").isZero();

            CliProcess run = CliProcess.start(dir, Map.of(), "bench", "--quick", "--only", "uncontended", "--impl",
                    "jedis,redisson", "--rtt", "0", "--no-pin", "--redis", server.uri().toString(), "--out",
                    dir.resolve("out").toString());
            int code;
            try {
                code = run.awaitExit(150);
            } finally {
                run.destroy();
            }

            assertThat(code).as(run.stderr()).isZero();
            Set<String> left = server.call(jedis -> jedis.keys("*"));
            assertThat(left).as("keys left").isEmpty();
            String commands = server.call(jedis -> jedis.info("commandstats"));
            assertThat(calls(commands, "unlink")).as("UNLINKs of the run's keys at its end; %s", commands)
                    .isPositive();
        }
    }

    private static long calls(String commandStats, String command) {
        Matcher matcher = CALLS.matcher(commandStats);
        while (matcher.find()) {
            if (matcher.group(1).equals(command)) {
                return Long.parseLong(matcher.group(2));
            }
        }
        return 0;
    }
}
