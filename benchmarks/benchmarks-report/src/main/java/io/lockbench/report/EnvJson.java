package io.lockbench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
     * The JSON text of an environment, as {@link #write} stores it.
     *
     * @param environment the environment
     * @return pretty-printed JSON
     */
    public static String toJson(RunEnvironment environment) {
        return GSON.toJson(environment);
    }
}
