package io.lockbench.cli;

import io.lockbench.chaos.SafetyCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C during {@code lockbench chaos}, for real: a separate JVM gets SIGINT while its second cell runs, writes
 * the cell that finished, prints the matrix so far and leaves no Redis server behind.
 */
class CtrlCTest {

    @Test
    void ctrlCWritesTheCellsThatFinishedAndStopsTheServers(@TempDir Path out) throws Exception {
        CliProcess.assumeSigintReachesChildren();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process run = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "chaos", "--impl", "jedis", "--fault", "ambiguous-acquire,server-pause",
                "--sections", "20", "--out", out.toString())
                .redirectOutput(out.resolve("stdout.txt").toFile())
                .start();
        List<ProcessHandle> servers;
        StringBuilder stderr = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(run.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("[2/2]")) {
                stderr.append(line).append('\n');
            }
            assertThat(line).as("the second cell started; stderr so far:%n%s", stderr).isNotNull();
            servers = run.descendants().filter(p -> p.info().command().orElse("").contains("redis")).toList();
            new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).inheritIO().start().waitFor();
            lines.lines().forEach(rest -> stderr.append(rest).append('\n'));
        }
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exited within a minute of Ctrl-C").isTrue();

        assertThat(run.exitValue()).as(stderr.toString()).isEqualTo(130);
        assertThat(stderr.toString()).contains("Stopped: writing the 1 cells that finished");
        assertThat(stderr.toString()).doesNotContain("Exception");
        // The row of the cell that finished; what it found is the fault's business, not Ctrl-C's.
        assertThat(Files.readString(out.resolve("stdout.txt"))).containsPattern("\\| jedis \\| [^|]+ \\|")
                .contains("stopped after");
        Path runDir;
        try (Stream<Path> dirs = Files.list(out)) {
            runDir = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        List<String> csv = Files.readAllLines(runDir.resolve("safety.csv"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0)).isEqualTo(SafetyCsv.HEADER);
        assertThat(csv.get(1)).startsWith("jedis,ambiguous-acquire,");
        assertThat(servers).as("the run's Redis servers").isNotEmpty();
        for (ProcessHandle server : servers) {
            assertThat(server.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("server %s", server.pid()).isFalse();
        }
    }
}
