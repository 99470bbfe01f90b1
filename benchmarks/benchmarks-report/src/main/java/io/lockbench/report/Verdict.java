package io.lockbench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The decision table of {@code verdict.md}: for each need a user comes with, the implementation this run's data
 * points to, the figure that shows it, the safety result behind it and what it costs. Only the correct
 * implementations are candidates; a need the given runs have no data for says so instead of guessing.
 */
final class Verdict {

    /** The faults that take a Redis node away. */
    static final Set<String> NODE_LOSS = Set.of("kill-restart", "kill-restart-delayed", "kill-majority",
            "kill-majority-delayed", "failover", "failover-ack");

    private static final String NO_SAFETY = "no safety run given";

    private final List<SummaryRow> rows;
    private final Optional<SafetyMatrix> safety;
    private final List<ScenarioOutcome> scenarios;

    private Verdict(List<SummaryRow> rows, Optional<SafetyMatrix> safety, List<ScenarioOutcome> scenarios) {
        this.rows = rows;
        this.safety = safety;
        this.scenarios = scenarios;
    }

    /**
     * One measured outcome of {@code lockbench scenario}, a line of {@code scenarios.csv}.
     *
     * @param scenario the story: bonus, voucher, leak, leader
     * @param impl the implementation
     * @param outcome what was measured, such as {@code ttl=2s:two_leaders}
     * @param value the figure
     * @param unit its unit, such as {@code s} or {@code count}
     */
    record ScenarioOutcome(String scenario, String impl, String outcome, double value, String unit) {

