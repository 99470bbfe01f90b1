package io.lockbench.jmh;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.report.BenchResult;
import io.lockbench.report.Metric;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Acquire latency at a fixed offered rate, free of coordinated omission. JMH's closed loop waits for each
 * operation before starting the next, so when the lock slows down it also asks less often, and the queueing
 * a real service would see never shows. Here acquire-release cycles on one key are scheduled at fixed
 * intended start times ({@code rate} per second) and handed to a pool of workers; each latency is measured
 * from its intended start, so time spent queued behind a slow lock counts. Rates past the bound
 * ({@code 1 / (2 * RTT)} on one key) show latency growing without limit, as it would in production.
 *
 * <p>Run: {@code ./lockbench bench --open-loop [--rate 2000,4000,8000] [--impl jedis,redisson]}.
 */
public final class OpenLoop {

    /** The benchmark name open-loop results carry in the JMH JSON format. */
    public static final String BENCHMARK = "io.lockbench.jmh.OpenLoop.acquireRelease";

    private static final double[] PERCENTILES = {0, 50, 90, 99, 99.9, 99.99, 100};
    private static final long CATCH_UP_NANOS = 50_000;

    private OpenLoop() {
    }

    /**
     * How an open-loop sweep runs.
     *
     * @param rates offered rates per second; empty for {@link #DEFAULT_FRACTIONS} of the bound
     * @param warmup how long to run at the first rate before measuring, per implementation
     * @param duration how long to offer each rate
     * @param workers threads that run the cycles; more queue instead
     */
    public record Settings(List<Double> rates, Duration warmup, Duration duration, int workers) {

        /**
         * The fractions of the bound swept when no rates are given: from well below it (where most locks
         * already queue: the bound assumes free CPU and no waiting overhead) to past it.
         */
        public static final List<Double> DEFAULT_FRACTIONS = List.of(0.05, 0.1, 0.25, 0.5, 1.0, 1.5);

        /** @throws IllegalArgumentException for a non-positive rate, duration or worker count */
        public Settings {
            rates = List.copyOf(rates);
            if (rates.stream().anyMatch(rate -> !(rate > 0)) || warmup.isNegative() || duration.isNegative()
                    || duration.isZero() || workers < 1) {
                throw new IllegalArgumentException("open loop: rates " + rates + ", warmup " + warmup + ", duration "
                        + duration + ", workers " + workers + " out of range");
            }
        }

        /**
         * The rates to offer.
         *
         * @param boundOpsPerSecond the bound on one key at this latency
         * @return the given rates, or the default fractions of the bound
         */
        public List<Double> ratesFor(double boundOpsPerSecond) {
            if (!rates.isEmpty()) {
                return rates;
            }
            return DEFAULT_FRACTIONS.stream().map(fraction -> (double) Math.round(fraction * boundOpsPerSecond))
                    .toList();
        }

        /**
         * How many rates a sweep measures.
         *
         * @param implementations how many implementations
         * @param rtts how many injected latencies
         * @return the number of measured cases
         */
        public int cases(int implementations, int rtts) {
            return (rates.isEmpty() ? DEFAULT_FRACTIONS.size() : rates.size()) * implementations * rtts;
        }

        /**
         * About how long a sweep takes.
         *
         * @param implementations how many implementations
         * @param rtts how many injected latencies
         * @return the estimate, with a second per rate for draining the queue
         */
        public Duration estimate(int implementations, int rtts) {
            int rateCount = rates.isEmpty() ? DEFAULT_FRACTIONS.size() : rates.size();
            Duration perImplementation = warmup.plus(duration.plusSeconds(1).multipliedBy(rateCount));
            return perImplementation.multipliedBy((long) implementations * rtts);
        }
    }

    /**
     * Offers one rate for a while and measures it.
     *
     * @param service the implementation under test
     * @param impl its name, for the result
     * @param rtt the injected latency parameter, for the result
     * @param key the one key every cycle takes
     * @param rate cycles per second to start
     * @param duration how long to keep starting them
     * @param workers threads that run them
     * @return the latency distribution (from intended start to released) and the rates, as a JMH sample-time
     *     record; cycles still queued once the drain time has passed are counted as abandoned
     * @throws InterruptedException when interrupted; the workers are stopped
     */
    public static BenchResult run(LockService service, String impl, String rtt, String key, double rate,
                                  Duration duration, int workers) throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(3);
        AtomicLong failed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long period = Math.max(1, Math.round(1e9 / rate));
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "lockbench-open-loop-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        long issued = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long issueEnd;
        long abandoned;
        try {
            for (long intended = start; intended - end < 0; intended = start + ++issued * period) {
                long wait = intended - System.nanoTime();
                if (wait > CATCH_UP_NANOS) {
                    LockSupport.parkNanos(wait);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("open loop interrupted");
                }
                long scheduled = intended;
                pool.execute(() -> cycle(service, key, scheduled, latency, failed, errors));
            }
            issueEnd = System.nanoTime();
            pool.shutdown();
            // Queued cycles keep their intended start times, so draining them still measures their full wait.
            pool.awaitTermination(duration.plus(LockServiceState.MAX_WAIT).toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            abandoned = pool.shutdownNow().size() + pool.getActiveCount();
        }
        long completed = latency.getTotalCount();
        double achieved = completed * 1e9 / (System.nanoTime() - start);
        return result(impl, rtt, rate, workers, latency, issued, issueEnd - start, achieved, failed.get(),
                errors.get(), abandoned);
    }

    private static void cycle(LockService service, String key, long intended, Histogram latency, AtomicLong failed,
                              AtomicLong errors) {
        try {
            Optional<Lease> lease = service.acquire(key, LockServiceState.TTL, LockServiceState.MAX_WAIT);
            if (lease.isEmpty()) {
                failed.incrementAndGet();
                return;
            }
            lease.get().release();
            latency.recordValue(Math.max(0, System.nanoTime() - intended));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            errors.incrementAndGet();
        }
    }

    private static BenchResult result(String impl, String rtt, double rate, int workers, Histogram latency,
                                      long issued, long issueNanos, double achieved, long failed, long errors,
                                      long abandoned) {
        Map<String, Double> percentiles = new LinkedHashMap<>();
        for (double percent : PERCENTILES) {
            percentiles.put(Metric.percentileKey(percent),
                    latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percent) / 1e3);
        }
        double mean = latency.getTotalCount() == 0 ? Double.NaN : latency.getMean() / 1e3;
        Map<String, Metric> secondary = new LinkedHashMap<>();
        secondary.put("offeredRate", Metric.of(issued * 1e9 / Math.max(1, issueNanos), "ops/s"));
        secondary.put("achievedRate", Metric.of(achieved, "ops/s"));
        secondary.put("acquired", Metric.of(latency.getTotalCount(), "#"));
        secondary.put("failed", Metric.of(failed, "#"));
        secondary.put("errors", Metric.of(errors, "#"));
        secondary.put("abandoned", Metric.of(abandoned, "#"));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("impl", impl);
        params.put("rate", String.format(Locale.ROOT, "%.0f", rate));
        params.put("rtt", rtt);
        return new BenchResult(BENCHMARK, BenchResult.SAMPLE_TIME, workers, params,
                new Metric(mean, Double.NaN, "us/op", percentiles), secondary);
    }
}
