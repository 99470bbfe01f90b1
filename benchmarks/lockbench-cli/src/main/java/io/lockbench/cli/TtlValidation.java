package io.lockbench.cli;

import io.lockbench.api.AutoRenewal;
import io.lockbench.api.Lease;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.ReleaseResult;
import io.lockbench.api.RenewalListener;
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
 * with no hold and no stall, and the ttl is the one for which the advisor then predicts a risk of 1e-2 without a
 * watchdog. The same sections run again with an {@link AutoRenewal} watchdog renewing every third of the ttl.
 *
 * <p>The prediction printed is the advisor's with the latency the sections themselves met (each one's span beyond
 * its hold and pause, taken as the acquire + release latency and, with the watchdog, as the renewal delay): on a
 * shared machine the load changes between a calibration and the run, and a prediction from a stale latency would
 * test the weather, not the maths. The calibration's prediction is printed beside it.
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
        // One renewal thread per worker: a renewal held back by one frozen client must not delay the others'.
        ScheduledExecutorService renewals = Executors.newScheduledThreadPool(WORKERS, task -> {
            Thread thread = new Thread(task, "lockbench-ttl-renewal");
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
            section.run(workers, CALIBRATION_SECTIONS, Duration.ofSeconds(10), () -> 0, 0, Optional.empty());
            Outcome calibration = section.run(workers, CALIBRATION_SECTIONS, Duration.ofSeconds(10), () -> 0, 0,
                    Optional.empty());
            Latency calibrated = Latency.fromPercentiles(percentiles(calibration.overheadMillis()),
                    "lock cycle with no hold");
            HoldTime hold = exponential(MEAN_HOLD_MILLIS);
            TtlAdvisor before = advisor(hold, calibrated, Latency.none());
            long ttlMillis = (long) Math.ceil(before.ttlWithoutWatchdogFor(TARGET));
            long renewMillis = ttlMillis / 3;
            say("  [" + ProgressPrinter.format(Duration.ofNanos(System.nanoTime() - start)) + "] calibration, "
                    + calibrated.describe() + "; ttl " + ttlMillis + " ms; running the sections ...");
            DoubleSupplier exponentialHold = () -> -MEAN_HOLD_MILLIS * Math.log(1 - ThreadLocalRandom.current()
                    .nextDouble());
            Outcome run = section.run(workers, sections, Duration.ofMillis(ttlMillis), exponentialHold, PAUSE_MILLIS,
                    Optional.empty());
            say("  [" + ProgressPrinter.format(Duration.ofNanos(System.nanoTime() - start)) + "] the same with a"
                    + " watchdog renewing every " + renewMillis + " ms ...");
            Outcome watched;
            try (AutoRenewal watchdog = AutoRenewal.create(renewals)) {
                watched = section.run(workers, watchdogSections(), Duration.ofMillis(ttlMillis), exponentialHold,
                        PAUSE_MILLIS, Optional.of(watchdog));
            }
            // The model's latency input is what these sections met, not what the calibration did: on a shared
            // machine the load moves between the two, and it is the maths, not the forecast of the load, under test.
            Latency overhead = Latency.fromPercentiles(percentiles(run.overheadMillis()), "overhead");
            Latency watchedOverhead = Latency.fromPercentiles(percentiles(watched.overheadMillis()), "overhead");
            double predicted = advisor(hold, overhead, Latency.none()).riskWithoutWatchdog(ttlMillis);
            double predictedWatchdog = advisor(hold, watchedOverhead, watchedOverhead)
                    .riskWithWatchdog(ttlMillis, renewMillis);
            double measured = (double) run.expired() / sections;
            List<String> lines = new ArrayList<>();
            ConsoleText.wrap(lines, "  hold       ", "exponential, mean " + DurationText.format(MEAN_HOLD_MILLIS) + " ("
                    + hold.givenPercentiles() + "), a sleep inside the section");
            ConsoleText.wrap(lines, "  pause      ", "every section stalls " + DurationText.format(PAUSE_MILLIS)
                    + " before its release, its client frozen (renewals due meanwhile wait too)");
            ConsoleText.wrap(lines, "  ttl        ", ttlMillis + " ms: the advisor's ttl for a risk of 1e-2 without a"
                    + " watchdog, from a calibration (" + calibrated.describe() + ")");
            ConsoleText.wrap(lines, "  latency    ", "each section's span beyond its hold and pause, as measured in the"
                    + " run (" + overhead.describe().replace("overhead: ", "") + "): the model's acquire + release"
                    + " latency, and with the watchdog its renewal delay");
            lines.add("");
            lines.add(String.format(Locale.ROOT, "  %-34s %-10s %-10s %s", "lease expired while held", "predicted",
                    "measured", "count (the release found the key gone)"));
            lines.add(row("no watchdog", predicted, run.expired(), sections));
            lines.add(row("watchdog renewing every " + renewMillis + " ms", predictedWatchdog, watched.expired(),
                    watchdogSections()));
            lines.add(String.format(Locale.ROOT, "  %-34s %.2f (within a factor of 2: %s; the calibration alone"
                    + " predicted %s)", "measured / predicted, no watchdog", measured / predicted,
                    agree(predicted, measured) ? "yes" : "NO",
                    TtlCommand.probability(before.riskWithoutWatchdog(ttlMillis))));
            lines.forEach(stdout::println);
            stdout.printf(Locale.ROOT, "predicted=%.4f measured=%.4f sections=%d%n", predicted, measured, sections);
            stdout.flush();
            say("  took " + ProgressPrinter.format(Duration.ofNanos(System.nanoTime() - start)));
            return agree(predicted, measured) ? 0 : 1;
        } catch (RuntimeException e) {
            say("lockbench ttl --validate: " + Main.oneLine(e).orElse("could not run: " + e.getMessage()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            say("lockbench ttl --validate: interrupted");
            return 1;
        } finally {
            workers.shutdownNow();
            renewals.shutdownNow();
            thawer.shutdownNow();
        }
    }

    private static TtlAdvisor advisor(HoldTime hold, Latency cycle, Latency extend) {
        return new TtlAdvisor(new TtlQuestion(hold, PAUSE_MILLIS, TARGET, cycle, extend));
    }

    private static String row(String what, double predicted, int expired, int count) {
        return String.format(Locale.ROOT, "  %-34s %-10s %-10s %d of %d", what, TtlCommand.probability(predicted),
                TtlCommand.probability((double) expired / count), expired, count);
    }

    private static boolean agree(double predicted, double measured) {
        return measured <= 2 * predicted && measured >= predicted / 2;
    }

    /** A third of the sections, at least 100: the watchdog's run shows how rare expiry becomes. */
    private int watchdogSections() {
        return Math.max(100, sections / 3);
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

    private static Map<Double, Double> percentiles(double[] millis) {
        double[] sorted = millis.clone();
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
    private record Outcome(int expired, double[] overheadMillis) {
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

        Outcome run(ExecutorService workers, int count, Duration ttl, DoubleSupplier holdMillis, double pauseMillis,
                    Optional<AutoRenewal> watchdog) throws InterruptedException {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger expired = new AtomicInteger();
            double[] overhead = new double[count];
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
                        Optional<Lease> acquired = client.tryAcquire(key, ttl);
                        if (acquired.isEmpty()) {
                            throw new IllegalStateException("the validation key " + key + " was held by someone"
                                    + " else");
                        }
                        Lease lease = watchdog.isEmpty() ? acquired.get()
                                : watchdog.get().keep(acquired.get(), ttl, RenewalListener.NONE);
                        double hold = holdMillis.getAsDouble();
                        sleepUntil(begin + (long) (hold * 1e6));
                        // The freeze holds back the release and any renewal due meanwhile, as a paused process's.
                        client.freeze();
                        thawer.schedule(client::thaw, (long) (pauseMillis * 1e6), TimeUnit.NANOSECONDS);
                        if (lease.release() != ReleaseResult.RELEASED) {
                            expired.incrementAndGet();
                        }
                        overhead[i] = (System.nanoTime() - begin) / 1e6 - hold - pauseMillis;
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
            return new Outcome(expired.get(), overhead);
        }

        private static void sleepUntil(long deadline) {
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
