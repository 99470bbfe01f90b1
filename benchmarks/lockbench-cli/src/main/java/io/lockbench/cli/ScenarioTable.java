package io.lockbench.cli;

import io.lockbench.scenario.Outcome;
import io.lockbench.scenario.ScenarioResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One story's results side by side: a row per implementation (and variant), a column per outcome, then what
 * each row means in the story's terms. Fits 120 columns for the four stories' outcomes.
 */
final class ScenarioTable {

    private ScenarioTable() {
    }

    /**
     * The table.
     *
     * @param results one story's results
     * @return the text, lines ending with a newline
     */
    static String render(List<ScenarioResult> results) {
        Set<String> columns = new LinkedHashSet<>();
        results.forEach(result -> result.outcomes().forEach(outcome -> columns.add(name(outcome))));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("", "setup"));
        header.addAll(columns);
        rows.add(header);
        for (ScenarioResult result : results) {
            List<String> row = new ArrayList<>(List.of(result.label(), result.expectFailure() ? "naive" : "correct"));
            for (String column : columns) {
                row.add(result.outcomes().stream().filter(outcome -> name(outcome).equals(column)).findFirst()
                        .map(ScenarioTable::value).orElse("-"));
            }
            rows.add(row);
        }
        StringBuilder text = new StringBuilder();
        int[] widths = widths(rows);
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(i < 2 ? pad(cell, widths[i]) : padLeft(cell, widths[i])).append("  ");
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        int labelWidth = widths[0];
        for (ScenarioResult result : results) {
            text.append("  ").append(pad(result.label(), labelWidth)).append("  ").append(pad(verdict(result), 6))
                    .append("  ").append(result.headline()).append('\n');
        }
        return text.toString();
    }

    /**
     * FAILS: the story's failure, as the naive setup must show it; ok: none, as a correct one must; NOFAIL: a naive
     * setup that did not fail (a harness bug); DEFECT: a correct one that did.
     */
    static String verdict(ScenarioResult result) {
        if (result.problem().isPresent()) {
            return result.expectFailure() ? "NOFAIL" : "DEFECT";
        }
        return result.expectFailure() ? "FAILS" : "ok";
    }

    /** The outcome's name without its variant, which the row label already shows. */
    private static String name(Outcome outcome) {
        return outcome.outcome().substring(outcome.outcome().indexOf(':') + 1);
    }

    private static String value(Outcome outcome) {
        return switch (outcome.unit()) {
            case "count" -> Long.toString(Math.round(outcome.value()));
            case "s" -> outcome.value() >= 100 ? String.format(Locale.ROOT, "%.0fs", outcome.value())
                    : String.format(Locale.ROOT, "%.3fs", outcome.value());
            default -> String.format(Locale.ROOT, "%.1f%s", outcome.value(), outcome.unit());
        };
    }

    private static int[] widths(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        return widths;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    private static String padLeft(String text, int width) {
        return " ".repeat(width - text.length()) + text;
    }
}
