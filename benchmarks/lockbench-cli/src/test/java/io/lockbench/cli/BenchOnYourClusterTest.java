package io.lockbench.cli;

import io.lockbench.fixture.RedisCluster;
import io.lockbench.fixture.RedisNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lockbench bench --redis redis-cluster://...} on a Redis Cluster that is not its own (one this test starts):
 * the plan names what is skipped and why, the run locks on every master, and it leaves no key behind on any of
 * them, fencing counters included. The cluster keeps running.
 */
class BenchOnYourClusterTest {

    @Test
    void aClusterRunSpreadsItsKeysAndDeletesThemAll(@TempDir Path dir) throws Exception {
        try (RedisCluster yours = RedisCluster.start(3)) {
            CliProcess run = CliProcess.start(dir, Map.of(), "bench", "--quick", "--only", "contended", "--keys", "3",
                    "--impl", "jedis,redlock", "--no-pin", "--redis", yours.clusterUri().toString(), "--out",
                    dir.resolve("out").toString());
            int code;
            try {
                code = run.awaitExit(150);
            } finally {
                run.destroy();
            }

            assertThat(code).as(run.stderr()).isZero();
            assertThat(run.stderr()).contains("Connecting to the Redis Cluster")
                    .contains("skipped redlock: not on a Redis Cluster");
            for (RedisNode master : yours.masters()) {
                assertThat(master.<Long>call(jedis -> jedis.dbSize())).as("keys left on %s", master).isZero();
                assertThat(master.<String>call(jedis -> jedis.info("commandstats"))).as("locks on %s", master)
                        .contains("cmdstat_evalsha");
            }
            try (var runs = Files.list(dir.resolve("out"))) {
                Path env = runs.findFirst().orElseThrow().resolve("env.json");
                assertThat(Files.readString(env)).contains("\"topology\": \"Redis Cluster, 3 masters\"");
            }
        }
    }
}
