package io.lockbench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RunLatenciesTest {

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

    /** A sample-time record whose percentiles (in µs) are median, 2x, 4x the median. */
    private static BenchResult sample(String benchmark, String impl, String rtt, double medianMicros) {
        Metric metric = new Metric(medianMicros, Double.NaN, "us/op", Map.of("0.0", medianMicros / 2,
                "50.0", medianMicros, "99.0", 2 * medianMicros, "100.0", 4 * medianMicros));
        return new BenchResult(benchmark, BenchResult.SAMPLE_TIME, 1, Map.of("impl", impl, "rtt", rtt), metric,
                Map.of());
    }
}
