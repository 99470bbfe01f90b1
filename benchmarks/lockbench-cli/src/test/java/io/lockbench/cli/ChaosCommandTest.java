package io.lockbench.cli;

import io.lockbench.chaos.SafetyCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lockbench chaos}: parsing, and one tiny real run (one implementation, one fault). */
class ChaosCommandTest {

    @Test
    void aTinyRunWritesTheFilesAndPrintsTheMatrix(@TempDir Path out) throws IOException {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(stdout)).setErr(new PrintWriter(stderr)).execute(
                "chaos", "--impl", "jedis", "--fault", "ambiguous-acquire", "--sections", "20", "--out",
                out.toString());

        assertThat(code).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("[1/1] jedis x ambiguous-acquire");
        assertThat(stderr.toString().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(
                ChaosSession.WIDTH));
        assertThat(stdout.toString()).contains("| impl | ambiguous-acquire |").contains("| jedis | 0 violations |");
        Path runDir;
        try (Stream<Path> dirs = Files.list(out)) {
            runDir = dirs.findFirst().orElseThrow();
        }
        List<String> csv = Files.readAllLines(runDir.resolve("safety.csv"));
        assertThat(csv.get(0)).isEqualTo(SafetyCsv.HEADER);
        assertThat(csv).hasSize(2);
        assertThat(csv.get(1)).startsWith("jedis,ambiguous-acquire,");
        assertThat(runDir.resolve("safety.json")).exists();
        assertThat(runDir.resolve("safety.md")).exists();
        assertThat(runDir.resolve("env.json")).exists();
    }

    @Test
    void badCommandLinesExitWithTwoAndSayWhy() {
        assertExitTwo("--fault: no fault called 'meteor'", "chaos", "--fault", "meteor");
        assertExitTwo("--impl: no implementation called 'nope'", "chaos", "--impl", "nope");
        assertExitTwo("--sections: at least 1", "chaos", "--sections", "0");
        assertExitTwo("chaos kills, pauses and restarts its servers", "chaos", "--redis", "redis://127.0.0.1:6379");
    }

    @Test
    void helpListsTheFaults() {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("chaos", "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--quick", "--impl", "--fault", "--sections", "--redis", "client-pause",
                "waiter-kill", "clock-jump", "lockbench chaos --quick");
    }

    private static void assertExitTwo(String message, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
                .execute(args);
        assertThat(code).as("exit code of %s", List.of(args)).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }
}
