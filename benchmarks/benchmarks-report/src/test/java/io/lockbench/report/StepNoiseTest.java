package io.lockbench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StepNoiseTest {

    private static final String CYCLE = "io.lockbench.jmh.UncontendedBenchmark.cycle";
    private static final Map<String, String> PARAMS = Map.of("impl", "lettuce", "rtt", "0");

    @Test
    void aQuietCaseHasNoFlags() {
        assertThat(noise(61_500, 63_000, 0.68, 0.59, 0.0002, 2).flags()).isEmpty();
    }

    @Test
    void aRoundTripThatDriftedMoreThanAQuarterEitherWayIsFlagged() {
        assertThat(noise(61_500, 84_900, 0.68, 0.59, 0, 2).flags()).containsExactly("rtt +38%");
        assertThat(noise(100_000, 70_000, 0.68, 0.59, 0, 2).flags()).containsExactly("rtt -30%");
        assertThat(noise(80_000, 100_000, 0.68, 0.59, 0, 2).flags()).as("exactly 25 %").isEmpty();
    }

    @Test
    void loadAboveTheCpusAtEitherEndAndStealAboveFivePercentAreFlagged() {
        assertThat(noise(61_500, 63_000, 3.14, 1.2, 0, 2).flags()).containsExactly("load 3.1/2");
        assertThat(noise(61_500, 63_000, 1.2, 2.5, 0, 2).flags()).containsExactly("load 2.5/2");
        assertThat(noise(61_500, 63_000, 2.0, 2.0, 0, 2).flags()).as("load equal to the cpus").isEmpty();
        assertThat(noise(61_500, 63_000, 0.5, 0.5, 0.07, 2).flags()).containsExactly("steal 7%");
        assertThat(noise(61_500, 200_000, 4.0, 4.0, 0.2, 2).flags()).containsExactly("rtt +225%", "load 4.0/2",
                "steal 20%");
    }

    @Test
    void aCasesOwnThreadsAndRedisAreNotOtherLoad() {
        StepNoise fourThreads = new StepNoise(CYCLE, "sample", 4, PARAMS, "lettuce", 61_500, 63_000, 2.8, 2.6, 0, 2);
        StepNoise beside = new StepNoise(CYCLE, "sample", 4, PARAMS, "lettuce", 61_500, 63_000, 5.3, 4.0, 0, 2);

        assertThat(fourThreads.ownLoad()).isEqualTo(5);
        assertThat(fourThreads.flags()).isEmpty();
        assertThat(beside.flags()).containsExactly("load 5.3/5");
    }

    @Test
    void whatCouldNotBeMeasuredIsNotFlagged() {
        assertThat(noise(Double.NaN, 63_000, Double.NaN, Double.NaN, Double.NaN, 0).flags()).isEmpty();
    }

    @Test
    void recordsSurviveTheFileAndAHalfWrittenLastLineIsSkipped(@TempDir Path run) throws IOException {
        Path file = StepNoise.file(run, "uncontended-sample-t1-rtt0");
        StepNoise quiet = noise(61_500, 63_000, 0.68, 0.59, 0.25, 2);
        StepNoise unmeasured = noise(Double.NaN, 84_900, Double.NaN, Double.NaN, Double.NaN, 0);
        quiet.append(file);
        unmeasured.append(file);
        Files.writeString(file, "{\"benchmark\":\"io.lockbench", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        List<StepNoise> read = StepNoise.readRun(run);

        assertThat(file).hasParent(run.resolve(StepNoise.DIRECTORY)).hasFileName("uncontended-sample-t1-rtt0.jsonl");
        assertThat(read).containsExactly(quiet, unmeasured);
        assertThat(StepNoise.readRun(run.resolve("elsewhere"))).isEmpty();
    }

    @Test
    void aRecordDescribesTheResultsOfItsCaseInEitherMode() {
        StepNoise record = noise(61_500, 63_000, 0.68, 0.59, 0, 2);

        assertThat(record.describes(Results.throughput("UncontendedBenchmark.cycle", 1, 1, PARAMS, Map.of())))
                .isTrue();
        assertThat(record.describes(Results.sample("UncontendedBenchmark.cycle", 1, 1, 1, 1, 1, PARAMS))).isTrue();
        assertThat(record.describes(Results.sample("UncontendedBenchmark.cycle", 4, 1, 1, 1, 1, PARAMS))).isFalse();
        assertThat(record.describes(Results.sample("UncontendedBenchmark.cycle", 1, 1, 1, 1, 1,
                Map.of("impl", "jedis", "rtt", "0")))).isFalse();
        assertThat(record.label()).isEqualTo("uncontended t=1 lettuce");
        assertThat(new StepNoise("io.lockbench.jmh.ContendedBenchmark.cycle", "sample", 4, Map.of("impl", "redlock",
                "keys", "16", "hold", "100us", "rtt", "500us"), "lettuce", 1, 1, 0, 0, 0, 2).label())
                .startsWith("contended t=4 ").contains(" redlock", " keys=16", " hold=100us").doesNotContain("rtt");
    }

    private static StepNoise noise(double pingStart, double pingEnd, double loadStart, double loadEnd, double steal,
                                   int cpus) {
        return new StepNoise(CYCLE, "sample", 1, PARAMS, "lettuce", pingStart, pingEnd, loadStart, loadEnd, steal,
                cpus);
    }
}
