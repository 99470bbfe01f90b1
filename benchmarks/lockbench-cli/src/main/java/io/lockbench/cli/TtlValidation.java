package io.lockbench.cli;

import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.ReleaseResult;
import io.lockbench.fixture.FreezableLockService;
import io.lockbench.fixture.RedisNodes;
import io.lockbench.fixture.RedisSource;
import io.lockbench.ttl.DurationText;
import io.lockbench.ttl.HoldTime;
import io.lockbench.ttl.Latency;
import io.lockbench.ttl.TtlAdvisor;
import io.lockbench.ttl.TtlQuestion;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;

/**
 * {@code lockbench ttl --validate}: the advisor's model against real Redis. Workers each take their own key
 * with a real implementation, hold it for an exponentially distributed time (sleeping), then stall for the
 * pause with their client frozen ({@link FreezableLockService}: the release waits, as a paused process's
 * would), and release; a release that finds the key gone ({@link ReleaseResult#EXPIRED}, the server's word)
 * is a lease that expired while held. The lock cycle's own latency is measured first, through the same path
 * with no hold and no stall, and given to the advisor as a bench run's would be; the ttl is the one for which
 * the advisor predicts a risk of 1e-2 without a watchdog.
 */
final class TtlValidation {

    /** The synthetic hold time's mean. */
    static final double MEAN_HOLD_MILLIS = 20;
    /** The stall every section meets. */
    static final double PAUSE_MILLIS = 50;
    /** The risk the ttl is chosen for: high enough to count in a short run. */
    static final double TARGET = 1e-2;
    private static final int WORKERS = 8;
    private static final int CALIBRATION_SECTIONS = 400;

    private final String implementation;
    private final RedisSource source;
    private final int sections;
    private final PrintWriter stdout;
    private final PrintWriter stderr;

