package io.lockbench.ttl;

import io.lockbench.report.BenchResult;
import io.lockbench.report.JmhJson;
import io.lockbench.report.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyAndRunTest {

    @Test
    void aLatencyCountsEachBandAtItsUpperEnd() {
        Latency latency = Latency.fromPercentiles(Map.of(0.0, 0.1, 50.0, 1.0, 99.0, 5.0, 100.0, 9.0), "cycle");

        assertThat(latency.exceedance(0.5)).isCloseTo(1.0, within(1e-12));
        assertThat(latency.exceedance(1.0)).isCloseTo(0.5, within(1e-12));
        assertThat(latency.exceedance(5.0)).isCloseTo(0.01, within(1e-12));
        assertThat(latency.exceedance(9.0)).isZero();
        assertThat(latency.quantile(0.999)).isEqualTo(9.0);
    }

    @Test
    void readsTheCycleAndExtendOfOneImplementationFromARunPreferringTheSlowestNetwork(@TempDir Path run)
            throws IOException {
        Files.createDirectories(run.resolve("raw"));
        JmhJson.write(run.resolve("raw/uncontended.json"), List.of(
                sample("io.lockbench.jmh.UncontendedBenchmark.cycle", "jedis", "0", 100),
                sample("io.lockbench.jmh.UncontendedBenchmark.cycle", "jedis", "500us", 1000),
                sample("io.lockbench.jmh.UncontendedBenchmark.cycle", "lettuce", "0", 300)));
        JmhJson.write(run.resolve("raw/extend.json"), List.of(
                sample("io.lockbench.jmh.ExtendBenchmark.extend", "lettuce", "0", 200)));

        RunLatencies jedis = RunLatencies.read(run, "jedis");
        assertThat(jedis.cycle().quantile(0.5)).isEqualTo(1.0);
        assertThat(jedis.cycle().quantile(1)).isEqualTo(4.0);
        assertThat(jedis.extend().isNone()).isTrue();
        assertThat(jedis.notes()).anySatisfy(note -> assertThat(note)
                .contains("extend: no ExtendBenchmark.extend sample-time result for 'jedis'", "found: lettuce"));

        assertThat(RunLatencies.read(run, "lettuce").extend().quantile(0.5)).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void aRunWithoutRawResultsSaysSoAndCountsZero(@TempDir Path run) {
        RunLatencies none = RunLatencies.read(run, "jedis");

        assertThat(none.cycle().isNone()).isTrue();
        assertThat(none.notes()).singleElement().asString().contains("has no raw/ directory");
    }

    @Test
    void drawsBothChartsAsPngsOfTheExpectedSize(@TempDir Path dir) throws IOException {
        TtlAdvisor advisor = new TtlAdvisor(new TtlQuestion(HoldTime.parse("p50=20ms,p99=200ms,p999=800ms"), 500,
                1e-6, Latency.none(), Latency.none()));
        List<Path> charts = TtlCharts.write(advisor, advisor.advise(), "none", dir.resolve("charts"));

        assertThat(charts).extracting(path -> path.getFileName().toString())
                .containsExactly(TtlCharts.RISK_FILE, TtlCharts.RECOVERY_FILE);
        for (Path chart : charts) {
            BufferedImage image = ImageIO.read(chart.toFile());
            assertThat(image.getWidth()).isEqualTo(TtlCharts.WIDTH);
            assertThat(image.getHeight()).isEqualTo(TtlCharts.HEIGHT);
        }
    }

    /** A sample-time record whose percentiles (in µs) are median, 2x, 4x the median. */
    private static BenchResult sample(String benchmark, String impl, String rtt, double medianMicros) {
        Metric metric = new Metric(medianMicros, Double.NaN, "us/op", Map.of("0.0", medianMicros / 2,
                "50.0", medianMicros, "99.0", 2 * medianMicros, "100.0", 4 * medianMicros));
        return new BenchResult(benchmark, BenchResult.SAMPLE_TIME, 1, Map.of("impl", impl, "rtt", rtt), metric,
                Map.of());
    }
}
