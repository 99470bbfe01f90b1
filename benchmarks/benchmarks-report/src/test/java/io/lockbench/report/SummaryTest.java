package io.lockbench.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SummaryTest {

    private static final BenchResult PING = Results.sample("BaselineBenchmark.ping", 1, 120, 100, 200, 400,
            Map.of("client", "jedis", "rtt", "0"));

    @Test
    void throughputAndSampleTimeOfOneCaseMakeOneRow() {
        Map<String, String> params = Map.of("impl", "jedis", "keys", "1", "hold", "100us", "rtt", "0");
        List<SummaryRow> rows = Summary.rows(List.of(PING,
                Results.throughput("ContendedBenchmark.cycle", 4, 2_400, params,
                        Map.of("acquired", 2_400.0, "failed", 24.0, "commandsPerSection", 3.0)),
                Results.sample("ContendedBenchmark.cycle", 4, 1_600, 1_500, 3_000, 9_000, params)));

        SummaryRow row = rows.stream().filter(r -> r.implementation().equals("jedis")).findFirst().orElseThrow();
        assertThat(row.scenario()).isEqualTo("contended keys=1 hold=100us");
        assertThat(row.opsPerSecond()).isEqualTo(2_400);
        assertThat(row.opsDerived()).isFalse();
        assertThat(row.bound()).isCloseTo(1e9 / 300_000, within(1e-6));
        assertThat(row.fractionOfBound()).isCloseTo(0.72, within(1e-9));
        assertThat(List.of(row.p50Micros(), row.p99Micros(), row.p999Micros())).containsExactly(1_500.0, 3_000.0,
                9_000.0);
        assertThat(List.of(row.acquired(), row.failed(), row.commandsPerSection())).containsExactly(2_400.0, 24.0,
                3.0);
    }

    @Test
    void withoutAThroughputRunTheRateIsDerivedFromTheMeanTime() {
        List<SummaryRow> rows = Summary.rows(List.of(PING, Results.sample("UncontendedBenchmark.cycle", 4, 500, 400,
                900, 2_000, Map.of("impl", "lettuce", "rtt", "0"))));

        SummaryRow row = rows.get(1);
        assertThat(row.opsPerSecond()).isCloseTo(8_000, within(1e-6));
        assertThat(row.opsDerived()).isTrue();
        assertThat(row.fractionOfBound()).isCloseTo(8_000 / (4e9 / 200_000), within(1e-9));
    }

    @Test
    void handoffRowsShowTheHandoffTimeAndTheWaitersRate() {
        BenchResult handoff = new BenchResult("io.lockbench.jmh.HandoffBenchmark.handoff", BenchResult.THROUGHPUT,
                2, Map.of("impl", "redisson", "rtt", "0"), Metric.of(800, "ops/s"), Map.of(
                        "waiter", Metric.of(400, "ops/s"), "handoffs", Metric.of(400, "#"),
                        "handoffP50Us", Metric.of(120, "#"), "handoffP99Us", Metric.of(300, "#"),
                        "handoffP999Us", Metric.of(700, "#")));
        SummaryRow row = Summary.rows(List.of(PING, handoff)).get(1);
        assertThat(row.opsPerSecond()).isEqualTo(400);
        assertThat(List.of(row.p50Micros(), row.p99Micros(), row.p999Micros())).containsExactly(120.0, 300.0, 700.0);
        assertThat(row.bound()).isNaN();
        assertThat(row.notes()).contains("400 handoffs");
    }

    @Test
    void perIterationFiguresAreTheMeanOfTheIterationsNotJmhsSum() {
        // JMH sums an EVENTS counter over the measured iterations: 3 iterations of a 200 us median score 600.
        BenchResult handoff = new BenchResult("io.lockbench.jmh.HandoffBenchmark.handoff", BenchResult.THROUGHPUT,
                2, Map.of("impl", "fifo", "rtt", "0"), Metric.of(800, "ops/s"), Map.of(
                        "waiter", Metric.of(400, "ops/s"), "handoffs", iterations(1_200, 400, 400, 400),
                        "handoffP50Us", iterations(600, 180, 200, 220), "handoffP99Us", iterations(3_000, 1_000,
                                1_000, 1_000), "handoffP999Us", iterations(6_000, 2_000, 2_000, 2_000)));
        BenchResult contended = new BenchResult("io.lockbench.jmh.ContendedBenchmark.cycle", BenchResult.THROUGHPUT,
                4, Map.of("impl", "fifo", "keys", "1", "hold", "0", "rtt", "0"), Metric.of(6_000, "ops/s"),
                Map.of("acquired", iterations(18_000, 6_000, 6_000, 6_000), "failed", iterations(3, 1, 1, 1),
                        "commandsPerSection", iterations(63, 21, 21, 21)));

        List<SummaryRow> rows = Summary.rows(List.of(PING, handoff, contended));

        SummaryRow handoffRow = rows.stream().filter(r -> r.scenario().equals("handoff")).findFirst().orElseThrow();
        assertThat(List.of(handoffRow.p50Micros(), handoffRow.p99Micros(), handoffRow.p999Micros()))
                .containsExactly(200.0, 1_000.0, 2_000.0);
        assertThat(handoffRow.notes()).contains("1200 handoffs");
        SummaryRow hotKey = rows.stream().filter(r -> r.scenario().startsWith("contended")).findFirst().orElseThrow();
        assertThat(List.of(hotKey.acquired(), hotKey.failed(), hotKey.commandsPerSection()))
                .containsExactly(18_000.0, 3.0, 21.0);
    }

    /** A counter as JMH's JSON gives it: the score is the sum of the iterations' values. */
    private static Metric iterations(double sum, double... values) {
        return new Metric(sum, Double.NaN, "#", Map.of(), java.util.Arrays.stream(values).boxed().toList());
    }

    @Test
    void asyncRowsNameTheirKeysAndRequestsInFlightAndComeAfterTheContendedOnes() {
        Map<String, String> oneKey = Map.of("impl", "lettuce", "keys", "1", "inFlight", "16", "rtt", "0");
        Map<String, String> manyKeys = Map.of("impl", "lettuce", "keys", "16", "inFlight", "16", "rtt", "0");
        List<SummaryRow> rows = Summary.rows(List.of(PING,
                Results.throughput("HandoffBenchmark.handoff", 2, 300, Map.of("impl", "lettuce", "rtt", "0"), Map.of()),
                Results.throughput("AsyncBenchmark.cycle", 1, 30_000, manyKeys,
                        Map.of("acquired", 60_000.0, "failed", 0.0, "commandsPerSection", 2.0)),
                Results.throughput("AsyncBenchmark.cycle", 1, 6_000, oneKey,
                        Map.of("acquired", 12_000.0, "failed", 3.0, "commandsPerSection", 3.5)),
                Results.throughput("ContendedBenchmark.cycle", 4, 2_000, Map.of("impl", "lettuce", "keys", "1",
                        "hold", "0", "rtt", "0"), Map.of())));

        assertThat(rows).extracting(SummaryRow::scenario).containsExactly("baseline ping", "contended keys=1 hold=0",
                "async keys=1 inFlight=16", "async keys=16 inFlight=16", "handoff");
        SummaryRow hotKey = rows.get(2);
        assertThat(hotKey.bound()).isCloseTo(5_000, within(1e-6));
        assertThat(List.of(hotKey.acquired(), hotKey.failed(), hotKey.commandsPerSection())).containsExactly(12_000.0,
                3.0, 3.5);
        assertThat(rows.get(3).bound()).isCloseTo(80_000, within(1e-6));
        String rendered = Summary.render(rows, RoundTrips.from(List.of(PING)));
        // 16 acquires in flight on one key, from one thread: the hot-key reason, not "nothing was in flight".
        assertThat(rendered).contains("### async keys=1 inFlight=16, rtt 0", "| 120% *",
                "* above 100 % on a hot key").doesNotContain("on one thread");
        assertThat(rendered.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
    }

    @Test
    void rowsFollowTheBenchmarkOrderThenScenarioLatencyThreadsAndName() {
        List<SummaryRow> rows = Summary.rows(List.of(
                Results.sample("ContendedBenchmark.cycle", 16, 1, 1, 1, 1, Map.of("impl", "b", "keys", "1", "hold",
                        "0", "rtt", "0")),
                Results.sample("ContendedBenchmark.cycle", 4, 1, 1, 1, 1, Map.of("impl", "b", "keys", "1", "hold",
                        "0", "rtt", "500us")),
                Results.sample("ContendedBenchmark.cycle", 4, 1, 1, 1, 1, Map.of("impl", "a", "keys", "1", "hold",
                        "0", "rtt", "0")),
                Results.sample("ContendedBenchmark.cycle", 4, 1, 1, 1, 1, Map.of("impl", "a", "keys", "16", "hold",
                        "0", "rtt", "0")),
                Results.sample("UncontendedBenchmark.cycle", 1, 1, 1, 1, 1, Map.of("impl", "z", "rtt", "0")),
                PING));
        assertThat(rows).extracting(row -> row.scenario() + "|" + row.rtt() + "|" + row.threads() + "|"
                + row.implementation()).containsExactly(
                "baseline ping|0|1|client:jedis",
                "uncontended|0|1|z",
                "contended keys=1 hold=0|0|4|a",
                "contended keys=1 hold=0|0|16|b",
                "contended keys=1 hold=0|500us|4|b",
                "contended keys=16 hold=0|0|4|a");
    }

    @Test
    void naturalOrderComparesNumbersByValue() {
        assertThat(Summary.compareNatural("open-loop rate=500", "open-loop rate=1000")).isNegative();
        assertThat(Summary.compareNatural("keys=16", "keys=1")).isPositive();
        assertThat(Summary.compareNatural("a", "a")).isZero();
    }

    @Test
    void eachScenarioHasATableWithAHeaderARowPerResultAndTheRoundTripIsNamed() {
        String table = Summary.render(Summary.rows(List.of(PING)), RoundTrips.from(List.of(PING)));
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).isEqualTo("### baseline ping, rtt 0");
        assertThat(lines.get(2)).startsWith("| # | implementation").contains("ops/s ± 99.9 %", "of bound", "p99.9 µs");
        assertThat(lines.get(3)).matches("[|\\- ]+");
        assertThat(lines.get(4)).contains("client:jedis").contains("~8,333");
        assertThat(table).contains("rtt=0 -> jedis 100.0 µs.");
        assertThat(lines.subList(2, 5)).extracting(String::length).containsOnly(lines.get(2).length());
    }

    @Test
    void aFigureAboveItsBoundIsExplainedByWhatLetItPass() {
        Map<String, String> hotKey = Map.of("impl", "jedis", "keys", "1", "hold", "0", "rtt", "0");
        String oneReason = Summary.render(Summary.rows(List.of(PING, Results.throughput("ContendedBenchmark.cycle", 4,
                6_000, hotKey, Map.of()))), RoundTrips.from(List.of(PING)));
        assertThat(oneReason).contains("| 120% *").contains("* above 100 % on a hot key")
                .contains("already in").doesNotContain("with several threads").doesNotContain("on one thread");

        String everyReason = Summary.render(Summary.rows(List.of(PING,
                Results.throughput("ContendedBenchmark.cycle", 4, 6_000, hotKey, Map.of()),
                Results.throughput("UncontendedBenchmark.cycle", 4, 21_000, Map.of("impl", "lettuce", "rtt", "0"),
                        Map.of()),
                Results.throughput("UncontendedBenchmark.cycle", 1, 5_200, Map.of("impl", "jedis", "rtt", "0"),
                        Map.of()))), RoundTrips.from(List.of(PING)));
        assertThat(everyReason).contains("* above 100 % on a hot key", "* above 100 % with several threads",
                "pipelines", "* above 100 % on one thread");

        String noneAbove = Summary.render(Summary.rows(List.of(PING)), RoundTrips.from(List.of(PING)));
        assertThat(noneAbove).doesNotContain("above 100 %").contains("Noise (load, CPU steal, PING drift per case)"
                + " was not recorded");
    }

    @Test
    void aCaseWhoseRoundTripDriftedIsFlaggedInTheTableAndTheCsv() {
        Map<String, String> params = Map.of("impl", "lettuce", "rtt", "0");
        BenchResult cycle = Results.sample("UncontendedBenchmark.cycle", 1, 500, 400, 900, 2_000, params);
        StepNoise drifted = new StepNoise("io.lockbench.jmh.UncontendedBenchmark.cycle", "sample", 1, params,
                "lettuce", 61_500, 84_900, 0.68, 0.59, 0.0002, 2);
        StepNoise otherCase = new StepNoise("io.lockbench.jmh.UncontendedBenchmark.cycle", "sample", 4, params,
                "lettuce", 61_500, 200_000, 0.68, 0.59, 0.0002, 2);

        List<SummaryRow> rows = Summary.rows(List.of(PING, cycle), List.of(drifted, otherCase));

        SummaryRow row = rows.get(1);
        assertThat(row.noise()).containsExactly(drifted);
        assertThat(row.flags()).containsExactly("rtt +38%");
        String table = Summary.render(rows, RoundTrips.from(List.of(PING)));
        assertThat(table).contains("| flags").contains("rtt +38%").contains("more than 25 %", "more than 5 %");
        String lettuce = Summary.csv(rows).lines().filter(line -> line.startsWith("uncontended,")).findFirst()
                .orElseThrow();
        assertThat(lettuce).endsWith(",61.5,84.9,0.68,0.02,rtt +38%");
    }

    @Test
    void eachImplementationIsSetBesideTheHandWrittenLockOfItsOwnClient() {
        List<SummaryRow> rows = Summary.rows(List.of(PING,
                Results.throughput("BaselineBenchmark.lockCycle", 1, 4_000, Map.of("client", "jedis", "rtt", "0"),
                        Map.of()),
                Results.throughput("BaselineBenchmark.lockCycle", 1, 2_000, Map.of("client", "lettuce", "rtt", "0"),
                        Map.of()),
                Results.throughput("UncontendedBenchmark.cycle", 1, 3_800, Map.of("impl", "jedis", "rtt", "0"),
                        Map.of()),
                Results.throughput("UncontendedBenchmark.cycle", 1, 1_500, Map.of("impl", "lettuce", "rtt", "0"),
                        Map.of()),
                Results.throughput("UncontendedBenchmark.cycle", 1, 9_000, Map.of("impl", "naive-setnx", "rtt", "0"),
                        Map.of())));

        assertThat(rows).extracting(SummaryRow::scenario).contains("baseline hand-written-lock");
        assertThat(rows).filteredOn(row -> row.scenario().equals("baseline hand-written-lock"))
                .allSatisfy(row -> assertThat(row.bound()).as("two round trips").isCloseTo(1e9 / 200_000,
                        within(1e-6)));
        assertThat(Summary.againstHandWritten(rows)).contains("rtt=0 -> jedis 0.95, lettuce 0.75.")
                .doesNotContain("naive");
        assertThat(Summary.render(rows, RoundTrips.from(List.of(PING)))).contains("Uncontended, 1 thread, against the");
        assertThat(Summary.againstHandWritten(rows.subList(0, 1))).isEmpty();
    }
}
