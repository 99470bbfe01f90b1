package io.lockbench.cli;

import io.lockbench.api.LockServices;
import io.lockbench.fixture.RedisSource;
import io.lockbench.report.RunLatencies;
import io.lockbench.report.TtlCharts;
import io.lockbench.ttl.DurationText;
import io.lockbench.ttl.HoldTime;
import io.lockbench.ttl.Latency;
import io.lockbench.ttl.TtlAdvice;
import io.lockbench.ttl.TtlAdvisor;
import io.lockbench.ttl.TtlInputException;
import io.lockbench.ttl.TtlQuestion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lockbench ttl}: reads the question, prints the {@link TtlAdvisor}'s answer, draws its charts. */
@Command(name = "ttl",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Size a lock's ttl: renewal interval, max wait, the risk of a lease expiring while held, and its price.",
        description = {
            "From how long holders keep the lock (percentiles, or samples), the longest stall to survive and, from a"
                + " bench run, the acquire/release and extend latency: the ttl that keeps the risk of a lease"
                + " expiring while its holder still works under it at the target with a watchdog renewing every"
                + " third of the ttl; that risk with and without the watchdog; and the price, recovery after a"
                + " crashed holder (up to the ttl; story 3 paid 2 hours).",
            "",
            "Beyond the highest given percentile the hold time is extended with the heavier of an exponential and a"
                + " Pareto tail through the two highest percentiles (the Pareto one, from there on): conservative,"
                + " as it keeps more probability far out than lighter tails through the same points.",
            "",
            "Durations take a unit: ns, us, ms, s, min, h (20ms, 1.5s). In a --hold-samples file each line is one"
                + " duration; a bare number is milliseconds; blank lines and lines starting with # are skipped.",
            "",
            "Charts ttl-risk.png (risk vs ttl) and ttl-recovery.png (recovery time vs ttl) go into --out DIR, or"
                + " with --run into RUN_DIR/charts/; with neither, none are drawn.",
            "",
            "--validate checks the model on real Redis: sections with an exponential hold time (mean 20 ms), each"
                + " stalled 50 ms by freezing its client, at the ttl a calibration gives a risk of 1e-2 without a"
                + " watchdog, then a third as many with a watchdog; prints the advisor's prediction (with the latency"
                + " the sections met) and the measured rate of expiry while held side by side, ending with"
                + " predicted=<rate> measured=<rate> sections=<n>. About 40 s; exit 1 when the two differ by more"
                + " than a factor of 2.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  lockbench ttl --hold p50=20ms,p99=200ms,p999=800ms --pause 500ms --risk 1e-6",
            "  lockbench ttl --hold p50=20ms,p99=200ms --run results/<run-id> --format kv",
            "  lockbench ttl --validate"
        })
