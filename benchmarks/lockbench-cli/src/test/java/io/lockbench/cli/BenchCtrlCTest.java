package io.lockbench.cli;

import io.lockbench.report.Report;
import io.lockbench.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C during {@code lockbench bench}, for real: a separate JVM gets SIGINT as the last of three steps starts
 * (the PING baseline and the uncontended cycle at 1 thread have finished), writes and prints the summary of
 * those two, leaves no file of the step it was in, and leaves no Redis server or benchmark JVM behind.
 */
class BenchCtrlCTest {

    @Test
    void ctrlCWritesTheStepsThatFinishedAndStopsEverything(@TempDir Path dir) throws Exception {
        CliProcess.assumeSigintReachesChildren();
        Path out = dir.resolve("out");
        CliProcess run = CliProcess.start(dir, Map.of(), "bench", "--quick", "--only", "uncontended", "--threads",
                "1,2", "--impl", "jedis", "--rtt", "0", "--no-pin", "--redis", "embedded", "--out", out.toString());
        List<ProcessHandle> children;
        List<String> commands;
        try {
            // The last case: [n/n] (the baseline's PING and hand-written lock, then the uncontended steps).
            run.awaitLine(line -> line.matches("\\[(\\d+)/\\1] .*"));
            // The step's benchmark JVM, which JMH forks just after it announces the case.
            Await.until(Duration.ofSeconds(20), () -> run.process().children().anyMatch(BenchCtrlCTest::isJava),
                    "the benchmark JVM of the last case");
            children = run.process().descendants().toList();
            commands = children.stream().map(child -> child.info().command().orElse("?")).toList();
            run.interrupt();
            int code = run.awaitExit(60);

            assertThat(code).as(run.stderr()).isEqualTo(130);
        } finally {
            run.destroy();
        }

        assertThat(run.stderr()).contains("Stopped: writing the summary of the 3 of 4 steps that finished")
                .doesNotContain("Exception");
        assertThat(run.stdout()).contains("# lockbench run ").contains("jedis").contains("stopped after");
        Path runDir;
        try (Stream<Path> dirs = Files.list(out)) {
            runDir = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        List<Path> raw;
        try (Stream<Path> files = Files.list(runDir.resolve(Report.RAW))) {
            raw = files.sorted().toList();
        }
        assertThat(raw).extracting(file -> file.getFileName().toString()).hasSize(3)
                .anyMatch(name -> name.startsWith("baseline-ping")).anyMatch(name -> name.startsWith("baseline-lockCycle"))
                .anyMatch(name -> name.startsWith("uncontended")
                        && name.contains("-t1-"));
        for (Path file : raw) {
            assertThat(Files.size(file)).as(file.toString()).isPositive();
        }
        assertThat(runDir.resolve(Report.SUMMARY_MD)).content().contains("jedis");
        assertThat(commands).as("the run's servers and benchmark JVM").anyMatch(command -> command.endsWith("/java"))
                .anyMatch(command -> command.contains("redis-server"));
        for (ProcessHandle child : children) {
            assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("process %s", child.pid()).isFalse();
        }
    }

    private static boolean isJava(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("/java")).orElse(false);
    }
}
