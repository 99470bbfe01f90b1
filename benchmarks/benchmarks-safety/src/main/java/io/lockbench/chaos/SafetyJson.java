package io.lockbench.chaos;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.lockbench.report.RunEnvironment;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads {@code safety.json}: the environment and every row, with the counters the CSV leaves to its
 * notes.
 */
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
     * Reads the rows back, as {@code lockbench report} does to draw the matrix and judge the implementations.
     *
     * @param runDir a chaos run's directory
     * @return its rows, or empty when the directory has no {@value #FILE_NAME}
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a safety file as {@link #write} stores it
     */
    public static Optional<List<SafetyRow>> read(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Document document = GSON.fromJson(reader, Document.class);
            if (document == null || document.rows() == null) {
                throw new IllegalArgumentException(file + " has no rows: not a lockbench safety.json");
            }
            return Optional.of(List.copyOf(document.rows()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not a lockbench safety.json: " + e.getMessage(), e);
        }
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
