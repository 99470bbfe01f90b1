package io.lockbench.chaos;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.lockbench.report.RunEnvironment;

import java.nio.file.Path;
import java.util.List;

/** Writes {@code safety.json}: the environment and every row, with the counters the CSV leaves to its notes. */
public final class SafetyJson {

    /** The file name inside a run's results directory. */
    public static final String FILE_NAME = "safety.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .create();

    private SafetyJson() {
    }

    /** What the file holds. */
    private record Document(RunEnvironment environment, List<SafetyRow> rows) {
    }

    /**
     * @param runDir the run's directory
     * @param environment what the run ran on
     * @param rows the rows
     * @return the file written
     */
    public static Path write(Path runDir, RunEnvironment environment, List<SafetyRow> rows) {
        return Reports.write(runDir.resolve(FILE_NAME), GSON.toJson(new Document(environment, rows)) + "\n");
    }
}
