package io.lockbench.jmh;

import io.lockbench.report.MachineLoad;
import io.lockbench.report.RoundTrips;
import io.lockbench.report.StepNoise;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * the server the case uses (through the injected-latency proxy when there is one). Made by the trial's setup, it
 * takes its start figures just before the first measured iteration and its end figures after the last, so that
 * nothing it sends falls inside a measured iteration or its command counts; it appends a {@link StepNoise} line to
 * the file the runner names in the system property {@value #PROPERTY}, and does nothing when that is not set.
 *
 * <p>The PING goes over a connection of its own, opened for the measurement and closed after it: the
 * implementation's connections are not reachable through {@code LockService}, and the library, network path and
 * server are the same. Starting after the warmup matters: a PING timed in a fresh fork runs through the
 * interpreter and a cold event loop (Lettuce's first PINGs took 1.5 ms where the warm ones took 0.1 ms), so a
 * start figure taken then would make nearly every case seem to speed up. A short untimed warmup of the probe's
 * own connection comes first for the same reason.
 */
final class NoiseProbe {

    /** The system property naming the step's noise file. */
    static final String PROPERTY = "lockbench.noise";

    private static final Logger LOG = LoggerFactory.getLogger(NoiseProbe.class);
    private static final Duration WARMUP = Duration.ofMillis(50);
    private static final Duration MEASUREMENT = Duration.ofMillis(100);
    private static final int MOST_PINGS = 100;
    private static final int LEAST_PINGS = 11;

    private final Optional<Path> file;
    private final BenchmarkParams params;
    private final String client;
    private final URI server;
    private boolean started;
    private Optional<MachineLoad> loadStart = Optional.empty();
    private double pingStartNanos = Double.NaN;

    private NoiseProbe(Optional<Path> file, BenchmarkParams params, String client, URI server) {
        this.file = file;
        this.params = params;
        this.client = client;
        this.server = server;
    }

    /**
     * A probe for one trial; it measures only when the runner set a noise file.
     *
     * @param params the trial's benchmark, mode, threads and parameters
     * @param client the client library whose PING to time, as {@link RoundTripClient#open} names it
     * @param server the server the case uses
     * @return the probe
     */
    static NoiseProbe of(BenchmarkParams params, String client, URI server) {
        String file = System.getProperty(PROPERTY);
        return new NoiseProbe(file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file)), params,
                client, server);
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

    /**
     * Takes the start figures before the trial's first measured iteration; call it before every iteration, from
     * an iteration-level setup that runs before the iteration's own counters start.
     *
     * @param iteration the iteration about to run
     */
    void iterationStarts(IterationParams iteration) {
        if (file.isEmpty() || started || iteration.getType() != IterationType.MEASUREMENT) {
            return;
        }
        started = true;
        loadStart = MachineLoad.read();
        pingStartNanos = medianPing(client, server);
    }

    /** Takes the end figures and appends the trial's record to the step's noise file, when it was started. */
    void finish() {
        if (!started) {
            return;
        }
        double pingEndNanos = medianPing(client, server);
        Optional<MachineLoad> loadEnd = MachineLoad.read();
        double steal = loadStart.isPresent() && loadEnd.isPresent() ? loadEnd.get().stealSince(loadStart.get())
                : Double.NaN;
        Map<String, String> values = new LinkedHashMap<>();
        params.getParamsKeys().forEach(key -> values.put(key, params.getParam(key)));
        new StepNoise(params.getBenchmark(), params.getMode().shortLabel(), params.getThreads(), values, client,
                pingStartNanos, pingEndNanos, loadStart.map(MachineLoad::loadAverage).orElse(Double.NaN),
                loadEnd.map(MachineLoad::loadAverage).orElse(Double.NaN), steal,
                loadEnd.or(() -> loadStart).map(MachineLoad::cpus).orElse(0)).append(file.orElseThrow());
    }

    /**
     * The median of up to {@value #MOST_PINGS} PINGs timed within {@link #MEASUREMENT} (at least
     * {@value #LEAST_PINGS} however long they take), after {@link #WARMUP} of untimed ones.
     */
    private static double medianPing(String client, URI server) {
        try (RoundTripClient connection = RoundTripClient.open(client, server)) {
            long warm = System.nanoTime() + WARMUP.toNanos();
            while (System.nanoTime() - warm < 0) {
                connection.ping();
            }
            long[] samples = new long[MOST_PINGS];
            int count = 0;
            long deadline = System.nanoTime() + MEASUREMENT.toNanos();
            while (count < MOST_PINGS && (count < LEAST_PINGS || System.nanoTime() - deadline < 0)) {
                long start = System.nanoTime();
                connection.ping();
                samples[count++] = System.nanoTime() - start;
            }
            long[] taken = Arrays.copyOf(samples, count);
            Arrays.sort(taken);
            return count % 2 == 1 ? taken[count / 2] : (taken[count / 2 - 1] + taken[count / 2]) / 2.0;
        } catch (RuntimeException e) {
            // The noise record then shows the PING as unmeasured; the benchmark itself goes on.
            LOG.warn("PING of {} through {} for the noise record failed: {}", server, client, e.toString());
            return Double.NaN;
        }
    }
}
