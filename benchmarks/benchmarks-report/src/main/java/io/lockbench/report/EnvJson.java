package io.lockbench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Writes a {@link RunEnvironment} as {@code env.json}. */
public final class EnvJson {

    /** The file name inside a run's results directory. */
    public static final String FILE_NAME = "env.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .create();

    private EnvJson() {
    }

    /**
     * Writes {@code env.json} into a run's directory, replacing an earlier one.
     *
     * @param runDir the run's results directory; created when missing
     * @param environment what to write
     * @return the file written
     * @throws UncheckedIOException when it cannot be written
     */
    public static Path write(Path runDir, RunEnvironment environment) {
        Path file = runDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(runDir);
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                GSON.toJson(environment, writer);
                writer.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    /**
     * Reads a run's {@code env.json}.
     *
     * @param runDir the run's results directory
     * @return the environment, or empty when the directory has no {@code env.json}
     * @throws UncheckedIOException when it cannot be read
     * @throws IllegalArgumentException when it is not an environment as {@link #write} stores it
     */
    public static Optional<RunEnvironment> read(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            RunEnvironment environment = GSON.fromJson(reader, RunEnvironment.class);
            if (environment == null || environment.runId() == null) {
                throw new IllegalArgumentException(file + " has no runId: not a lockbench env.json");
            }
            return Optional.of(environment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not a lockbench env.json: " + e.getMessage(), e);
        }
    }

    /**
     * The JSON text of an environment, as {@link #write} stores it.
     *
     * @param environment the environment
     * @return pretty-printed JSON
     */
    public static String toJson(RunEnvironment environment) {
        return GSON.toJson(environment);
    }
}
