package io.lockbench.ttl;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HoldTimeTest {

    @Test
    void passesThroughTheGivenPercentiles() {
        HoldTime hold = HoldTime.parse("p50=20ms, p99=200ms, p999=0.8s");

        assertThat(hold.survival(20)).isCloseTo(0.5, within(1e-12));
        assertThat(hold.survival(200)).isCloseTo(0.01, within(1e-12));
        assertThat(hold.survival(800)).isCloseTo(0.001, within(1e-12));
        assertThat(hold.quantile(0.99)).isCloseTo(200, within(1e-6));
        assertThat(hold.survival(0)).isEqualTo(1);
    }

    @Test
    void readsPercentileNames() {
        assertThat(HoldTime.level("p50")).isEqualTo(0.5);
        assertThat(HoldTime.level("p9")).isEqualTo(0.09);
        assertThat(HoldTime.level("p999")).isCloseTo(0.999, within(1e-12));
        assertThat(HoldTime.level("p9999")).isCloseTo(0.9999, within(1e-12));
        assertThat(HoldTime.level("p99.9")).isCloseTo(0.999, within(1e-12));
    }

    @Test
    void theTailIsParetoThroughTheTwoHighestPercentiles() {
        HoldTime hold = HoldTime.parse("p90=100ms,p99=1s");

        // alpha = ln(0.1 / 0.01) / ln(1000 / 100) = 1: S(10 s) = 0.01 * (10000 / 1000)^-1.
        assertThat(hold.survival(10_000)).isCloseTo(0.001, within(1e-12));
    }

    @Test
    void theMeanOfAnExponentialIsItsMean() {
        HoldTime exponential = HoldTime.parse("p50=" + 20 * Math.log(2) + "ms,p99.9999=" + 20 * Math.log(1e6) + "ms");

        assertThat(exponential.meanUpTo(20 * Math.log(1e6))).isCloseTo(20, within(0.05));
    }

    @Test
    void samplesGiveTheirEmpiricalPercentilesWhileFiveSamplesLieBeyond() {
        List<Double> samples = IntStream.rangeClosed(1, 1000).mapToObj(i -> (double) i).toList();
        HoldTime hold = HoldTime.fromSamples(samples, "holds.txt");

        assertThat(hold.survival(500)).isCloseTo(0.5, within(1e-12));
        assertThat(hold.survival(990)).isCloseTo(0.01, within(1e-12));
        // Only 1 sample beyond p99.9: not used, the tail model decides.
        assertThat(hold.givenPercentiles()).isEqualTo("p50=500 ms, p90=900 ms, p99=990 ms");
    }

    @Test
    void combiningSourcesTakesTheLongerAtEachLevel() {
        HoldTime a = HoldTime.parse("p50=20ms,p99=100ms");
        HoldTime b = HoldTime.parse("p50=10ms,p99=300ms");

        HoldTime both = a.orLonger(b);
        assertThat(both.survival(20)).isEqualTo(Math.max(a.survival(20), b.survival(20)));
        assertThat(both.quantile(0.99)).isCloseTo(300, within(1e-6));
    }

    @Test
    void unorderedPercentilesAreRefusedNamingBoth() {
        assertProblem(() -> HoldTime.parse("p50=200ms,p99=100ms"), TtlInputException.Problem.UNORDERED,
                "p99 (100 ms) must be longer than p50 (200 ms)");
        assertProblem(() -> HoldTime.parse("p50=20ms,p50=30ms"), TtlInputException.Problem.UNORDERED,
                "p50 is given twice");
    }

    @Test
    void negativeOrZeroHoldTimesAreRefused() {
        assertProblem(() -> HoldTime.parse("p50=-20ms,p99=100ms"), TtlInputException.Problem.NEGATIVE,
                "--hold p50: must not be negative");
        assertProblem(() -> HoldTime.parse("p50=0,p99=100ms"), TtlInputException.Problem.NEGATIVE,
                "p50 must be a positive duration");
        assertProblem(() -> HoldTime.fromSamples(new ArrayList<>(List.of(-1.0, 2.0)), "f"),
                TtlInputException.Problem.NEGATIVE, "f: a sample is negative");
    }

    @Test
    void unknownUnitsAndNamesAreRefused() {
        assertProblem(() -> HoldTime.parse("p50=20parsecs,p99=100ms"), TtlInputException.Problem.UNKNOWN_UNIT,
                "unknown unit 'parsecs'");
        assertProblem(() -> HoldTime.parse("p50=20,p99=100ms"), TtlInputException.Problem.UNKNOWN_UNIT,
                "has no unit");
        assertProblem(() -> HoldTime.parse("median=20ms,p99=100ms"), TtlInputException.Problem.MALFORMED,
                "'median' is not a percentile name");
        assertProblem(() -> HoldTime.parse("p100=20ms,p99=100ms"), TtlInputException.Problem.OUT_OF_RANGE,
                "p100 is not a percentile");
        assertProblem(() -> HoldTime.parse("p99=100ms"), TtlInputException.Problem.MALFORMED,
                "at least two percentiles");
    }

    @Test
    void emptyOrTooFewSamplesAreRefused() {
        assertProblem(() -> HoldTime.fromSamples(List.of(), "holds.txt"), TtlInputException.Problem.EMPTY_SAMPLES,
                "holds.txt: no samples");
        assertProblem(() -> HoldTime.fromSamples(List.of(1.0, 2.0, 3.0), "holds.txt"),
                TtlInputException.Problem.EMPTY_SAMPLES, "3 samples give fewer than two distinct percentiles");
    }

    static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
                              TtlInputException.Problem problem, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TtlInputException.class,
                e -> assertThat(e.problem()).isEqualTo(problem)).hasMessageContaining(message);
    }
}
