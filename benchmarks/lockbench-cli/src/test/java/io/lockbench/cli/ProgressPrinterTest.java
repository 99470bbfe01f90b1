package io.lockbench.cli;

import io.lockbench.report.StepNoise;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressPrinterTest {

    @Test
    void aStepEndsWithItsNoiseAndALinePerCaseToDoubtSayingWhy() {
        StepNoise quiet = noise("jedis", 61_500, 63_000, 0.68);
        StepNoise drifted = noise("lettuce", 61_500, 84_900, 2.61);
        StringWriter out = new StringWriter();

        new ProgressPrinter(new PrintWriter(out)).stepNoise(List.of(quiet, drifted));

        assertThat(out.toString().lines()).containsExactly(
                "    noise: 2 cases, PING drift +2% to +38%, load <= 2.6 on 2 CPUs, steal <= 0.0 %; 1 flagged:",
                "    ! uncontended t=1 lettuce: rtt +38%, load 2.6/2 (PING 61.5 -> 84.9 µs)");
        assertThat(out.toString().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
    }

    @Test
    void aStepWithoutNoiseRecordsPrintsNothing() {
        StringWriter out = new StringWriter();

        new ProgressPrinter(new PrintWriter(out)).stepNoise(List.of());

        assertThat(out.toString()).isEmpty();
    }

    private static StepNoise noise(String impl, double pingStart, double pingEnd, double load) {
        return new StepNoise("io.lockbench.jmh.UncontendedBenchmark.cycle", "sample", 1,
                Map.of("impl", impl, "rtt", "0"), impl, pingStart, pingEnd, 0.5, load, 0, 2);
    }
}
