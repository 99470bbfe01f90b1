package io.lockbench.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BoundTest {

    /** A 100 µs round trip at rtt=0 and 1 ms at rtt=500us, from the sample-time PING medians. */
    private static final RoundTrips ROUND_TRIPS = RoundTrips.from(List.of(
            Results.sample("BaselineBenchmark.ping", 1, 130, 100, 300, 900, Map.of("client", "jedis", "rtt", "0")),
            Results.sample("BaselineBenchmark.ping", 1, 1_200, 1_000, 3_000, 9_000,
                    Map.of("client", "jedis", "rtt", "500us"))));

    @Test
    void aLockCycleIsTwoRoundTripsPlusTheHold() {
        assertThat(Bound.opsPerSecond(1, 2, 100_000, 0)).isCloseTo(5_000, within(1e-6));
        assertThat(Bound.opsPerSecond(1, 2, 100_000, 100_000)).isCloseTo(1e9 / 300_000, within(1e-6));
        assertThat(Bound.opsPerSecond(16, 2, 100_000, 1_000_000)).isCloseTo(16e9 / 1_200_000, within(1e-6));
    }

    @Test
    void refusesImpossibleInputs() {
        assertThatThrownBy(() -> Bound.opsPerSecond(0, 2, 100, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bound.opsPerSecond(1, 2, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bound.opsPerSecond(1, 2, 100, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentionIsBoundedPerKeyAndByThreads() {
        BenchResult oneKey = Results.throughput("ContendedBenchmark.cycle", 16, 1_000,
                Map.of("impl", "jedis", "keys", "1", "hold", "100us", "rtt", "0"), Map.of());
        BenchResult manyKeysFewThreads = Results.throughput("ContendedBenchmark.cycle", 4, 1_000,
                Map.of("impl", "jedis", "keys", "16", "hold", "1ms", "rtt", "0"), Map.of());
        assertThat(Bound.of(oneKey, ROUND_TRIPS).getAsDouble()).isCloseTo(1e9 / 300_000, within(1e-6));
        assertThat(Bound.of(manyKeysFewThreads, ROUND_TRIPS).getAsDouble()).isCloseTo(4e9 / 1_200_000, within(1e-6));
    }

    @Test
    void anAsyncCallerHasItsSectionsInFlightOnAtMostItsKeys() {
        Map<String, String> manyKeys = Map.of("impl", "lettuce", "keys", "16", "inFlight", "16", "rtt", "0");
        Map<String, String> oneKey = Map.of("impl", "lettuce", "keys", "1", "inFlight", "16", "rtt", "0");
        Map<String, String> fewInFlight = Map.of("impl", "lettuce", "keys", "16", "inFlight", "4", "rtt", "0");
        assertThat(Bound.of(Results.throughput("AsyncBenchmark.cycle", 1, 1, manyKeys, Map.of()), ROUND_TRIPS)
                .getAsDouble()).isCloseTo(16e9 / 200_000, within(1e-6));
        assertThat(Bound.of(Results.throughput("AsyncBenchmark.cycle", 1, 1, oneKey, Map.of()), ROUND_TRIPS)
                .getAsDouble()).isCloseTo(5_000, within(1e-6));
        assertThat(Bound.of(Results.throughput("AsyncBenchmark.cycle", 1, 1, fewInFlight, Map.of()), ROUND_TRIPS)
                .getAsDouble()).isCloseTo(20_000, within(1e-6));
    }

    @Test
    void eachBenchmarkCountsItsOwnRoundTrips() {
        Map<String, String> injected = Map.of("impl", "jedis", "rtt", "500us");
        assertThat(Bound.of(Results.throughput("UncontendedBenchmark.cycle", 4, 1, injected, Map.of()), ROUND_TRIPS)
                .getAsDouble()).isCloseTo(4e9 / 2_000_000, within(1e-6));
        assertThat(Bound.of(Results.throughput("ExtendBenchmark.extend", 1, 1, injected, Map.of()), ROUND_TRIPS)
                .getAsDouble()).isCloseTo(1_000, within(1e-6));
        assertThat(Bound.of(Results.throughput("BaselineBenchmark.setDel", 1, 1, Map.of("rtt", "0"), Map.of()),
                ROUND_TRIPS).getAsDouble()).isCloseTo(5_000, within(1e-6));
        assertThat(Bound.of(Results.throughput("HandoffBenchmark.handoff", 2, 1, injected, Map.of()), ROUND_TRIPS))
                .as("handoff measures a latency").isEmpty();
        assertThat(Bound.of(Results.throughput("UncontendedBenchmark.cycle", 1, 1, Map.of("rtt", "2ms"), Map.of()),
                ROUND_TRIPS)).as("no baseline at that latency").isEmpty();
    }

    @Test
    void theRoundTripIsTheFastestClientsMedianPreferredOverAMean() {
        RoundTrips roundTrips = RoundTrips.from(List.of(
                Results.throughput("BaselineBenchmark.ping", 1, 5_000, Map.of("client", "jedis", "rtt", "0"), Map.of()),
                Results.sample("BaselineBenchmark.ping", 1, 400, 150, 900, 2_000, Map.of("client", "jedis", "rtt", "0")),
                Results.sample("BaselineBenchmark.ping", 1, 300, 120, 900, 2_000,
                        Map.of("client", "lettuce", "rtt", "0")),
                Results.throughput("BaselineBenchmark.ping", 1, 1_000, Map.of("client", "jedis", "rtt", "1ms"),
                        Map.of()),
                Results.sample("BaselineBenchmark.ping", 4, 10, 10, 10, 10, Map.of("client", "jedis", "rtt", "2ms"))));
        assertThat(roundTrips.nanos("0").getAsDouble()).isCloseTo(120_000, within(1e-6));
        assertThat(roundTrips.nanos("1ms").getAsDouble()).as("mean from throughput when not sampled")
                .isCloseTo(1_000_000, within(1e-6));
        assertThat(roundTrips.nanos("2ms")).as("only single-thread PING counts").isEmpty();
    }

    @Test
    void eachImplementationIsHeldToItsOwnClientsRoundTrip() {
        RoundTrips roundTrips = RoundTrips.from(List.of(
                Results.sample("BaselineBenchmark.ping", 1, 130, 100, 300, 900, Map.of("client", "jedis", "rtt", "0")),
                Results.sample("BaselineBenchmark.ping", 1, 190, 150, 300, 900,
                        Map.of("client", "lettuce", "rtt", "0")),
                Results.sample("BaselineBenchmark.ping", 1, 1_200, 1_000, 3_000, 9_000,
                        Map.of("client", "jedis", "rtt", "500us"))));
        double jedisCycle = 1e9 / 200_000;
        double lettuceCycle = 1e9 / 300_000;

        assertThat(Bound.of(cycle("jedis", "0"), roundTrips).getAsDouble()).isCloseTo(jedisCycle, within(1e-6));
        assertThat(Bound.of(cycle("naive-setnx", "0"), roundTrips).getAsDouble()).as("the naive locks run on Jedis")
                .isCloseTo(jedisCycle, within(1e-6));
        for (String onLettuce : List.of("lettuce", "redlock", "redisson")) {
            assertThat(Bound.of(cycle(onLettuce, "0"), roundTrips).getAsDouble()).as(onLettuce)
                    .isCloseTo(lettuceCycle, within(1e-6));
        }
        assertThat(Bound.of(cycle("someone-elses", "0"), roundTrips).getAsDouble()).as("unknown: the fastest client")
                .isCloseTo(jedisCycle, within(1e-6));
        assertThat(Bound.of(cycle("lettuce", "500us"), roundTrips).getAsDouble())
                .as("Lettuce not measured there: the fastest client").isCloseTo(1e9 / 2_000_000, within(1e-6));
        assertThat(Bound.of(Results.throughput("BaselineBenchmark.ping", 1, 1, Map.of("client", "lettuce", "rtt", "0"),
                Map.of()), roundTrips).getAsDouble()).as("a baseline row: its own client")
                .isCloseTo(1e9 / 150_000, within(1e-6));
        assertThat(roundTrips.nanos("0").getAsDouble()).as("the fastest client").isCloseTo(100_000, within(1e-6));
        assertThat(roundTrips.byClient().get("0")).containsOnlyKeys("jedis", "lettuce");
    }

    private static BenchResult cycle(String impl, String rtt) {
        return Results.throughput("UncontendedBenchmark.cycle", 1, 1, Map.of("impl", impl, "rtt", rtt), Map.of());
    }
}
