package io.lockbench.ttl;

import org.junit.jupiter.api.Test;

import static io.lockbench.ttl.HoldTimeTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class DurationTextTest {

    @Test
    void readsEveryUnitAndDecimals() {
        assertThat(DurationText.parseMillis("x", "500ns")).isEqualTo(5e-4);
        assertThat(DurationText.parseMillis("x", "800us")).isEqualTo(0.8);
        assertThat(DurationText.parseMillis("x", "800µs")).isEqualTo(0.8);
        assertThat(DurationText.parseMillis("x", "20ms")).isEqualTo(20);
        assertThat(DurationText.parseMillis("x", "1.5 s")).isEqualTo(1500);
        assertThat(DurationText.parseMillis("x", "2min")).isEqualTo(120_000);
        assertThat(DurationText.parseMillis("x", "2h")).isEqualTo(7_200_000);
        assertThat(DurationText.parseMillis("x", "0")).isZero();
    }

    @Test
    void aBareNumberIsMillisecondsOnlyInASamplesFile() {
        assertThat(DurationText.parseSampleMillis("f:1", "12.5")).isEqualTo(12.5);
        assertProblem(() -> DurationText.parseMillis("--pause", "500"), TtlInputException.Problem.UNKNOWN_UNIT,
                "--pause: '500' has no unit");
    }

    @Test
    void refusesNegativeMalformedAndUnknown() {
        assertProblem(() -> DurationText.parseMillis("--pause", "-5ms"), TtlInputException.Problem.NEGATIVE,
                "--pause: must not be negative");
        assertProblem(() -> DurationText.parseMillis("--pause", "soon"), TtlInputException.Problem.MALFORMED,
                "--pause: expected a duration");
        assertProblem(() -> DurationText.parseMillis("--pause", "5 fortnights"),
                TtlInputException.Problem.UNKNOWN_UNIT, "unknown unit 'fortnights'");
    }

    @Test
    void writesDurationsForPeople() {
        assertThat(DurationText.format(0)).isEqualTo("0");
        assertThat(DurationText.format(0.85)).isEqualTo("850 µs");
        assertThat(DurationText.format(20)).isEqualTo("20 ms");
        assertThat(DurationText.format(1250)).isEqualTo("1.25 s");
        assertThat(DurationText.format(52_000)).isEqualTo("52 s");
        assertThat(DurationText.format(7_200_000)).isEqualTo("2 h");
    }
}