        /**
         * Reads {@code scenarios.csv} (unquoted fields; the scenario run writes no commas inside them).
         *
         * @param file the file
         * @return its lines after the header
         * @throws UncheckedIOException when it cannot be read
         * @throws IllegalArgumentException when a line does not have the five columns
         */
        static List<ScenarioOutcome> read(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            List<ScenarioOutcome> outcomes = new ArrayList<>();
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.split(",", -1);
                if (line.isBlank()) {
                    continue;
                }
                if (fields.length != 5) {
                    throw new IllegalArgumentException(file + ": expected scenario,impl,outcome,value,unit, got '"
                            + line + "'");
                }
                outcomes.add(new ScenarioOutcome(fields[0], fields[1], fields[2], Double.parseDouble(fields[3]),
                        fields[4]));
            }
            return outcomes;
        }
    }

    /**
     * Renders {@code verdict.md}.
     *
     * @param title the heading
     * @param rows the summary rows of the bench run (may be empty)
     * @param safety the safety matrix, when a chaos run was given
     * @param scenarios the scenario outcomes, empty when no scenario run was given
     * @param sources one line per run the verdict draws on
     * @return the Markdown
     */
    static String render(String title, List<SummaryRow> rows, Optional<SafetyMatrix> safety,
                         List<ScenarioOutcome> scenarios, List<String> sources) {
        Verdict verdict = new Verdict(rows, safety, scenarios);
        List<Need> needs = List.of(verdict.manyKeys(), verdict.hotKey(), verdict.fencing(), verdict.nodeLoss(),
                verdict.async(), verdict.leaderElection());
        List<MarkdownTable.Column> columns = List.of(
                new MarkdownTable.Column("need", needs.stream().map(Need::need).toList()),
                new MarkdownTable.Column("choose", needs.stream().map(Need::choice).toList()),
                new MarkdownTable.Column("because", needs.stream().map(Need::headline).toList()));
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append(MarkdownTable.render(columns, columns.size(), Integer.MAX_VALUE).get(0)).append('\n');
        // A need without an answer says why in its row; details would repeat it.
        for (Need need : needs.stream().filter(need -> !need.choice().equals("-")).toList()) {
            md.append("## ").append(need.need()).append(": ").append(need.choice()).append("\n\n");
            if (!need.means().isEmpty()) {
                md.append(MarkdownTable.wrap(need.means(), Summary.WIDTH)).append("\n\n");
            }
            item(md, "measured", need.measured());
            item(md, "safety", need.safety());
            item(md, "costs", need.costs());
            md.append('\n');
        }
        md.append("Generated by `lockbench report` from:\n\n");
        sources.forEach(source -> item(md, null, source));
        md.append('\n').append(MarkdownTable.wrap("Only the correct implementations are candidates: the naive ones"
                + " lose locks by design (see the safety matrix). A safety count is violations summed over the faults"
                + " named; \"clean\" = no violation.", Summary.WIDTH)).append('\n');
        return md.toString();
    }

    /** A list item wrapped to a terminal's width. */
    private static void item(StringBuilder md, String label, String text) {
        md.append(MarkdownTable.reflow("- " + (label == null ? "" : label + ": ") + text, Summary.WIDTH)).append('\n');
    }

    /**
     * One need's answer: the table's row ({@code need}, {@code choice}, a short {@code headline}) and the details
     * below it.
     *
     * @param need the need, short
     * @param means what the need is, one sentence (may be empty)
     * @param choice the implementation, {@code -} without data, {@code none} when no correct one qualifies
     * @param headline the deciding figure in a few words, for the table
     * @param measured the figure in full
     * @param safety the safety result behind it
     * @param costs what it costs
     */
    record Need(String need, String means, String choice, String headline, String measured, String safety,
                String costs) {
    }

    private Need manyKeys() {
        String need = "highest throughput on many keys";
        Optional<SummaryRow> best = best(rowsOfWidestContention(false), Comparator.comparingDouble(
                SummaryRow::opsPerSecond));
        if (best.isEmpty()) {
            return missing(need, "", "no contended run on several keys in the bench run", safetyOverall(null));
        }
        SummaryRow row = best.get();
        return new Need(need, "", row.implementation(), ops(row) + " (" + Summary.percent(row.fractionOfBound())
                + " of bound), " + row.threads() + " threads on " + keys(row) + " keys", ops(row) + " at "
                + row.threads() + " threads, " + row.scenario() + ", rtt " + row.rtt() + " ("
                + Summary.percent(row.fractionOfBound()) + " of bound)", safetyOverall(row.implementation()),
                commands(row) + ", p99 " + Summary.micros(row.p99Micros()) + " µs");
    }

    private Need hotKey() {
        String need = "lowest tail on one hot key";
        Optional<SummaryRow> best = best(rowsOfWidestContention(true), Comparator.comparingDouble(
                (SummaryRow row) -> row.p999Micros()).reversed());
        if (best.isEmpty()) {
            return missing(need, "", "no contended run on one key in the bench run", safetyOverall(null));
        }
        SummaryRow row = best.get();
        return new Need(need, "", row.implementation(), "p99.9 " + Summary.micros(row.p999Micros()) + " µs at "
                + row.threads() + " threads", "p99 " + Summary.micros(row.p99Micros()) + " µs, p99.9 "
                + Summary.micros(row.p999Micros()) + " µs at " + row.threads() + " threads, " + row.scenario()
                + ", rtt " + row.rtt(), safetyUnder(row.implementation(), Set.of("latency-spike", "server-pause",
                "client-pause")), ops(row) + " (" + Summary.percent(row.fractionOfBound()) + " of bound), "
                + commands(row));
    }

    private Need fencing() {
        String need = "fencing";
        String means = "A paused holder's late write must be refused by the resource it protects.";
        if (safety.isEmpty()) {
            return missing(need, means, NO_SAFETY, NO_SAFETY);
        }
        List<String> fenced = safety.get().cells().stream().filter(cell -> !SummaryRow.unsafe(cell.impl())
                && cell.ran() && cell.fencedHeld()).map(SafetyCell::impl).distinct().toList();
        if (fenced.isEmpty()) {
            return new Need(need, means, "none", "no stale write refused",
                    "no correct implementation had a stale write refused", "-", "-");
        }
        String choice = fastest(fenced);
        List<SafetyCell> cells = safety.get().cells().stream().filter(cell -> cell.impl().equals(choice)
                && cell.ran()).toList();
        long rejected = cells.stream().mapToLong(SafetyCell::staleRejectedFenced).sum();
        String held = cells.stream().filter(SafetyCell::fencedHeld).map(SafetyCell::fault)
                .collect(Collectors.joining(", "));
        String others = fenced.stream().filter(name -> !name.equals(choice)).collect(Collectors.joining(", "));
        return new Need(need, means, choice, rejected + " stale writes refused by the resource",
                rejected + " stale writes refused by the fenced resource" + (others.isEmpty() ? ""
                        : "; also fenced: " + others), "every stale write refused under " + held
                + "; the sections did overlap: the token is what makes an overlap harmless",
                "the resource must check the token on every write; " + uncontendedCost(choice));
    }

    private Need nodeLoss() {
        String need = "surviving a node loss";
        if (safety.isEmpty()) {
            return missing(need, "", NO_SAFETY, NO_SAFETY);
        }
        Map<String, long[]> byImpl = new LinkedHashMap<>();
        for (SafetyCell cell : safety.get().cells()) {
            if (NODE_LOSS.contains(cell.fault()) && cell.ran() && !SummaryRow.unsafe(cell.impl())) {
                long[] counts = byImpl.computeIfAbsent(cell.impl(), impl -> new long[2]);
                counts[0] += cell.violations();
                counts[1]++;
            }
        }
        if (byImpl.isEmpty()) {
            return missing(need, "", "the safety run injected no node loss", "-");
        }
        String choice = byImpl.entrySet().stream().min(Comparator.comparingLong((Map.Entry<String, long[]> e)
                -> e.getValue()[0]).thenComparing(e -> -e.getValue()[1])).orElseThrow().getKey();
        String others = byImpl.entrySet().stream().filter(e -> !e.getKey().equals(choice))
                .map(e -> e.getKey() + " " + e.getValue()[0] + " in " + e.getValue()[1])
                .collect(Collectors.joining(", "));
        String violations = byImpl.get(choice)[0] + " violations in " + byImpl.get(choice)[1] + " node-loss cells";
        return new Need(need, "", choice, violations, violations + (others.isEmpty() ? " (the only correct"
                + " implementation with node-loss cells)" : " (others: " + others + ")"),
                safetyUnder(choice, NODE_LOSS), uncontendedCost(choice));
    }

    private Need async() {
        String need = "async";
        String means = "Acquire without blocking a thread while waiting.";
        List<SummaryRow> async = rows.stream().filter(row -> row.scenario().startsWith("async ")
                && row.rtt().equals("0") && !row.unsafe()).toList();
        int keys = async.stream().mapToInt(Verdict::keys).max().orElse(0);
        Optional<SummaryRow> best = best(async.stream().filter(row -> keys(row) == keys).toList(),
                Comparator.comparingDouble(SummaryRow::opsPerSecond));
        if (best.isEmpty()) {
            return missing(need, means, "not measured: the bench run has no async benchmark",
                    safety.isPresent() ? "-" : NO_SAFETY);
        }
        SummaryRow row = best.get();
        String impl = row.implementation();
        String inFlight = parameter(row, "inFlight") + " in flight";
        String hotKey = async.stream().filter(other -> other.implementation().equals(impl) && keys(other) == 1
                        && keys > 1 && !Double.isNaN(other.opsPerSecond())).findFirst()
                .map(other -> "; on one hot key " + ops(other) + " (" + Summary.percent(other.fractionOfBound())
                        + " of bound" + (other.failed() > 0 ? String.format(Locale.ROOT, ", %.0f acquires gave up",
                        other.failed()) : "") + ")").orElse("");
        List<String> others = async.stream().map(SummaryRow::implementation).filter(name -> !name.equals(impl))
                .distinct().sorted().toList();
        return new Need(need, means, impl, ops(row) + ", " + inFlight + " on " + keys + " keys",
                ops(row) + " (" + Summary.percent(row.fractionOfBound()) + " of bound) from one thread keeping "
                        + inFlight + " on " + keys + " keys, rtt 0" + hotKey, safetyOverall(impl),
                "completions run on the client's I/O threads, so a callback must not block (release with the"
                        + " lease's async release there); " + (others.isEmpty() ? "the only implementation in"
                        + " this run with an async API" : "also async: " + String.join(", ", others)) + "; "
                        + commands(row));
    }

    private Need leaderElection() {
        String need = "leader election";
        List<ScenarioOutcome> leader = scenarios.stream().filter(o -> o.scenario().equals("leader")
                && !SummaryRow.unsafe(o.impl())).toList();
        if (leader.isEmpty()) {
            return missing(need, "", "no scenario run with the leader story given", safetyOverall(null));
        }
        Map<String, List<ScenarioOutcome>> byImpl = leader.stream().collect(Collectors.groupingBy(
                ScenarioOutcome::impl, LinkedHashMap::new, Collectors.toList()));
        Predicate<List<ScenarioOutcome>> neverTwo = outcomes -> outcomes.stream().filter(o -> o.outcome()
                .endsWith("two_leaders") || o.outcome().endsWith("stale_messages")).allMatch(o -> o.value() == 0);
        Optional<Map.Entry<String, List<ScenarioOutcome>>> best = byImpl.entrySet().stream()
                .filter(e -> neverTwo.test(e.getValue()))
                .min(Comparator.comparingDouble(e -> fastestTakeover(e.getValue())));
        if (best.isEmpty()) {
            return new Need(need, "", "none", "two leaders in every correct one",
                    "every correct implementation had two leaders or stale messages", safetyOverall(null), "-");
        }
        double takeover = fastestTakeover(best.get().getValue());
        String at = best.get().getValue().stream().filter(o -> o.outcome().endsWith(":failover_kill")
                && o.value() == takeover).map(o -> o.outcome().substring(0, o.outcome().indexOf(':'))).findFirst()
                .orElse("");
        String newLeader = String.format(Locale.ROOT, "new leader %.2f s after a kill (%s)", takeover, at);
        return new Need(need, "", best.get().getKey(), newLeader + ", never two",
                newLeader + "; never two leaders, no stale message", safetyOverall(best.get().getKey()),
                "takeover waits out the ttl: a shorter ttl fails over faster but expires under a paused leader"
                + " sooner");
    }

    /** A need this run has no answer for. */
    private static Need missing(String need, String means, String why, String safety) {
        return new Need(need, means, "-", why, why, safety, "-");
    }

    private static double fastestTakeover(List<ScenarioOutcome> outcomes) {
        return outcomes.stream().filter(o -> o.outcome().endsWith(":failover_kill")).mapToDouble(
                ScenarioOutcome::value).min().orElse(Double.POSITIVE_INFINITY);
    }

    /** The contended rows at rtt 0 with the most keys (or exactly one key), at the most threads. */
    private List<SummaryRow> rowsOfWidestContention(boolean oneKey) {
        List<SummaryRow> contended = rows.stream().filter(row -> row.scenario().startsWith("contended ")
                && row.rtt().equals("0") && !row.unsafe()).filter(row -> oneKey == (keys(row) == 1)).toList();
        int keys = contended.stream().mapToInt(Verdict::keys).max().orElse(0);
        int threads = contended.stream().filter(row -> keys(row) == keys).mapToInt(SummaryRow::threads).max()
                .orElse(0);
        return contended.stream().filter(row -> keys(row) == keys && row.threads() == threads).toList();
    }

    private static int keys(SummaryRow row) {
        return parameter(row, "keys");
    }

    /** A count parameter of the row's scenario, such as {@code keys=16}; 1 when the scenario has none. */
    private static int parameter(SummaryRow row, String name) {
        for (String part : row.scenario().split(" ")) {
            if (part.startsWith(name + "=")) {
                return Integer.parseInt(part.substring(name.length() + 1));
            }
        }
        return 1;
    }

    private static Optional<SummaryRow> best(List<SummaryRow> candidates, Comparator<SummaryRow> better) {
        return candidates.stream().filter(row -> !Double.isNaN(row.opsPerSecond())).max(better);
    }

    /** Of several implementations, the one with the highest throughput on many keys, else the first. */
    private String fastest(List<String> names) {
        List<SummaryRow> contended = rowsOfWidestContention(false);
        return contended.stream().filter(row -> names.contains(row.implementation()))
                .max(Comparator.comparingDouble(SummaryRow::opsPerSecond)).map(SummaryRow::implementation)
                .orElse(names.get(0));
    }

    private String safetyOverall(String impl) {
        if (safety.isEmpty()) {
            return NO_SAFETY;
        }
        if (impl == null) {
            return "-";
        }
        return safetyUnder(impl, null);
    }

    /** Such as "clean in 6 of 10 faults; client-pause 3 (fenced held), failover 3". */
    private String safetyUnder(String impl, Set<String> faults) {
        if (safety.isEmpty()) {
            return NO_SAFETY;
        }
        List<SafetyCell> cells = safety.get().cells().stream().filter(cell -> cell.impl().equals(impl) && cell.ran()
                && (faults == null || faults.contains(cell.fault()))).toList();
        if (cells.isEmpty()) {
            return "not in the safety run";
        }
        long clean = cells.stream().filter(cell -> cell.violations() == 0).count();
        String dirty = cells.stream().filter(cell -> cell.violations() > 0).map(cell -> cell.fault() + " "
                + cell.violations() + (cell.fencedHeld() ? " (fenced held)" : "")).collect(Collectors.joining(", "));
        return "clean in " + clean + " of " + cells.size() + " faults" + (dirty.isEmpty() ? "" : "; " + dirty);
    }

    private String uncontendedCost(String impl) {
        return rows.stream().filter(row -> row.implementation().equals(impl) && row.scenario().equals("uncontended")
                && row.rtt().equals("0")).findFirst().map(row -> commands(row) + ", uncontended " + ops(row) + " ("
                + Summary.percent(row.fractionOfBound()) + " of bound)").orElse("not in the bench run");
    }

    private static String ops(SummaryRow row) {
        return (row.opsDerived() ? "~" : "") + Summary.count(row.opsPerSecond()) + (Double.isNaN(row.opsError())
                ? "" : " ± " + Summary.count(row.opsError())) + " ops/s";
    }

    private static String commands(SummaryRow row) {
        return Double.isNaN(row.commandsPerSection()) ? "commands not counted"
                : String.format(Locale.ROOT, "%.1f commands per section", row.commandsPerSection());
    }
}
