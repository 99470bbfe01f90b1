package io.lockbench.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {

    private static final List<SummaryRow> ROWS = List.of(
            contended(16, "jedis", 8_000, 9_000), contended(16, "lettuce", 3_000, 14_000),
            contended(16, "naive-setnx", 9_500, 70_000),
            contended(1, "jedis", 2_600, 5_600), contended(1, "redisson", 1_000, 4_000),
            contended(1, "naive-setnx", 3_500, 1_000));

    private static final SafetyMatrix SAFETY = new SafetyMatrix("chaos", Optional.empty(), List.of(
            new SafetyCell("jedis", "client-pause", true, 150, 3, 3, true, 0, -1),
            new SafetyCell("jedis", "failover", true, 150, 3, 0, false, 0, 900),
            new SafetyCell("redlock", "client-pause", true, 150, 4, 4, true, 0, -1),
            new SafetyCell("redlock", "kill-restart", true, 150, 0, 0, false, 0, -1),
            new SafetyCell("redlock", "kill-majority", true, 150, 0, 0, false, 0, -1),
            new SafetyCell("naive-setnx", "kill-restart", true, 150, 0, 0, false, 0, -1)));

    private static final List<Verdict.ScenarioOutcome> LEADER = List.of(
            new Verdict.ScenarioOutcome("leader", "jedis", "ttl=2s:failover_kill", 1.9, "s"),
            new Verdict.ScenarioOutcome("leader", "jedis", "ttl=2s:two_leaders", 0, "s"),
            new Verdict.ScenarioOutcome("leader", "lettuce", "ttl=2s:failover_kill", 1.8, "s"),
            new Verdict.ScenarioOutcome("leader", "lettuce", "ttl=2s:two_leaders", 1.5, "s"),
            new Verdict.ScenarioOutcome("leader", "naive-setnx", "ttl=2s:failover_kill", 0.1, "s"));

    @Test
    void eachNeedGetsTheBestCorrectImplementationNeverANaiveOne() {
        Map<String, String> choice = choices(Verdict.render("v", ROWS, Optional.of(SAFETY), LEADER, List.of()));

        assertThat(choice).containsEntry("highest throughput on many keys", "jedis")
                .containsEntry("lowest tail on one hot key", "redisson")
                .containsEntry("fencing", "jedis")
                .containsEntry("surviving a node loss", "redlock")
                .containsEntry("leader election", "jedis");
        assertThat(choice.values()).noneMatch(name -> name.startsWith("naive-"));
    }

    @Test
    void withoutSafetyOrScenarioRunsTheVerdictSaysWhatIsMissing() {
        String verdict = Verdict.render("v", ROWS, Optional.empty(), List.of(), List.of());
        Map<String, String> choice = choices(verdict);

        assertThat(choice).containsEntry("highest throughput on many keys", "jedis")
                .containsEntry("surviving a node loss", "-").containsEntry("leader election", "-");
        assertThat(verdict).contains("no safety run given", "no scenario run with the leader story given");
    }

    @Test
    void everyLineFitsA120ColumnTerminal() {
        String source = "bench run 2026-11-22T04-39-44Z-vm-a256972 (AMD EPYC, 2 cores · Redis 7.0.15 · PING RTT 61.5 µs,"
                + " 809.0 µs (500us injected) · commit a256972)";
        String verdict = Verdict.render("v", ROWS, Optional.of(SAFETY), LEADER, List.of(source));

        assertThat(verdict.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(120));
        assertThat(verdict).contains("- bench run 2026-11-22T04-39-44Z-vm-a256972 (AMD EPYC", "\n  ", "- measured: ",
                "- safety: ", "- costs: ");
    }

    /** Need to chosen implementation, from the decision table's first two columns. */
    private static Map<String, String> choices(String verdict) {
        Map<String, String> choices = new TreeMap<>();
        verdict.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| need")).forEach(line -> {
            String[] cells = line.split("\\|");
            choices.put(cells[1].strip(), cells[2].strip());
        });
        return choices;
    }

    private static SummaryRow contended(int keys, String impl, double ops, double p999) {
        return new SummaryRow("contended keys=" + keys + " hold=100us", "0", 4, impl, ops, ops / 50, false,
                10_000, new TreeMap<>(Map.of(50.0, p999 / 10, 99.0, p999 / 2, 99.9, p999)), 7, 1_000, 0, "");
    }
}
