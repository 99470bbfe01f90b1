package io.lockbench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JmhJsonTest {

    /** A record as JMH 1.37 writes it, shortened; the error is the string "NaN" with one iteration. */
    private static final String JMH_OUTPUT = """
            [
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "io.lockbench.jmh.ContendedBenchmark.cycle",
                    "mode" : "sample",
                    "threads" : 4,
                    "forks" : 1,
                    "jvmArgs" : [ "-Xmx512m" ],
                    "params" : { "hold" : "100us", "impl" : "jedis", "keys" : "1", "rtt" : "0" },
                    "primaryMetric" : {
                        "score" : 812.5,
                        "scoreError" : "NaN",
                        "scoreConfidence" : [ "NaN", "NaN" ],
                        "scorePercentiles" : { "0.0" : 120.0, "50.0" : 700.0, "99.0" : 2100.0, "99.9" : 5000.0 },
                        "scoreUnit" : "us/op",
                        "rawDataHistogram" : [ [ [ [ 120.0, 1 ] ] ] ]
                    },
                    "secondaryMetrics" : {
                        "acquired" : { "score" : 4900.0, "scoreError" : "NaN", "scorePercentiles" : { }, "scoreUnit" : "#",
                                       "rawData" : [ [ 2400.0, 2500.0 ] ] }
                    }
                }
            ]
            """;

    @Test
    void readsWhatJmhWrites(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("contended.json"), JMH_OUTPUT);

        BenchResult result = JmhJson.read(file).get(0);

        assertThat(result.shortName()).isEqualTo("ContendedBenchmark.cycle");
        assertThat(result.className()).isEqualTo("ContendedBenchmark");
        assertThat(result.mode()).isEqualTo(BenchResult.SAMPLE_TIME);
        assertThat(result.threads()).isEqualTo(4);
        assertThat(result.params()).containsEntry("impl", "jedis").containsEntry("keys", "1");
        assertThat(result.primary().score()).isEqualTo(812.5);
        assertThat(result.primary().scoreError()).isNaN();
        assertThat(result.primary().percentile(99.9)).isEqualTo(5000.0);
        assertThat(result.primary().percentile(99.99)).isNaN();
        assertThat(result.secondary("acquired").orElseThrow().score()).isEqualTo(4900.0);
        assertThat(result.secondary("acquired").orElseThrow().iterations()).containsExactly(2400.0, 2500.0);
        assertThat(result.secondary("acquired").orElseThrow().iterationMean()).isEqualTo(2450.0);
    }

    @Test
    void writesWhatItReads(@TempDir Path dir) {
        BenchResult result = new BenchResult("io.lockbench.jmh.OpenLoop.acquireRelease", BenchResult.SAMPLE_TIME, 16,
                Map.of("impl", "jedis", "rate", "2000", "rtt", "0"),
                new Metric(250.0, Double.NaN, "us/op", Map.of("50.0", 200.0, "99.9", 4_000.0)),
                Map.of("achievedRate", Metric.of(1_990, "ops/s"),
                        "abandoned", new Metric(3, Double.NaN, "#", Map.of(), List.of(1.0, 2.0))));
        Path file = dir.resolve("open-loop.json");

        JmhJson.write(file, List.of(result));

        assertThat(JmhJson.readDirectory(dir)).containsExactly(result);
    }

    @Test
    void namesAFileThatIsNotJmhJson(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("broken.json"), "{\"not\": \"an array\"}");
        assertThatThrownBy(() -> JmhJson.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.json");
    }

    @Test
    void percentileKeysAreJmhs() {
        assertThat(Metric.percentileKey(50)).isEqualTo("50.0");
        assertThat(Metric.percentileKey(99.9)).isEqualTo("99.9");
        assertThat(Metric.percentileKey(99.99)).isEqualTo("99.99");
        assertThat(Metric.percentileKey(100)).isEqualTo("100.0");
        assertThat(Metric.percentileKey(0)).isEqualTo("0.0");
    }

    @Test
    void unitsConvert() {
        assertThat(Units.opsPerSecond(2, "ops/ms")).isEqualTo(2_000);
        assertThat(Units.micros(3, "ms/op")).isEqualTo(3_000);
        assertThatThrownBy(() -> Units.micros(3, "ops/s")).isInstanceOf(IllegalArgumentException.class);
    }
}
