package io.lockbench.report;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The most operations per second the network allows: a lock cycle takes at least two round trips plus the
 * hold time, so each key passes at most {@code 1 / (2 * RTT + hold)} cycles a second, and no more keys than
 * threads can be busy at once. Reporting every throughput as a fraction of this bound makes figures from
 * noisy, differently fast machines comparable.
 *
 * <p>What each benchmark's operation costs, in round trips and parallel keys:
 * <ul>
 *   <li>{@code BaselineBenchmark.ping}: 1 round trip, one per thread; {@code setDel} and {@code lockCycle}: 2;</li>
 *   <li>{@code UncontendedBenchmark}: 2 (acquire, release), each thread its own key;</li>
 *   <li>{@code ContendedBenchmark}: 2 plus the hold time, {@code min(keys, threads)} keys in parallel;</li>
 *   <li>{@code ExtendBenchmark}: 1 per thread;</li>
 *   <li>{@code AsyncBenchmark}: 2 (acquire, release), {@code min(keys, inFlight)} keys in parallel: one thread
 *       keeps {@code inFlight} sections in flight;</li>
 *   <li>{@code OpenLoop}: 2 on one key;</li>
 *   <li>{@code HandoffBenchmark}: no bound; it measures a latency.</li>
 * </ul>
 */
public final class Bound {

    private Bound() {
    }

    /**
     * The bound itself.
     *
     * @param parallelKeys how many keys can be busy at once; positive
     * @param roundTrips round trips per operation; positive
     * @param rttNanos one round trip, in nanoseconds
     * @param holdNanos how long each operation holds its key besides the round trips
     * @return operations per second
     * @throws IllegalArgumentException when an argument is out of range
     */
    public static double opsPerSecond(int parallelKeys, int roundTrips, double rttNanos, double holdNanos) {
        if (parallelKeys < 1 || roundTrips < 1 || !(rttNanos > 0) || holdNanos < 0) {
            throw new IllegalArgumentException("bound: parallelKeys=" + parallelKeys + ", roundTrips=" + roundTrips
                    + ", rttNanos=" + rttNanos + ", holdNanos=" + holdNanos + " out of range");
        }
        return parallelKeys * 1e9 / (roundTrips * rttNanos + holdNanos);
    }

    /**
     * The bound of one result, from the round-trip time measured for its {@code rtt} parameter with its own
     * client library ({@link RoundTrips#nanos(BenchResult)}).
     *
     * @param result a result
     * @param roundTrips the measured round-trip times
     * @return operations per second, or empty for benchmarks without a bound or an unmeasured round trip
     */
    public static OptionalDouble of(BenchResult result, RoundTrips roundTrips) {
        OptionalDouble rtt = roundTrips.nanos(result);
        if (rtt.isEmpty()) {
            return OptionalDouble.empty();
        }
        int threads = result.threads();
        double hold = result.param("hold").map(DurationLabel::parse).map(Duration::toNanos).orElse(0L);
        return switch (result.shortName()) {
            case "BaselineBenchmark.ping", "ExtendBenchmark.extend" ->
                    OptionalDouble.of(opsPerSecond(threads, 1, rtt.getAsDouble(), 0));
            case "BaselineBenchmark.setDel", "BaselineBenchmark.lockCycle", "UncontendedBenchmark.cycle" ->
                    OptionalDouble.of(opsPerSecond(threads, 2, rtt.getAsDouble(), 0));
            case "ContendedBenchmark.cycle" -> OptionalDouble.of(opsPerSecond(
                    Math.min(threads, intParam(result, "keys")), 2, rtt.getAsDouble(), hold));
            case "AsyncBenchmark.cycle" -> OptionalDouble.of(opsPerSecond(Math.min(threads * intParam(result,
                    "inFlight"), intParam(result, "keys")), 2, rtt.getAsDouble(), hold));
            case "OpenLoop.acquireRelease" -> OptionalDouble.of(opsPerSecond(1, 2, rtt.getAsDouble(), hold));
            default -> OptionalDouble.empty();
        };
    }

    /** A count parameter such as {@code keys}; 1 when the result has none. */
    private static int intParam(BenchResult result, String name) {
        return Integer.parseInt(result.param(name).orElse("1"));
    }
}
