package io.lockbench.jmh;

import io.lockbench.report.MachineLoad;
import io.lockbench.report.RoundTrips;
import io.lockbench.report.StepNoise;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Measures, inside the benchmark fork, how noisy the machine is around one trial (one case of a step): the
 * load average and CPU steal counters, and the median PING round trip through the case's own client library to
 * the server the case uses (through the injected-latency proxy when there is one). It takes its start figures
 * in the trial's setup, before the warmup, and its end figures in the trial's teardown, after the last measured
 * iteration, so that nothing it sends falls inside an iteration or its command counts; it appends a
 * {@link StepNoise} line to the file the runner names in the system property {@value #PROPERTY}, and does nothing
 * when that is not set.
 *
 * <p>The PING goes over a connection of its own, opened for the measurement and closed after it: the
 * implementation's connections are not reachable through {@code LockService}, and the library, network path and
 * server are the same. Two things would bias the start figure, and are kept out of it. A fresh fork runs the PING
 * through the interpreter and a cold event loop (Lettuce's first PINGs took 1.5 ms where warm ones took 0.1 ms),
 * so untimed PINGs go first: for a fixed least time per client library, then until two batches in a row agree and
 * the JIT compilers, which share the fork's CPU, have gone quiet. And an iteration-level setup would be the wrong
 * place: JMH busy-spins the other benchmark threads while one runs it, which on the single CPU the forks are
 * pinned to made a 90 µs PING take 1 ms; a trial-level setup of a shared state holds them on a monitor instead.
 */
final class NoiseProbe {

    /** The system property naming the step's noise file. */
    static final String PROPERTY = "lockbench.noise";

    private static final Logger LOG = LoggerFactory.getLogger(NoiseProbe.class);
    /** The longest the untimed PINGs go on waiting for the PING to settle. */
    private static final Duration WARMUP = Duration.ofMillis(1_000);
    /**
     * The untimed PINGs a fresh fork sends before its start figure, however settled they look: two batches of
     * interpreted code agree as well as two of compiled code. Measured on 2 cores: with 300 ms the Jedis figure
     * matched the end figure, Lettuce's (a hop through Netty's event loop, much more code to compile) still read
     * 2x the end figure, and matched it after 1.5 s.
     */
    private static final Map<String, Duration> LEAST_WARMUP = Map.of(RoundTripClient.JEDIS, Duration.ofMillis(300),
            RoundTripClient.LETTUCE, Duration.ofMillis(1_500));
    private static final int WARMUP_BATCH = 20;
    /** Two warmup batches whose medians differ by less than this share count as settled. */
    private static final double SETTLED = 0.1;
    private static final Duration MEASUREMENT = Duration.ofMillis(100);
    private static final int MOST_PINGS = 100;
    private static final int LEAST_PINGS = 11;

    private final Path file;
    private final BenchmarkParams params;
    private final String client;
    private final URI server;
    private final Optional<MachineLoad> loadStart;
    private final double pingStartNanos;

    private NoiseProbe(Path file, BenchmarkParams params, String client, URI server, Optional<MachineLoad> loadStart,
                       double pingStartNanos) {
        this.file = file;
        this.params = params;
        this.client = client;
        this.server = server;
        this.loadStart = loadStart;
        this.pingStartNanos = pingStartNanos;
    }

    /**
     * Takes the start figures of a trial, when the runner asked for them; call it from a trial-level setup.
     *
     * @param params the trial's benchmark, mode, threads and parameters
     * @param client the client library whose PING to time, as {@link RoundTripClient#open} names it
     * @param server the server the case uses
     * @return the probe to finish in the trial's teardown; empty when the runner set no noise file
     */
    static Optional<NoiseProbe> start(BenchmarkParams params, String client, URI server) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        Optional<MachineLoad> load = MachineLoad.read();
        Duration least = LEAST_WARMUP.getOrDefault(client, LEAST_WARMUP.get(RoundTripClient.LETTUCE));
        return Optional.of(new NoiseProbe(Path.of(file), params, client, server, load, medianPing(client, server,
                least)));
    }

    /**
     * The client library whose PING stands for a lock implementation's round trip.
     *
     * @param implementation a registered name
     * @return the library the report holds the implementation to; Jedis, the thinnest, for one it does not know
     */
    static String clientOf(String implementation) {
        return RoundTrips.clientOf(implementation).orElse(RoundTripClient.JEDIS);
    }

    /** Takes the end figures and appends the trial's record to the step's noise file. */
    void finish() {
        // The client's code is compiled by now: the start figure's warmup and the case itself ran it.
        double pingEndNanos = medianPing(client, server, Duration.ZERO);
        Optional<MachineLoad> loadEnd = MachineLoad.read();
        double steal = loadStart.isPresent() && loadEnd.isPresent() ? loadEnd.get().stealSince(loadStart.get())
                : Double.NaN;
        Map<String, String> values = new LinkedHashMap<>();
        params.getParamsKeys().forEach(key -> values.put(key, params.getParam(key)));
        new StepNoise(params.getBenchmark(), params.getMode().shortLabel(), params.getThreads(), values, client,
                pingStartNanos, pingEndNanos, loadStart.map(MachineLoad::loadAverage).orElse(Double.NaN),
                loadEnd.map(MachineLoad::loadAverage).orElse(Double.NaN), steal,
                loadEnd.or(() -> loadStart).map(MachineLoad::cpus).orElse(0)).append(file);
    }

    /**
     * The median of up to {@value #MOST_PINGS} PINGs timed within {@link #MEASUREMENT} (at least
     * {@value #LEAST_PINGS} however long they take), after untimed PINGs for {@code leastWarmup} and then untimed
     * batches of {@value #WARMUP_BATCH} until two in a row agree within {@link #SETTLED} and the JIT compilers did
     * no work during the second (at most {@link #WARMUP}).
     */
    private static double medianPing(String client, URI server, Duration leastWarmup) {
        try (RoundTripClient connection = RoundTripClient.open(client, server)) {
            long least = System.nanoTime() + leastWarmup.toNanos();
            while (System.nanoTime() - least < 0) {
                connection.ping();
            }
            long warm = System.nanoTime() + WARMUP.toNanos();
            double previous = median(connection, WARMUP_BATCH, 0);
            long compiling = compilationMillis();
            while (System.nanoTime() - warm < 0) {
                double batch = median(connection, WARMUP_BATCH, 0);
                long compiled = compilationMillis();
                boolean settled = Math.abs(batch / previous - 1) < SETTLED && compiled == compiling;
                previous = batch;
                compiling = compiled;
                if (settled) {
                    break;
                }
            }
            return median(connection, MOST_PINGS, MEASUREMENT.toNanos());
        } catch (RuntimeException e) {
            // The noise record then shows the PING as unmeasured; the benchmark itself goes on.
            LOG.warn("PING of {} through {} for the noise record failed: {}", server, client, e.toString());
            return Double.NaN;
        }
    }

    /**
     * How long this JVM's JIT compilers have worked so far: while it grows, the compiler threads compete with the
     * client's threads for the fork's CPU and every PING pays for it.
     */
    private static long compilationMillis() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime()
                : 0;
    }

    /**
     * The median time of up to {@code most} PINGs: all of them when {@code withinNanos} is 0, else as many as fit
     * in that time, but at least {@value #LEAST_PINGS}.
     */
    private static double median(RoundTripClient connection, int most, long withinNanos) {
        long[] samples = new long[most];
        int count = 0;
        long deadline = System.nanoTime() + withinNanos;
        while (count < most && (withinNanos == 0 || count < LEAST_PINGS || System.nanoTime() - deadline < 0)) {
            long start = System.nanoTime();
            connection.ping();
            samples[count++] = System.nanoTime() - start;
        }
        long[] taken = Arrays.copyOf(samples, count);
        Arrays.sort(taken);
        return count % 2 == 1 ? taken[count / 2] : (taken[count / 2 - 1] + taken[count / 2]) / 2.0;
    }
}
