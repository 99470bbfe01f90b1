package io.lockbench.report;

import io.lockbench.ttl.DurationText;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reporter on a golden run: JMH JSON and env.json from the published quick run of 2026-11-22 (raw histograms
 * and JVM arguments stripped), three benchmarks: the 500 µs-injected ping and uncontended cycle, and handoff. That
 * run predates noise recording; its {@code noise/} files were written for this test in the forks' format, with
 * three uncontended cases to flag (lettuce's PING 819 -> 1,131 µs, redisson beside a load of 3.12 on 2 CPUs,
 * redlock with 6.8 % steal) and no record for handoff.
 */
class ReportTest {

    private static final String RUN_ID = "2026-11-22T04-39-44Z-vm-a256972";
    private static final List<String> FIXTURE = List.of("env.json", "raw/baseline-ping-sample-t1-rtt500us.json",
            "raw/uncontended-sample-t1-rtt500us.json", "raw/handoff-thrpt-t2-rtt0.json",
            "noise/baseline-ping-sample-t1-rtt500us.jsonl", "noise/uncontended-sample-t1-rtt500us.jsonl");

    @TempDir
    Path results;

    private Path run;

    @BeforeEach
    void copyTheGoldenRun() throws IOException {
        run = results.resolve("results").resolve(RUN_ID);
        for (String file : FIXTURE) {
            Path target = run.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = ReportTest.class.getResourceAsStream("/run/" + file)) {
                Files.copy(in, target);
            }
        }
    }

    @Test
    void summaryHasATablePerScenarioRankingTheCorrectImplementationsAndSettingTheNaiveApart() throws IOException {
        Report.write(run);

        List<String> lines = Files.readAllLines(run.resolve(Report.SUMMARY_MD), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("# lockbench run " + RUN_ID);
        assertThat(lines).contains("### baseline ping, rtt 500us", "### uncontended, rtt 500us", "### handoff, rtt 0");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(120));
        List<String> uncontended = table(lines, "### uncontended, rtt 500us");
        assertThat(uncontended.get(0)).startsWith("| # | implementation").contains("ops/s ± 99.9 %", "of bound",
                "p50 µs", "p99 µs", "p99.9 µs");
        // Ranked by throughput: jedis ~564, lettuce ~494, redlock ~431, redisson ~424; then the naive, unranked.
        assertThat(uncontended.subList(2, uncontended.size())).extracting(line -> line.split("\\|")[2].strip())
                .containsExactly("jedis", "lettuce", "redlock", "redisson", "*naive: unsafe, not ranked*",
                        "naive-pexpire (unsafe)", "naive-setnx (unsafe)");
        assertThat(uncontended.get(2)).startsWith("| 1 | jedis").contains("~564 ± 13", "618", "91%", "1,700");
        // Each held to its own client's PING: Lettuce's 819.2 µs gives 610/s, Jedis's 809.0 µs 618/s.
        assertThat(uncontended.get(3)).startsWith("| 2 | lettuce").contains("~494 ± 25", "610", "81%");
        assertThat(uncontended.get(5)).startsWith("| 4 | redisson").contains("610");
        assertThat(uncontended.get(7)).startsWith("| - | naive-pexpire (unsafe)").contains("618");
        // The columns that did not fit in 120 come in a second table with the same rows.
        List<String> rest = table(lines.subList(lines.indexOf("### uncontended, rtt 500us") + uncontended.size() + 2,
                lines.size()), null);
        assertThat(rest.get(0)).startsWith("| # | implementation").contains("max µs", "cmd/sec", "failed", "flags");
        assertThat(rest.get(2)).startsWith("| 1 | jedis").contains("7.0").doesNotContain("naive").doesNotContain("%");
        assertThat(rest.subList(3, 6)).satisfiesExactly(
                lettuce -> assertThat(lettuce).startsWith("| 2 | lettuce").contains("rtt +38%"),
                redlock -> assertThat(redlock).startsWith("| 3 | redlock").contains("steal 7%"),
                redisson -> assertThat(redisson).startsWith("| 4 | redisson").contains("load 3.1/2"));
        assertThat(table(lines, "### handoff, rtt 0").get(0)).as("no noise records, no flags").doesNotContain("flags");
        String footnote = String.join(" ", lines.subList(lines.lastIndexOf("") + 1, lines.size()));
        assertThat(footnote).contains("rtt=500us -> jedis 809.0 µs, lettuce 819.2 µs.",
                "Held to jedis's: jedis, naive-pexpire, naive-setnx; lettuce's: lettuce, redisson, redlock.",
                "Redisson's own PING is not measured", "drifted by more than 25 %", "the machine's CPUs, or its benchmark threads plus Redis",
                "more than 5 % of CPU time").doesNotContain("above 100 %");
    }

    @Test
    void summaryCsvHasOneHeaderAndARowPerImplementationAndCase() throws IOException {
        Report.write(run);

        List<String> csv = Files.readAllLines(run.resolve(Report.SUMMARY_CSV), StandardCharsets.UTF_8);
        assertThat(csv.get(0)).isEqualTo(Summary.CSV_HEADER);
        assertThat(csv).hasSize(1 + 2 + 6 + 6);
        assertThat(csv.stream().filter(line -> line.startsWith("scenario,"))).hasSize(1);
        String jedis = csv.stream().filter(line -> line.startsWith("uncontended,500us,1,jedis,")).findFirst()
                .orElseThrow();
        String[] fields = jedis.split(",", -1);
        assertThat(fields).hasSize(Summary.CSV_HEADER.split(",").length);
        assertThat(fields[4]).isEqualTo("false");
        assertThat(Double.parseDouble(fields[5])).isBetween(563.0, 565.0);
        assertThat(fields[7]).isEqualTo("true");
        assertThat(Double.parseDouble(fields[14])).isEqualTo(7.0);
        assertThat(csv).anyMatch(line -> line.startsWith("uncontended,500us,1,naive-setnx,true,"));
        assertThat(fields[8]).startsWith("618.07");
        assertThat(jedis).endsWith(",812.03,815.1,0.7,0,");
        assertThat(csv).anyMatch(line -> line.startsWith("uncontended,500us,1,lettuce,false,")
                && line.split(",")[8].startsWith("610.3") && line.endsWith(",819.2,1130.5,0.81,0.04,rtt +38%"));
        assertThat(csv).anyMatch(line -> line.startsWith("baseline ping,500us,1,client:lettuce,")
                && line.split(",")[8].startsWith("1220.7"));
        assertThat(csv).anyMatch(line -> line.startsWith("handoff,0,2,jedis,") && line.endsWith(",,,,,"));
        assertThat(csv).anyMatch(line -> line.startsWith("handoff,0,2,redisson,false,") && line.contains(
                "latency = handoff"));
    }

    @Test
    void eachChartIsAPngOfTheStyledSizeAndMissingDataIsSaidNotDrawn() throws IOException {
        SafetyMatrix safety = new SafetyMatrix("chaos-run", Optional.empty(), List.of(
                new SafetyCell("jedis", "client-pause", true, 150, 3, 3, true, 0, -1),
                new SafetyCell("jedis", "failover", true, 150, 0, 0, false, 0, 900),
                new SafetyCell("redlock", "client-pause", true, 150, 0, 0, false, 0, -1),
                new SafetyCell("redlock", "failover", false, 0, 0, 0, false, 0, -1),
                new SafetyCell("naive-setnx", "client-pause", true, 150, 14, 0, false, 0, -1)));

        Report.Written written = Report.write(run, Optional.of(safety), Optional.empty());

        Path charts = run.resolve(Report.CHARTS);
        try (Stream<Path> files = Files.list(charts)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder(
                    "throughput-uncontended-rtt-500us.png", "latency-uncontended-rtt-500us.png",
                    "handoff-latency-handoff-rtt-0.png", Report.SAFETY_CHART, TtlCharts.STORIES_FILE);
        }
        for (Path png : written.files().stream().filter(file -> file.toString().endsWith(".png")).toList()) {
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes).as(png.toString()).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).as(png.toString()).isEqualTo(ChartStyle.DEFAULT.width());
            assertThat(image.getHeight()).as(png.toString()).isEqualTo(ChartStyle.DEFAULT.height());
        }
        assertThat(written.skipped()).isEmpty();
        String verdict = Files.readString(run.resolve(Report.VERDICT_MD), StandardCharsets.UTF_8);
        assertThat(verdict).contains("| fencing").contains("| jedis").doesNotContain("no safety run given");
    }

    @Test
    void withoutSafetyDataTheHeatMapIsSkippedWithItsReasonAndTheVerdictSaysSo() throws IOException {
        Report.Written written = Report.write(run);

        assertThat(written.skipped()).containsExactly("safety heat map: no safety run given");
        assertThat(run.resolve(Report.CHARTS).resolve(Report.SAFETY_CHART)).doesNotExist();
        String verdict = Files.readString(run.resolve(Report.VERDICT_MD), StandardCharsets.UTF_8);
        assertThat(verdict.lines().filter(line -> line.startsWith("| "))).hasSize(2 + 6);
        assertThat(verdict).contains("no safety run given").contains("bench run " + RUN_ID);
    }

    @Test
    void aChaosOnlyReportSaysWhyItDrawsNoTtlRiskChart() throws IOException {
        Path chaos = Files.createDirectories(results.resolve("chaos-run"));
        SafetyMatrix safety = new SafetyMatrix("chaos-run", Optional.empty(), List.of(
                new SafetyCell("jedis", "client-pause", true, 150, 0, 0, false, 0, -1)));

        Report.Written written = Report.write(chaos, Optional.of(safety), Optional.empty());

        assertThat(written.skipped()).contains("ttl risk chart of the four stories: no JMH results under raw/ to take"
                + " the lock's latency from");
        assertThat(chaos.resolve(Report.CHARTS).resolve(TtlCharts.STORIES_FILE)).doesNotExist();
    }

    @Test
    void aLaterBenchRunAddsTheCasesTheMainRunLacksAndIsNamed() throws IOException {
        Path later = results.resolve("results").resolve("2026-11-23T00-00-00Z-vm-later");
        Files.createDirectories(later.resolve(Report.RAW));
        Files.writeString(later.resolve("env.json"), Files.readString(run.resolve("env.json"))
                .replace(RUN_ID, "2026-11-23T00-00-00Z-vm-later"));
        Files.move(run.resolve("raw/handoff-thrpt-t2-rtt0.json"), later.resolve("raw/handoff-thrpt-t2-rtt0.json"));
        // The later run has an uncontended case too; the main run's figure stays.
        Files.writeString(later.resolve("raw/uncontended-sample-t1-rtt500us.json"),
                Files.readString(run.resolve("raw/uncontended-sample-t1-rtt500us.json")).replace("\"score\": ",
                        "\"score\": 1000000"));

        Report.write(run, List.of(later), Optional.empty(), Optional.empty());

        String summary = Files.readString(run.resolve(Report.SUMMARY_MD));
        assertThat(summary).contains("### handoff, rtt 0")
                .contains("With the cases this run lacks from: bench run 2026-11-23T00-00-00Z-vm-later (")
                .contains("): handoff.");
        Report.write(run);
        String mainOnly = Files.readString(run.resolve(Report.SUMMARY_MD));
        assertThat(mainOnly).doesNotContain("### handoff");
        List<String> mainRows = section(mainOnly, "### uncontended, rtt 500us").lines()
                .filter(line -> line.startsWith("| ")).toList();
        assertThat(mainRows).hasSizeGreaterThan(4);
        assertThat(summary.lines().toList()).as("the main run's uncontended figures, not the later run's")
                .containsAll(mainRows);
        assertThat(Files.readString(run.resolve(Report.VERDICT_MD))).doesNotContain("vm-later");
        Report.write(run, List.of(later), Optional.empty(), Optional.empty());
        assertThat(Files.readString(run.resolve(Report.VERDICT_MD))).contains("bench run 2026-11-23T00-00-00Z-vm-later");
    }

    @Test
    void aDirectoryWithoutResultsIsRefusedNamingIt() throws IOException {
        Path empty = Files.createDirectories(results.resolve("empty"));

        assertThatThrownBy(() -> Report.write(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no results in " + empty);
    }

    @Test
    void publishRegeneratesTheMarkerBlocksIdempotentlyAndLeavesTheRestAlone() throws IOException {
        Path readme = results.resolve("README.md");
        Files.writeString(readme, "# lockbench\n\nIntro quoting `" + Publish.RESULTS_BEGIN + "`.\n\n"
                + Publish.RESULTS_BEGIN + "\nhand-written, stale\n"
                + Publish.RESULTS_END + "\n\n## After\n\nMore.\n", StandardCharsets.UTF_8);
        Report.write(run);

        Publish.publish(run);
        String first = Files.readString(readme, StandardCharsets.UTF_8);
        String firstIndex = Files.readString(results.resolve("results").resolve("README.md"), StandardCharsets.UTF_8);
        Publish.publish(run);

        assertThat(Files.readString(readme, StandardCharsets.UTF_8)).isEqualTo(first);
        assertThat(Files.readString(results.resolve("results").resolve("README.md"), StandardCharsets.UTF_8))
                .isEqualTo(firstIndex);
        assertThat(first).startsWith("# lockbench\n\nIntro quoting `" + Publish.RESULTS_BEGIN + "`.\n\n"
                + Publish.RESULTS_BEGIN + "\n").endsWith(
                Publish.RESULTS_END + "\n\n## After\n\nMore.\n").doesNotContain("hand-written, stale")
                .contains("results/" + RUN_ID + "/charts/", "Which lock for which need", "##### uncontended, rtt");
        assertThat(firstIndex).contains(Publish.INDEX_BEGIN, "[" + RUN_ID + "](" + RUN_ID + "/)", "AMD EPYC, 2 cores",
                "7.0.15", "a256972");
    }

    @Test
    void publishWritesTheTtlGuidanceOfTheFourStoriesFromTheAdvisorWithTheRunsLatencyIdempotently() throws IOException {
        Path index = results.resolve("results").resolve("README.md");
        Files.createDirectories(index.getParent());
        Files.writeString(index, "# Published lockbench runs\n\nHow to read them.\n", StandardCharsets.UTF_8);
        Report.write(run);

        Publish.publish(run);
        String first = Files.readString(index, StandardCharsets.UTF_8);
        Publish.publish(run);

        assertThat(Files.readString(index, StandardCharsets.UTF_8)).isEqualTo(first);
        assertThat(first).startsWith("# Published lockbench runs\n\nHow to read them.\n")
                .contains(Publish.INDEX_BEGIN, Publish.GUIDANCE_BEGIN, Publish.GUIDANCE_END)
                .contains("![risk against ttl for the four stories](" + RUN_ID + "/charts/" + TtlCharts.STORIES_FILE
                        + ")");
        String guidance = first.substring(first.indexOf(Publish.GUIDANCE_BEGIN));
        // The run's measured lock cycle (jedis, 500 µs injected) is what the examples add; it has no extend result.
        assertThat(guidance).contains("jedis lock cycle (acquire + release), rtt 500us: p50 ", RUN_ID + "/raw)")
                .contains("extend: no ExtendBenchmark.extend sample-time result for 'jedis'")
                .doesNotContain(results.toString());
        RunLatencies latencies = RunLatencies.read(run, TtlGuidance.IMPLEMENTATION);
        assertThat(latencies.cycle().isNone()).isFalse();
        List<TtlGuidance.Example> examples = TtlGuidance.examples(latencies);
        assertThat(examples).extracting(example -> example.story().id())
                .containsExactly("bonus", "voucher", "leak", "leader");
        for (TtlGuidance.Example example : examples) {
            String section = section(guidance, "### Story " + example.story().number() + " (" + example.story().id()
                    + ")");
            assertThat(section).as(example.story().id()).contains(
                    "- **Inputs:** the lock is held for " + example.story().holdIs() + ": "
                            + example.story().holdSpec().replace(",", ", ") + ". Every section stalls once for "
                            + DurationText.format(example.story().pauseMillis()) + ": ",
                    "- **Advice:** ttl **" + DurationText.format(example.advice().ttlMillis()) + "**, renew every "
                            + DurationText.format(example.advice().renewMillis()) + ", wait at most "
                            + DurationText.format(example.advice().maxWaitMillis()),
                    "- **Risks at that ttl:** " + TtlGuidance.probability(example.advice().riskWithWatchdog())
                            + " with the watchdog, " + TtlGuidance.probability(example.advice().riskWithoutWatchdog())
                            + " without it",
                    "- **Recovery after a crashed holder:** up to "
                            + DurationText.format(example.advice().recoveryMillis()),
                    "`lockbench ttl " + example.story().ttlOptions() + " --run results/" + RUN_ID + "`");
        }
        // Story 1: every section that meets the 4 s spike outlives a 3 s ttl; the advised one outlasts the spike.
        TtlGuidance.Example bonus = examples.get(0);
        assertThat(bonus.storyRisk()).isEqualTo(1.0);
        assertThat(bonus.advice().ttlMillis() - bonus.advice().renewMillis()).isGreaterThan(4000);
        assertThat(bonus.advice().riskWithWatchdog()).isLessThanOrEqualTo(TtlStory.RISK);
        assertThat(section(guidance, "### Story 1 (bonus)")).contains("- **The story's own setting:** ttl 3 s, never"
                + " renewed: risk 1 per section (each one that meets the 4 s stall outlives its lease); recovery up to 3 s:"
                + " the advised ttl pays " + DurationText.format(bonus.advice().recoveryMillis() - 3000) + " more"
                + " recovery to meet the target risk.");
        // Story 3: the 2 h ttl's recovery against the advised one's.
        TtlGuidance.Example leak = examples.get(2);
        assertThat(leak.advice().recoveryMillis()).isLessThan(60_000);
        assertThat(section(guidance, "### Story 3 (leak)")).contains("recovery up to 2 h, ", " times the advised"
                + " ttl's " + DurationText.format(leak.advice().recoveryMillis()));
        // Story 4: 30 s renewed every 10 s; failover is the ttl plus a 10 s retry.
        assertThat(section(guidance, "### Story 4 (leader)")).contains("ttl 30 s, renewed every 10 s",
                "failover up to 40 s");
    }

    @Test
    void aReadmeWithoutMarkersGetsTheBlockAppended() {
        String text = Publish.replaceBlock("# x\n\nBody.\n", "<!-- b -->", "<!-- e -->", "block");

        assertThat(text).startsWith("# x\n\nBody.\n\n<!-- b -->\n").endsWith("block\n\n<!-- e -->\n");
        assertThat(Publish.replaceBlock(text, "<!-- b -->", "<!-- e -->", "block")).isEqualTo(text);
    }

    /**
     * The section under a heading, up to the next, checked to fit a terminal's width; its list items unwrapped (a
     * continuation line joined to its item) so that what it says can be compared whatever the line breaks.
     */
    private static String section(String markdown, String heading) {
        int from = markdown.indexOf(heading);
        assertThat(from).as(heading).isNotNegative();
        int to = markdown.indexOf("\n### ", from + heading.length());
        String section = markdown.substring(from, to < 0 ? markdown.length() : to);
        assertThat(section.lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(Summary.WIDTH));
        return section.replace("\n  ", " ");
    }

    /** The lines of the first table at or after a heading (or at the start, without one). */
    private static List<String> table(List<String> lines, String heading) {
        int from = heading == null ? 0 : lines.indexOf(heading);
        while (!lines.get(from).startsWith("|")) {
            from++;
        }
        int to = from;
        while (to < lines.size() && lines.get(to).startsWith("|")) {
            to++;
        }
        return lines.subList(from, to);
    }
}
