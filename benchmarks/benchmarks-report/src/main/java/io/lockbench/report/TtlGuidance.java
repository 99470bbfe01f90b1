package io.lockbench.report;

import io.lockbench.ttl.DurationText;
import io.lockbench.ttl.TtlAdvice;
import io.lockbench.ttl.TtlAdvisor;
import io.lockbench.ttl.TtlQuestion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * TTL guidance from a run: the advisor's answer to each of the four stories ({@link TtlStory}), with the lock
 * cycle and extend latency that run measured, as worked examples in Markdown for {@code results/README.md} and as
 * the data of the report's story risk chart. Nothing in it is written by hand: the inputs are the stories', every
 * figure is the advisor's.
 */
final class TtlGuidance {

    /**
     * Whose measured latency the examples use: the synchronous client most users start with.
     * {@code lockbench ttl --run RUN_DIR --impl NAME} answers for another.
     */
    static final String IMPLEMENTATION = "jedis";

    private TtlGuidance() {
    }

    /**
     * One story, asked and answered.
     *
     * @param story the story
     * @param advisor the advisor, holding the question
     * @param advice its answer
     * @param storyRisk the risk per section at the story's own ttl (with its renewal, where it renewed); NaN when
     *     the story had no ttl of its own to judge
     */
    record Example(TtlStory story, TtlAdvisor advisor, TtlAdvice advice, double storyRisk) {
    }

    /**
     * Asks the advisor each story's question with a run's latencies.
     *
     * @param latencies what the run measured
     * @return the four examples, in story order
     */
    static List<Example> examples(RunLatencies latencies) {
        return Arrays.stream(TtlStory.values()).map(story -> {
            TtlAdvisor advisor = new TtlAdvisor(new TtlQuestion(story.hold(), story.pauseMillis(), TtlStory.RISK,
                    latencies.cycle(), latencies.extend()));
            double ttl = story.storyTtlMillis();
            double storyRisk = Double.isNaN(ttl) ? Double.NaN : Double.isNaN(story.storyRenewMillis())
                    ? advisor.riskWithoutWatchdog(ttl) : advisor.riskWithWatchdog(ttl, story.storyRenewMillis());
            return new Example(story, advisor, advisor.advise(), storyRisk);
        }).toList();
    }

    /**
     * The guidance section for {@code results/README.md}.
     *
     * @param runDir the published run, for its latencies and chart; its name goes into the links
     * @param latencies the run's latencies, as {@link RunLatencies#read} gives them for {@link #IMPLEMENTATION}
     * @return Markdown, its headings below the README's title
     */
    static String markdown(Path runDir, RunLatencies latencies) {
        String run = runDir.getFileName().toString();
        StringBuilder md = new StringBuilder("## TTL guidance: the four stories, answered by the advisor\n\n");
        md.append("Computed by `lockbench report --publish` from run [").append(run).append("](").append(run)
                .append("/) with the TTL advisor (`lockbench ttl`); the inputs are each story's, every figure is the")
                .append(" advisor's. Target: a risk of ").append(TtlCharts.risk(TtlStory.RISK))
                .append(" per section that a lease expires while its holder still works under it. The advised ttl")
                .append(" is kept by a watchdog renewing every third of it; recovery is how long a crashed holder")
                .append(" blocks the lock: up to the ttl.\n\n");
        md.append("Latency the run measured for ").append(IMPLEMENTATION).append(" (a lock cycle adds to every")
                .append(" section's time on the server, an extend to every renewal gap):\n");
        latencies.notes().forEach(note -> md.append("- ").append(relative(note, runDir)).append('\n'));
        md.append('\n');
        if (Files.isRegularFile(runDir.resolve(Report.CHARTS).resolve(TtlCharts.STORIES_FILE))) {
            md.append("![risk against ttl for the four stories](").append(run).append('/').append(Report.CHARTS)
                    .append('/').append(TtlCharts.STORIES_FILE).append(")\n\n");
        }
        for (Example example : examples(latencies)) {
            md.append(example(example, run));
        }
        return md.toString();
    }

