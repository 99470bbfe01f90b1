package io.lockbench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads and writes JMH's JSON result format ({@code -rf json}). Reading keeps what the reports use and
 * ignores the rest; writing produces the same shape, so results measured outside JMH (the open-loop run)
 * sit in {@code raw/} next to JMH's own and are read the same way.
 */
public final class JmhJson {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
            .serializeSpecialFloatingPointValues().create();

    private JmhJson() {
    }

    /**
     * Reads one JMH JSON result file.
     *
     * @param file the file
     * @return its records, in file order
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a JMH JSON result file, naming it
     */
    public static List<BenchResult> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (root.isJsonNull()) {
                return List.of();
            }
            List<BenchResult> results = new ArrayList<>();
            for (JsonElement record : root.getAsJsonArray()) {
                results.add(record(record.getAsJsonObject()));
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException | NullPointerException e) {
            throw new IllegalArgumentException(file + " is not a JMH JSON result file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads every {@code *.json} file of a directory, in file name order.
     *
     * @param dir the directory, such as {@code results/<run-id>/raw}
     * @return all their records
     * @throws UncheckedIOException when the directory cannot be listed or a file read
     * @throws IllegalArgumentException when a file is not a JMH JSON result file
     */
    public static List<BenchResult> readDirectory(Path dir) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(path -> path.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        List<BenchResult> results = new ArrayList<>();
        for (Path file : files) {
            results.addAll(read(file));
        }
        return results;
    }

    /**
     * Writes records in JMH's JSON result format.
     *
     * @param file the file; replaced when it exists
     * @param results the records
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(Path file, List<BenchResult> results) {
        JsonArray root = new JsonArray();
        for (BenchResult result : results) {
            JsonObject record = new JsonObject();
            record.addProperty("benchmark", result.benchmark());
            record.addProperty("mode", result.mode());
            record.addProperty("threads", result.threads());
            JsonObject params = new JsonObject();
            result.params().forEach(params::addProperty);
            record.add("params", params);
            record.add("primaryMetric", metric(result.primary()));
            JsonObject secondary = new JsonObject();
            result.secondary().forEach((label, metric) -> secondary.add(label, metric(metric)));
            record.add("secondaryMetrics", secondary);
            root.add(record);
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            GSON.toJson(root, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static BenchResult record(JsonObject record) {
        Map<String, String> params = new LinkedHashMap<>();
        JsonObject paramObject = record.getAsJsonObject("params");
        if (paramObject != null) {
            paramObject.entrySet().forEach(entry -> params.put(entry.getKey(), entry.getValue().getAsString()));
        }
        Map<String, Metric> secondary = new LinkedHashMap<>();
        JsonObject secondaryObject = record.getAsJsonObject("secondaryMetrics");
        if (secondaryObject != null) {
            secondaryObject.entrySet().forEach(entry ->
                    secondary.put(entry.getKey(), metric(entry.getValue().getAsJsonObject())));
        }
        return new BenchResult(record.get("benchmark").getAsString(), record.get("mode").getAsString(),
                record.get("threads").getAsInt(), params, metric(record.getAsJsonObject("primaryMetric")), secondary);
    }

    private static Metric metric(JsonObject metric) {
        Map<String, Double> percentiles = new LinkedHashMap<>();
        JsonObject percentileObject = metric.getAsJsonObject("scorePercentiles");
        if (percentileObject != null) {
            percentileObject.entrySet().forEach(entry -> percentiles.put(entry.getKey(), number(entry.getValue())));
        }
        List<Double> iterations = new ArrayList<>();
        JsonArray raw = metric.getAsJsonArray("rawData");
        if (raw != null) {
            raw.forEach(fork -> fork.getAsJsonArray().forEach(value -> iterations.add(number(value))));
        }
        return new Metric(number(metric.get("score")), number(metric.get("scoreError")),
                metric.get("scoreUnit").getAsString(), percentiles, iterations);
    }

    private static JsonObject metric(Metric metric) {
        JsonObject object = new JsonObject();
        object.addProperty("score", metric.score());
        object.addProperty("scoreError", metric.scoreError());
        if (!metric.percentiles().isEmpty()) {
            JsonObject percentiles = new JsonObject();
            metric.percentiles().forEach(percentiles::addProperty);
            object.add("scorePercentiles", percentiles);
        }
        object.addProperty("scoreUnit", metric.unit());
        if (!metric.iterations().isEmpty()) {
            JsonArray fork = new JsonArray();
            metric.iterations().forEach(fork::add);
            JsonArray raw = new JsonArray();
            raw.add(fork);
            object.add("rawData", raw);
        }
        return object;
    }

    /** JMH writes NaN as the string "NaN", which JSON numbers cannot hold. */
    private static double number(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return Double.NaN;
        }
        return Double.parseDouble(element.getAsString());
    }
}
