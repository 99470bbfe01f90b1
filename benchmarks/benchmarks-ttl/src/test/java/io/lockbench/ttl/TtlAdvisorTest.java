package io.lockbench.ttl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TtlAdvisorTest {

    private static final double MEAN = 20;

    /** An exponential hold time with mean m, given by its exact percentiles up to p99.9999. */
    private static HoldTime exponential(double mean) {
        StringBuilder spec = new StringBuilder();
        for (double level : new double[] {0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999, 0.999999}) {
            spec.append(spec.isEmpty() ? "" : ",").append(HoldTime.name(level)).append('=')
                    .append(String.format(Locale.ROOT, "%.9fms", -mean * Math.log1p(-level)));
        }
        return HoldTime.parse(spec.toString());
    }

    private static TtlAdvisor advisor(HoldTime hold, double pause, double risk, Latency cycle, Latency extend) {
        return new TtlAdvisor(new TtlQuestion(hold, pause, risk, cycle, extend));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 1e-2, 1e-3, 1e-4, 1e-6})
    void anExponentialHoldTimeNeedsMeanTimesLnOneOverRiskWithNoWatchdog(double risk) {
        TtlAdvisor advisor = advisor(exponential(MEAN), 0, risk, Latency.none(), Latency.none());

        assertThat(advisor.ttlWithoutWatchdogFor(risk)).isCloseTo(MEAN * Math.log(1 / risk), within(0.01));
        assertThat(advisor.riskWithoutWatchdog(MEAN * Math.log(1 / risk))).isCloseTo(risk, within(risk * 1e-6));
    }

    @Test
    void aPauseAndACycleLatencyAddToTheHoldTimesPart() {
        Latency cycle = Latency.fromPercentiles(Map.of(100.0, 3.0), "a cycle of exactly 3 ms");
        TtlAdvisor advisor = advisor(exponential(MEAN), 50, 1e-3, cycle, Latency.none());

        assertThat(advisor.ttlWithoutWatchdogFor(1e-3)).isCloseTo(50 + 3 + MEAN * Math.log(1e3), within(0.01));
    }

    @Test
    void beyondTheGivenPercentilesTheTailIsTheHeavierParetoOneSoTheTtlIsLongerThanTheExponentials() {
        HoldTime given = HoldTime.parse(String.format(Locale.ROOT, "p50=%fms,p99=%fms,p999=%fms",
                MEAN * Math.log(2), MEAN * Math.log(100), MEAN * Math.log(1000)));
        double ttl = advisor(given, 0, 1e-6, Latency.none(), Latency.none()).ttlWithoutWatchdogFor(1e-6);

        // Pareto through p99 and p99.9: alpha = ln 10 / ln(ln 1000 / ln 100); S = 1e-3 (t / t999)^-alpha.
        double alpha = Math.log(10) / Math.log(Math.log(1000) / Math.log(100));
        double pareto = MEAN * Math.log(1000) * Math.pow(1e3, 1 / alpha);
        assertThat(ttl).isGreaterThan(MEAN * Math.log(1e6)).isCloseTo(pareto, within(pareto * 1e-6));
    }

    @Test
    void theRiskFallsAsTheTtlGrowsAndTheTtlGrowsAsTheTargetFalls() {
        TtlAdvisor advisor = advisor(HoldTime.parse("p50=20ms,p99=200ms,p999=800ms"), 100, 1e-4,
                Latency.fromPercentiles(Map.of(50.0, 1.0, 99.0, 5.0, 100.0, 9.0), "cycle"), Latency.none());
        double previous = 1;
        for (double ttl = 1; ttl < 1e6; ttl *= 1.1) {
            double risk = advisor.riskWithoutWatchdog(ttl);
            assertThat(risk).as("risk at %s ms", ttl).isLessThanOrEqualTo(previous).isBetween(0.0, 1.0);
            previous = risk;
        }
        double previousTtl = 0;
        for (double target = 0.1; target > 1e-9; target /= 10) {
            double ttl = advisor.ttlWithoutWatchdogFor(target);
            assertThat(ttl).as("ttl for %s", target).isGreaterThan(previousTtl);
            previousTtl = ttl;
        }
    }

    @Test
    void aLongerPauseOrALongerHoldNeverShortensTheAdvice() {
        HoldTime shorter = HoldTime.parse("p50=20ms,p99=200ms,p999=800ms");
        HoldTime longer = HoldTime.parse("p50=30ms,p99=300ms,p999=1200ms");
        TtlAdvice base = advisor(shorter, 200, 1e-6, Latency.none(), Latency.none()).advise();

        assertThat(advisor(shorter, 400, 1e-6, Latency.none(), Latency.none()).advise().ttlMillis())
                .isGreaterThanOrEqualTo(base.ttlMillis());
        TtlAdvice longerHold = advisor(longer, 200, 1e-6, Latency.none(), Latency.none()).advise();
        assertThat(longerHold.ttlMillis()).isGreaterThanOrEqualTo(base.ttlMillis());
        assertThat(longerHold.ttlWithoutWatchdogMillis()).isGreaterThan(base.ttlWithoutWatchdogMillis());
    }

    @Test
    void withAWatchdogOnlyThePauseAgainstTheTtlsSlackCounts() {
        TtlAdvice advice = advisor(HoldTime.parse("p50=20ms,p99=200ms,p999=800ms"), 500, 1e-6, Latency.none(),
                Latency.none()).advise();

        // Renewing every ttl/3, a 500 ms stall is survived once ttl - ttl/3 > 500 ms: 750 ms, rounded up.
        assertThat(advice.ttlMillis()).isEqualTo(760);
        assertThat(advice.renewMillis()).isEqualTo(253);
        assertThat(advice.riskWithWatchdog()).isZero();
        assertThat(advice.riskWithoutWatchdog()).isGreaterThan(1e-6);
        assertThat(advice.recoveryMillis()).isEqualTo(advice.ttlMillis());
        assertThat(advice.ttlWithoutWatchdogMillis()).isGreaterThan(advice.ttlMillis());
        // A live holder at p99.9 (800 ms) plus the pause outlasts the ttl.
        assertThat(advice.maxWaitMillis()).isEqualTo(1300);
    }

    @Test
    void aSlowExtendMakesTheWatchdogsRiskPositiveJustAboveTheCliff() {
        Latency extend = Latency.fromPercentiles(Map.of(50.0, 1.0, 99.9, 10.0, 100.0, 40.0), "extend");
        TtlAdvisor advisor = advisor(HoldTime.parse("p50=20ms,p99=200ms,p999=800ms"), 500, 1e-6, Latency.none(),
                extend);

        // ttl - renew - pause = 20 ms: only the top 0.1 % of extends (up to 40 ms) miss.
        assertThat(advisor.riskWithWatchdog(780, 260)).isGreaterThan(0).isLessThan(advisor.riskWithoutWatchdog(780));
        assertThat(advisor.riskWithWatchdog(900, 300)).isZero();
        TtlAdvice advice = advisor.advise();
        assertThat(advice.ttlMillis() - advice.renewMillis() - 500).isGreaterThanOrEqualTo(40);
    }

    @Test
    void aShortHoldTimeNeedsNoWatchdogAndIsNotForcedAboveWhatNoWatchdogNeeds() {
        TtlAdvice advice = advisor(HoldTime.parse("p50=1ms,p99=2ms"), 0, 1e-3, Latency.none(), Latency.none())
                .advise();

        assertThat(advice.riskWithoutWatchdog()).isLessThanOrEqualTo(1e-3);
        assertThat((double) advice.ttlMillis()).isEqualTo(advice.ttlWithoutWatchdogMillis());
    }

    @Test
    void aVeryLongHoldTimeIsNotAdvisedAboveADay() {
        TtlAdvice advice = advisor(HoldTime.parse("p50=1h,p99=30h"), 0, 1e-6, Latency.none(), Latency.none()).advise();

        assertThat((double) advice.ttlMillis()).isLessThanOrEqualTo(TtlAdvisor.MAX_TTL_MILLIS);
        assertThat(advice.ttlWithoutWatchdogMillis()).isInfinite();
        assertThat(advice.riskWithWatchdog()).isZero();
    }

    @Test
    void roundsUpToTwoSignificantDigits() {
        assertThat(TtlAdvisor.roundUp(743.2)).isEqualTo(750);
        assertThat(TtlAdvisor.roundUp(750)).isEqualTo(750);
        assertThat(TtlAdvisor.roundUp(5234)).isEqualTo(5300);
        assertThat(TtlAdvisor.roundUp(5.2)).isEqualTo(6);
        assertThat(TtlAdvisor.roundUp(0.2)).isEqualTo(1);
        // A bisection's few billionths above a round value are not a step up.
        assertThat(TtlAdvisor.roundUp(900 * (1 + 1e-9))).isEqualTo(900);
        assertThat(TtlAdvisor.roundUp(900.01)).isEqualTo(910);
    }

    @Test
    void threeTimesARoundP99IsAdvisedAsItIs() {
        TtlAdvice advice = advisor(HoldTime.parse("p50=30ms,p99=300ms,p999=1.2s"), 0, 1e-6, Latency.none(),
                Latency.none()).advise();

        assertThat(advice.ttlMillis()).isEqualTo(900);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, -1e-6, 1.5, Double.NaN})
    void aRiskOutsideZeroOneIsRefusedByName(double risk) {
        assertThatThrownBy(() -> new TtlQuestion(HoldTime.parse("p50=1ms,p99=2ms"), 0, risk, Latency.none(),
                Latency.none()))
                .isInstanceOfSatisfying(TtlInputException.class, e ->
                        assertThat(e.problem()).isEqualTo(TtlInputException.Problem.OUT_OF_RANGE))
                .hasMessageStartingWith("--risk:");
    }

    @Test
    void aNegativePauseIsRefusedByName() {
        assertThatThrownBy(() -> new TtlQuestion(HoldTime.parse("p50=1ms,p99=2ms"), -5, 1e-3, Latency.none(),
                Latency.none()))
                .isInstanceOfSatisfying(TtlInputException.class, e ->
                        assertThat(e.problem()).isEqualTo(TtlInputException.Problem.NEGATIVE))
                .hasMessageStartingWith("--pause:");
    }
}
