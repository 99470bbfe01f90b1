package io.lockbench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes the outcomes of a scenario run as {@code scenarios.csv}. */
public final class ScenariosCsv {

    /** The file name inside a run's results directory. */
    public static final String FILE_NAME = "scenarios.csv";
    /** The header line, exactly. */
    public static final String HEADER = "scenario,impl,outcome,value,unit";

    private ScenariosCsv() {
    }

    /**
     * The CSV text: the header, then one line per outcome.
     *
     * @param results the results, in run order
     * @return the text, each line ending with a newline
     */
    public static String render(List<ScenarioResult> results) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (ScenarioResult result : results) {
            for (Outcome outcome : result.outcomes()) {
                csv.append(cell(outcome.scenario())).append(',').append(cell(outcome.impl())).append(',')
                        .append(cell(outcome.outcome())).append(',').append(number(outcome.value())).append(',')
                        .append(cell(outcome.unit())).append('\n');
            }
        }
        return csv.toString();
    }

    /**
     * Writes {@code scenarios.csv} into a run's directory, replacing an earlier one.
     *
     * @param runDir the run's results directory; created when missing
     * @param results the results
     * @return the file written
     * @throws UncheckedIOException when it cannot be written
     */
    public static Path write(Path runDir, List<ScenarioResult> results) {
        Path file = runDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(runDir);
            Files.writeString(file, render(results), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    /** Whole numbers without a fraction; others with three decimals. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String cell(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