    private static String example(Example example, String run) {
        TtlStory story = example.story();
        TtlAdvice advice = example.advice();
        TtlQuestion question = example.advisor().question();
        StringBuilder md = new StringBuilder("### Story ").append(story.number()).append(" (").append(story.id())
                .append("): ").append(story.title()).append("\n\n");
        md.append("- **Inputs:** the lock is held for ").append(story.holdIs()).append(": ")
                .append(story.holdSpec().replace(",", ", ")).append(". Every section stalls once for ")
                .append(DurationText.format(question.pauseMillis())).append(": ").append(story.pauseIs())
                .append(".\n");
        md.append("- **Advice:** ttl **").append(DurationText.format(advice.ttlMillis())).append("**, renew every ")
                .append(DurationText.format(advice.renewMillis())).append(", wait at most ")
                .append(DurationText.format(advice.maxWaitMillis())).append(" to acquire.\n");
        md.append("- **Risks at that ttl:** ").append(probability(advice.riskWithWatchdog()))
                .append(" with the watchdog, ").append(probability(advice.riskWithoutWatchdog()))
                .append(" without it").append(Double.isInfinite(advice.ttlWithoutWatchdogMillis())
                        ? " (no ttl up to a day reaches the target without renewal)"
                        : " (without renewal the target needs a ttl of "
                                + DurationText.format(advice.ttlWithoutWatchdogMillis()) + ")").append(".\n");
        md.append("- **Recovery after a crashed holder:** up to ").append(DurationText.format(advice.recoveryMillis()))
                .append(".\n");
        if (!Double.isNaN(example.storyRisk())) {
            md.append("- **The story's own setting:** ").append(storySetting(example)).append('\n');
        }
        md.append("- **Beyond the ttl:** ").append(story.beyondTheTtl()).append('\n');
        md.append("- **Ask it yourself:** `lockbench ttl ").append(story.ttlOptions()).append(" --run results/")
                .append(run).append("`\n\n");
        return md.toString();
    }

    private static String storySetting(Example example) {
        TtlStory story = example.story();
        TtlAdvice advice = example.advice();
        double ttl = story.storyTtlMillis();
        boolean renewed = !Double.isNaN(story.storyRenewMillis());
        String setting = "ttl " + DurationText.format(ttl) + (renewed ? ", renewed every "
                + DurationText.format(story.storyRenewMillis()) : ", never renewed") + ": risk "
                + probability(example.storyRisk()) + " per section" + (example.storyRisk() >= 0.9995
                ? " (each one that meets the " + DurationText.format(story.pauseMillis()) + " stall outlives its lease)"
                : "");
        double recovery = renewed ? ttl + story.storyRenewMillis() : ttl;
        String recoveryText = renewed ? "failover up to " + DurationText.format(recovery) + " (the ttl, then a retry"
                + " every " + DurationText.format(story.storyRenewMillis()) + ")" : "recovery up to "
                + DurationText.format(recovery);
        if (recovery < advice.recoveryMillis()) {
            // A ttl shorter than the advice recovers sooner: say what the advice pays for its risk.
            return setting + "; " + recoveryText + ": the advised ttl pays " + DurationText.format(
                    advice.recoveryMillis() - recovery) + " more recovery to meet the target risk.";
        }
        return setting + "; " + String.format(Locale.ROOT, "%s, %s the advised ttl's %s", recoveryText,
                times(recovery / advice.recoveryMillis()), DurationText.format(advice.recoveryMillis())) + ".";
    }

    /** How many times the advised recovery the story's is: {@code 4,800 times}, {@code 1.3 times}. */
    private static String times(double ratio) {
        if (Math.abs(ratio - 1) < 0.05) {
            return "about";
        }
        return String.format(Locale.ROOT, ratio >= 10 ? "%,.0f times" : "%.1f times", ratio);
    }

    /** {@code 0}, {@code 1} for a certainty, else two significant digits: {@code 1.0e-2}. */
    static String probability(double p) {
        if (p == 0) {
            return "0";
        }
        if (p >= 0.9995) {
            return "1";
        }
        return String.format(Locale.ROOT, "%.1e", p).replace("e-0", "e-");
    }

    /**
     * The notes name the raw directory by its path; the README shows it relative to results/, so that the text does
     * not depend on where the repository is checked out.
     */
    private static String relative(String note, Path runDir) {
        Path parent = runDir.toAbsolutePath().getParent();
        String text = parent == null ? note : note.replace(parent + "/", "");
        return text.replace(runDir + "/", runDir.getFileName() + "/");
    }
}
