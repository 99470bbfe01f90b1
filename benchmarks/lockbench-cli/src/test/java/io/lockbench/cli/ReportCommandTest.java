package io.lockbench.cli;

import io.lockbench.report.BenchResult;
import io.lockbench.report.JmhJson;
import io.lockbench.report.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryExitsWithTwoAndOneLine() {
        Result result = run("report", dir.resolve("no-such-run").toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().lines().toList()).singleElement().asString()
                .contains("no such directory: " + dir.resolve("no-such-run"), "--help");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void noRunDirectoryExitsWithTwoAndOneLine() {
        Result result = run("report");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().lines().toList()).singleElement().asString().contains("RUN_DIR");
    }

    @Test
    void aDirectoryWithoutResultsExitsWithOneAndOneLineSayingWhatItExpected() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        Result result = run("report", empty.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines().toList()).singleElement().asString()
                .startsWith("lockbench report: no results in " + empty).contains("raw/*.json", "safety.json");
    }

    @Test
    void aRawFileThatIsNotJmhJsonExitsWithOneAndOneLineNamingIt() throws IOException {
        Path raw = Files.createDirectories(dir.resolve("run").resolve("raw"));
        Files.writeString(raw.resolve("broken.json"), "{\"not\": \"an array\"}", StandardCharsets.UTF_8);

        Result result = run("report", dir.resolve("run").toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines().toList()).singleElement().asString()
                .contains("broken.json is not a JMH JSON result file");
    }

    @Test
    void aRunWithResultsIsReportedPrintedAndExitsWithZero() throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run.resolve("raw"));
        JmhJson.write(run.resolve("raw").resolve("uncontended.json"), List.of(
                sample("BaselineBenchmark.ping", Map.of("client", "jedis", "rtt", "0"), 100),
                sample("UncontendedBenchmark.cycle", Map.of("impl", "jedis", "rtt", "0"), 250)));

        Result result = run("report", run.toString());

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("### uncontended, rtt 0", "| 1 | jedis");
        assertThat(result.err()).contains("Skipped safety heat map: no safety run given", "Wrote ");
        assertThat(run.resolve("summary.md")).exists();
        assertThat(run.resolve("summary.csv")).exists();
        assertThat(run.resolve("verdict.md")).exists();
        assertThat(run.resolve("charts").resolve("throughput-uncontended-rtt-0.png")).exists();
        assertThat(run.resolve("charts").resolve("ttl-risk-stories.png")).exists();
    }

    @Test
    void helpNamesTheFilesAndPublish() {
        Result result = run("report", "--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("summary.md", "summary.csv", "verdict.md", "--publish", "RUN_DIR");
    }

    private static BenchResult sample(String benchmark, Map<String, String> params, double meanMicros) {
        return new BenchResult("io.lockbench.jmh." + benchmark, BenchResult.SAMPLE_TIME, 1, params,
                new Metric(meanMicros, meanMicros / 10, "us/op", Map.of("50.0", meanMicros, "90.0", meanMicros * 2,
                        "99.0", meanMicros * 4, "99.9", meanMicros * 8, "100.0", meanMicros * 20)), Map.of());
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(out)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