    TtlValidation(String implementation, RedisSource source, int sections, PrintWriter stdout, PrintWriter stderr) {
        this.implementation = implementation;
        this.source = source;
        this.sections = sections;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs it.
     *
     * @return 0 when predicted and measured agree within a factor of 2, 1 when not or when the run failed
     */
    int execute() {
        long start = System.nanoTime();
        ScheduledExecutorService thawer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lockbench-ttl-thaw");
            thread.setDaemon(true);
            return thread;
        });
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS, task -> {
            Thread thread = new Thread(task, "lockbench-ttl-worker");
            thread.setDaemon(true);
            return thread;
        });
        try (RedisNodes redis = RedisNodes.start(1, source);
             LockService service = LockServices.create(implementation, redis.settings())) {
            say("lockbench ttl --validate: " + implementation + " on " + redis.node(0).uri() + ", " + sections
                    + " sections, " + WORKERS + " workers each on its own key");
            Section section = new Section(redis.keyPrefix(), service, thawer);
            // The first cycles pay for connections and JIT compilation, which no later section does.
            section.run(workers, CALIBRATION_SECTIONS, Duration.ofSeconds(10), () -> 0, 0);
            Outcome calibration = section.run(workers, CALIBRATION_SECTIONS, Duration.ofSeconds(10), () -> 0, 0);
            Latency cycle = Latency.fromPercentiles(percentiles(calibration.spansMillis()),
                    "measured lock cycle (acquire + freeze/thaw + release, no hold)");
            HoldTime hold = exponential(MEAN_HOLD_MILLIS);
            TtlAdvisor advisor = new TtlAdvisor(new TtlQuestion(hold, PAUSE_MILLIS, TARGET, cycle, Latency.none()));
            long ttlMillis = (long) Math.ceil(advisor.ttlWithoutWatchdogFor(TARGET));
            double predicted = advisor.riskWithoutWatchdog(ttlMillis);
            say("  [" + ProgressPrinter.format(Duration.ofNanos(System.nanoTime() - start)) + "] " + cycle.describe()
                    + "; ttl " + ttlMillis + " ms; running the sections ...");
            Outcome run = section.run(workers, sections, Duration.ofMillis(ttlMillis), () -> -MEAN_HOLD_MILLIS
                    * Math.log(1 - ThreadLocalRandom.current().nextDouble()), PAUSE_MILLIS);
            double measured = (double) run.expired() / sections;
            print(hold, cycle, ttlMillis, predicted, run, measured);
            stdout.printf(Locale.ROOT, "predicted=%.4f measured=%.4f sections=%d%n", predicted, measured, sections);
            stdout.flush();
            say("  took " + ProgressPrinter.format(Duration.ofNanos(System.nanoTime() - start)));
            return measured <= 2 * predicted && measured >= predicted / 2 ? 0 : 1;
        } catch (RuntimeException e) {
            say("lockbench ttl --validate: could not run: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            say("lockbench ttl --validate: interrupted");
            return 1;
        } finally {
            workers.shutdownNow();
            thawer.shutdownNow();
        }
    }

    private void print(HoldTime hold, Latency cycle, long ttlMillis, double predicted, Outcome run, double measured) {
        List<String> lines = new ArrayList<>();
        TtlCommand.wrap(lines, "  hold       ", "exponential, mean " + DurationText.format(MEAN_HOLD_MILLIS) + " ("
                + hold.givenPercentiles() + "), a sleep inside the section");
        TtlCommand.wrap(lines, "  pause      ", "every section stalls " + DurationText.format(PAUSE_MILLIS)
                + " before its release, its client frozen");
        TtlCommand.wrap(lines, "  latency    ", cycle.describe());
        TtlCommand.wrap(lines, "  ttl        ", ttlMillis + " ms: the advisor's ttl for a risk of 1e-2 without a"
                + " watchdog");
        lines.add("");
        lines.add(String.format(Locale.ROOT, "  %-38s %-10s %-10s %s", "", "predicted", "measured", "count"));
        lines.add(String.format(Locale.ROOT, "  %-38s %-10s %-10s %d of %d (server: release found the key gone)",
                "lease expired while held, per section", TtlCommand.probability(predicted),
                TtlCommand.probability(measured), run.expired(), sections));
        lines.add(String.format(Locale.ROOT, "  %-38s %.2f (within a factor of 2: %s)", "measured / predicted",
                measured / predicted, measured <= 2 * predicted && measured >= predicted / 2 ? "yes" : "NO"));
        lines.forEach(stdout::println);
    }

    /** The hold time of an exponential distribution, given as its exact percentiles. */
    static HoldTime exponential(double meanMillis) {
        StringBuilder spec = new StringBuilder();
        for (String level : List.of("p50", "p90", "p99", "p999", "p9999")) {
            double fraction = switch (level) {
                case "p50" -> 0.5;
                case "p90" -> 0.9;
                case "p99" -> 0.99;
                case "p999" -> 0.999;
                default -> 0.9999;
            };
            spec.append(spec.isEmpty() ? "" : ",").append(level).append('=')
                    .append(String.format(Locale.ROOT, "%.6fms", -meanMillis * Math.log1p(-fraction)));
        }
        return HoldTime.parse(spec.toString());
    }

    private static Map<Double, Double> percentiles(double[] spans) {
        double[] sorted = spans.clone();
        Arrays.sort(sorted);
        Map<Double, Double> percentiles = new LinkedHashMap<>();
        for (double percent : new double[] {50, 90, 99, 99.9, 100}) {
            int rank = (int) Math.ceil(percent / 100 * sorted.length) - 1;
            percentiles.put(percent, sorted[Math.max(0, rank)]);
        }
        return percentiles;
    }

    private void say(String line) {
        stderr.println(line);
        stderr.flush();
    }

    /** What a batch of sections found. */
    private record Outcome(int expired, double[] spansMillis) {
    }

    /** One worker's section, run many times: acquire, hold, stall with the client frozen, release. */
    private static final class Section {
        private final String keyPrefix;
        private final LockService service;
        private final ScheduledExecutorService thawer;

        Section(String keyPrefix, LockService service, ScheduledExecutorService thawer) {
            this.keyPrefix = keyPrefix;
            this.service = service;
            this.thawer = thawer;
        }

        Outcome run(ExecutorService workers, int count, Duration ttl, DoubleSupplier holdMillis, double pauseMillis)
                throws InterruptedException {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger expired = new AtomicInteger();
            double[] spans = new double[count];
            List<Future<?>> running = new ArrayList<>();
            List<FreezableLockService> clients = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                String key = keyPrefix + "ttl-validate-" + w;
                // Each worker's own wrapper, so freezing one worker's client stalls no other.
                FreezableLockService client = new FreezableLockService(service);
                clients.add(client);
                running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long begin = System.nanoTime();
                        Optional<Lease> lease = client.tryAcquire(key, ttl);
                        if (lease.isEmpty()) {
                            throw new IllegalStateException("the validation key " + key + " was held by someone"
                                    + " else");
                        }
                        sleepUntil(begin + (long) (holdMillis.getAsDouble() * 1e6));
                        client.freeze();
                        thawer.schedule(client::thaw, (long) (pauseMillis * 1e6), TimeUnit.NANOSECONDS);
                        if (lease.get().release() != ReleaseResult.RELEASED) {
                            expired.incrementAndGet();
                        }
                        spans[i] = (System.nanoTime() - begin) / 1e6;
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> worker : running) {
                    worker.get();
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(String.valueOf(cause), cause);
            } finally {
                // A worker stopped early may sit in a frozen release whose thaw was never scheduled or run.
                clients.forEach(FreezableLockService::thaw);
            }
            return new Outcome(expired.get(), spans);
        }

        private static void sleepUntil(long deadline) {
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