final class TtlCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { human, kv }

    /** An advised ttl this many times the watchdog's shortest, and at least {@link #LONG_RECOVERY_MILLIS}... */
    private static final long LONG_RECOVERY_FACTOR = 10;
    /** ... gets a note on what it costs in recovery time, and how to cap it. */
    private static final long LONG_RECOVERY_MILLIS = 60_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--hold", paramLabel = "pNN=DURATION,...",
            description = "Hold-time percentiles, at least two: p50, p90, p99, p999 (99.9th), p9999 (99.99th), such"
                    + " as p50=20ms,p99=200ms,p999=800ms.")
    private String hold;

    @Option(names = "--hold-samples", paramLabel = "FILE",
            description = "Hold times, one per line (at least 50); with --hold, the longer of the two at each level.")
    private Path holdSamples;

    @Option(names = "--pause", paramLabel = "DURATION", defaultValue = "0",
            description = "The longest stall to survive (GC or VM pause, slow call); every section is assumed to"
                    + " meet it once (default: ${DEFAULT-VALUE}).")
    private String pause;

    @Option(names = "--risk", paramLabel = "P", defaultValue = "1e-6",
            description = "Target probability, per section, that a lease expires while held; in (0, 1)"
                    + " (default: ${DEFAULT-VALUE}).")
    private String risk;

    @Option(names = "--max-recovery", paramLabel = "DURATION",
            description = "The longest a crashed holder may block the lock, which caps the ttl (default: no cap)."
                    + " Give it for a lock held for a whole term, such as a leader's: its hold time would otherwise"
                    + " ask for a ttl, and a takeover, as long as the term.")
    private String maxRecovery;

    @Option(names = "--run", paramLabel = "RUN_DIR",
            description = "A lockbench bench run directory: acquire/release and extend latency from its raw/ JMH"
                    + " results (the uncontended cycle and the extend benchmark). Without it they count as 0.")
    private Path run;

    @Option(names = "--impl", paramLabel = "NAME", defaultValue = "jedis",
            description = "Whose latency to read from --run, and which implementation --validate runs"
                    + " (default: ${DEFAULT-VALUE}).")
    private String implementation;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "human",
            description = "human, or kv: one name=value per line (ttl_ms, renew_ms, max_wait_ms, risk_without_watchdog,"
                    + " risk_with_watchdog, recovery_ms, ttl_without_watchdog_ms when one exists).")
    private Format format;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the charts (default: RUN_DIR/charts with --run, else none).")
    private Path out;

    @Option(names = "--validate", description = "Check the model against a short run on real Redis (see above).")
    private boolean validate;

    @Option(names = "--sections", paramLabel = "N", defaultValue = "3000",
            description = "Sections --validate runs (default: ${DEFAULT-VALUE}; about 100 expiries expected per"
                    + " 10000).")
    private int sections;

    @Option(names = "--redis", paramLabel = "SOURCE",
            description = "For --validate: auto, embedded or path[:binary]. Default: $LOCKBENCH_REDIS or auto.")
    private String redis;

    @Override
    public Integer call() {
        if (validate) {
            return validate();
        }
        if (run != null && !Files.isDirectory(run)) {
            throw usage("--run: no such directory: " + run + " (a lockbench bench run, such as results/<run-id>)");
        }
        TtlQuestion question;
        RunLatencies latencies;
        try {
            HoldTime holdTime = holdTime();
            latencies = run == null ? RunLatencies.none("none measured (give --run RUN_DIR): acquire, release and"
                    + " extend latency count as 0") : RunLatencies.read(run, implementation);
            question = new TtlQuestion(holdTime, DurationText.parseMillis("--pause", pause), parseRisk(),
                    latencies.cycle(), latencies.extend(), maxRecovery == null ? Double.POSITIVE_INFINITY
                    : DurationText.parseMillis("--max-recovery", maxRecovery));
        } catch (TtlInputException e) {
            throw usage(e.getMessage());
        }
        TtlAdvisor advisor = new TtlAdvisor(question);
        TtlAdvice advice;
        try {
            advice = advisor.advise();
        } catch (TtlInputException e) {
            throw usage(e.getMessage());
        }
        Path chartDir = out != null ? out : run != null ? run.resolve("charts") : null;
        List<Path> charts = List.of();
        PrintWriter stdout = spec.commandLine().getOut();
        if (chartDir != null) {
            System.setProperty("java.awt.headless", "true");
            try {
                charts = TtlCharts.write(advisor, advice, latencySource(latencies), chartDir);
            } catch (UncheckedIOException e) {
                return failed(e.getMessage() + " (choose another --out DIR)");
            } catch (AWTError e) {
                // Java's 2D stack without its native parts (a JRE without fonts): the answer stands without charts.
                return failed("cannot draw the charts: " + e.getMessage() + " (install a full JDK, or drop --out)");
            }
        }
        if (format == Format.kv) {
            keyValues(advice).forEach(stdout::println);
        } else {
            human(question, advice, latencies, charts).forEach(stdout::println);
        }
        stdout.flush();
        return 0;
    }

    private int validate() {
        if (hold != null || holdSamples != null || run != null || out != null) {
            throw usage("--validate uses its own synthetic hold times and measures its own latency; drop --hold,"
                    + " --hold-samples, --run and --out");
        }
        if (sections < 100) {
            throw usage("--sections: at least 100 for a measurable rate, got " + sections);
        }
        if (!LockServices.names().contains(implementation)) {
            throw usage("--impl: no implementation called '" + implementation + "'; registered: "
                    + String.join(", ", LockServices.names()));
        }
        RedisSource source;
        try {
            source = redis == null ? RedisSource.fromEnvironment() : RedisSource.parse(redis);
        } catch (IllegalArgumentException e) {
            throw usage("--redis: " + e.getMessage());
        }
        if (source instanceof RedisSource.External || source instanceof RedisSource.Docker || source.isCluster()) {
            throw usage("--redis: --validate starts its own server (auto, embedded or path); got " + source.describe());
        }
        return new TtlValidation(implementation, source, sections, spec.commandLine().getOut(),
                spec.commandLine().getErr()).execute();
    }

    private HoldTime holdTime() {
        if (hold == null && holdSamples == null) {
            throw new TtlInputException(TtlInputException.Problem.MALFORMED, "give the hold time: --hold"
                    + " p50=20ms,p99=200ms,p999=800ms and/or --hold-samples FILE");
        }
        HoldTime given = hold == null ? null : HoldTime.parse(hold);
        if (holdSamples == null) {
            return given;
        }
        HoldTime sampled = HoldTime.fromSamples(samples(holdSamples), holdSamples.toString());
        return given == null ? sampled : given.orLonger(sampled);
    }

    /** The samples file's durations: one per line, a bare number in milliseconds, # comments and blanks skipped. */
    static List<Double> samples(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TtlInputException(TtlInputException.Problem.EMPTY_SAMPLES, "--hold-samples: cannot read "
                    + file + " (" + e.getClass().getSimpleName() + ")");
        }
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                samples.add(DurationText.parseSampleMillis(file + ":" + (i + 1), line));
            }
        }
        return samples;
    }

    private double parseRisk() {
        try {
            return Double.parseDouble(risk.strip());
        } catch (NumberFormatException e) {
            throw new TtlInputException(TtlInputException.Problem.MALFORMED, "--risk: expected a probability such as"
                    + " 1e-6, got '" + risk + "'");
        }
    }

    private String latencySource(RunLatencies latencies) {
        return latencies.cycle().isNone() && latencies.extend().isNone() ? "none measured (0)"
                : "measured, " + implementation + ": " + latencies.summary();
    }

    static List<String> keyValues(TtlAdvice advice) {
        List<String> lines = new ArrayList<>(List.of(
                "ttl_ms=" + advice.ttlMillis(),
                "renew_ms=" + advice.renewMillis(),
                "max_wait_ms=" + advice.maxWaitMillis(),
                "risk_without_watchdog=" + probability(advice.riskWithoutWatchdog()),
                "risk_with_watchdog=" + probability(advice.riskWithWatchdog()),
                "recovery_ms=" + advice.recoveryMillis(),
                "ttl_with_watchdog_ms=" + advice.ttlWithWatchdogMillis()));
        if (!Double.isInfinite(advice.ttlWithoutWatchdogMillis())) {
            lines.add("ttl_without_watchdog_ms=" + (long) advice.ttlWithoutWatchdogMillis());
        }
        return lines;
    }

    private List<String> human(TtlQuestion question, TtlAdvice advice, RunLatencies latencies, List<Path> charts) {
        List<String> lines = new ArrayList<>();
        lines.add("lockbench ttl: target risk " + risk.strip() + " per section that a lease expires while its holder"
                + " still works under it");
        question.hold().describe().forEach(line -> ConsoleText.wrap(lines, "  hold time  ", line));
        ConsoleText.wrap(lines, "  pause      ", question.pauseMillis() == 0 ? "none given (--pause): no stall assumed"
                : "every section stalls once for " + DurationText.format(question.pauseMillis()) + " (the worst case)");
        latencies.notes().forEach(note -> ConsoleText.wrap(lines, "  latency    ", note));
        lines.add("");
        String renewNote = advice.renewMillis() >= question.hold().quantile(0.99)
                ? "a third of the ttl; 99 % of sections end before their first renewal"
                : "a third of the ttl";
        row(lines, "ttl", DurationText.format(advice.ttlMillis()), "acquire with it, and keep the lease with a watchdog");
        row(lines, "renew every", DurationText.format(advice.renewMillis()), renewNote);
        row(lines, "max wait", DurationText.format(advice.maxWaitMillis()), "outwaits a live holder (p99.9 hold"
                + " + pause) and a crashed holder's lease");
        row(lines, "risk, watchdog", probability(advice.riskWithWatchdog()), "per section, at this ttl"
                + (advice.riskWithWatchdog() == 0 ? ": no renewal gap (renew + pause + slowest extend) reaches it"
                : ""));
        row(lines, "risk, none", probability(advice.riskWithoutWatchdog()), "per section, at this ttl with no"
                + " watchdog" + (advice.riskWithoutWatchdog() > question.risk() ? ": above the target" : ""));
        row(lines, "recovery", DurationText.format(advice.recoveryMillis()), "a crashed holder blocks the lock until"
                + " its lease runs out (story 3: a 2 h ttl, 2 h)");
        row(lines, "no watchdog", Double.isInfinite(advice.ttlWithoutWatchdogMillis()) ? "> 1 day"
                : DurationText.format(advice.ttlWithoutWatchdogMillis()), "the ttl the same risk needs with no"
                + " renewal, and so its recovery time");
        if (question.maxRecoveryMillis() == Double.POSITIVE_INFINITY
                && advice.ttlMillis() >= LONG_RECOVERY_FACTOR * advice.ttlWithWatchdogMillis()
                && advice.ttlMillis() >= LONG_RECOVERY_MILLIS) {
            lines.add("");
            ConsoleText.wrap(lines, "Note: ", "the hold time's tail sets this ttl, so that 99 % of sections end before their first"
                    + " renewal; with renewals on every section " + DurationText.format(advice.ttlWithWatchdogMillis())
                    + " meets the same risk and recovers " + DurationText.format(advice.ttlMillis()
                    - advice.ttlWithWatchdogMillis()) + " sooner. A lock held for a whole term (a leader's) should"
                    + " cap it: --max-recovery " + DurationText.format(Math.max(advice.ttlWithWatchdogMillis(),
                    LONG_RECOVERY_MILLIS / 2)).replace(" ", "") + ".");
        }
        if (!charts.isEmpty()) {
            lines.add("");
            charts.forEach(chart -> ConsoleText.wrap(lines, "Chart: ", chart.toString()));
        }
        return lines;
    }

    private static void row(List<String> lines, String name, String value, String note) {
        ConsoleText.wrap(lines, String.format(Locale.ROOT, "  %-15s %-9s ", name, value), note);
    }

    static String probability(double p) {
        return p == 0 ? "0" : String.format(Locale.ROOT, "%.2e", p);
    }

    private int failed(String message) {
        PrintWriter stderr = spec.commandLine().getErr();
        stderr.println("lockbench ttl: " + message);
        stderr.flush();
        return 1;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
