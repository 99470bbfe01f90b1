package io.lockbench.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How noisy the machine was around one case of a benchmark step, measured inside the fork that ran it: the
 * PING round trip (median, through the case's own client library, to the server the case used) before its
 * warmup (once the PING has settled) and after its last measured iteration, the 1-minute load average at both
 * moments, and the CPU steal share in between. The report flags a case whose round trip drifted or that ran beside other load, since its
 * figures then say more about the machine than about the lock.
 *
 * <p>Stored one JSON object per line in {@code noise/<step-id>.jsonl} beside {@code raw/} (JMH's JSON stays
 * JMH's own); a fork appends its line when its trial ends.
 *
 * @param benchmark the fully qualified benchmark method, as in the JMH JSON
 * @param mode JMH's short mode name
 * @param threads benchmark threads
 * @param params the case's parameters, as in the JMH JSON
 * @param client the client library whose PING was timed, such as {@code jedis}
 * @param pingStartNanos median PING before the warmup; NaN when it could not be measured
 * @param pingEndNanos median PING after the last measurement; NaN when it could not be measured
 * @param loadStart 1-minute load average before; NaN where {@code /proc} could not be read
 * @param loadEnd 1-minute load average after; NaN where {@code /proc} could not be read
 * @param steal share of CPU time stolen between the two, 0 to 1; NaN where {@code /proc} could not be read
 * @param cpus CPUs online on the machine; 0 when unknown
 */
public record StepNoise(String benchmark, String mode, int threads, Map<String, String> params, String client,
                        double pingStartNanos, double pingEndNanos, double loadStart, double loadEnd, double steal,
                        int cpus) {

    /** The run directory's subdirectory holding the noise files. */
    public static final String DIRECTORY = "noise";
    /** A round trip that changed by more than this share between the start and end of a case is flagged. */
    public static final double MAX_DRIFT = 0.25;
    /** A case during which more than this share of CPU time was stolen is flagged. */
    public static final double MAX_STEAL = 0.05;

    /** Copies the parameters. */
    public StepNoise {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * The noise file of a step.
     *
     * @param runDir the run directory
     * @param stepId the step's id, as its raw JSON file is named
     * @return {@code <runDir>/noise/<stepId>.jsonl}
     */
    public static Path file(Path runDir, String stepId) {
        return runDir.resolve(DIRECTORY).resolve(stepId + ".jsonl");
    }

    /**
     * How much the round trip changed from start to end.
     *
     * @return {@code end / start - 1}, such as 0.38 for 38 % slower at the end; NaN when either is unknown
     */
    public double drift() {
        return pingEndNanos / pingStartNanos - 1;
    }

    /**
     * The higher of the two load averages.
     *
     * @return the load; NaN when neither was read
     */
    public double load() {
        if (Double.isNaN(loadStart)) {
            return loadEnd;
        }
        return Double.isNaN(loadEnd) ? loadStart : Math.max(loadStart, loadEnd);
    }

    /**
     * The load average the case may show on its own: the machine's CPUs, or, when more, its benchmark threads plus
     * the Redis server. The load average counts every runnable thread, and a case's own threads are runnable
     * together on the one CPU the forks are pinned to: 4 threads read a load of 2.2 to 2.8 on 2 idle CPUs.
     *
     * @return the highest load average that does not show other load
     */
    public int ownLoad() {
        return Math.max(cpus, threads + 1);
    }

    /**
     * What makes this case's figures doubtful, in the words the tables print: {@code rtt +38%} (the round trip
     * drifted by more than {@link #MAX_DRIFT}), {@code load 3.1/2} (a load average above what the case itself
     * explains, see {@link #ownLoad()}), {@code steal 7%} (more than {@link #MAX_STEAL} of the CPU time stolen).
     *
     * @return the flags, empty when the case ran on a quiet machine
     */
    public List<String> flags() {
        List<String> flags = new ArrayList<>();
        double drift = drift();
        if (Math.abs(drift) > MAX_DRIFT) {
            flags.add(String.format(Locale.ROOT, "rtt %+.0f%%", 100 * drift));
        }
        if (cpus > 0 && load() > ownLoad()) {
            flags.add(String.format(Locale.ROOT, "load %.1f/%d", load(), ownLoad()));
        }
        if (steal > MAX_STEAL) {
            flags.add(String.format(Locale.ROOT, "steal %.0f%%", 100 * steal));
        }
        return flags;
    }

    /**
     * Whether this record is about a given result: the same benchmark, threads and parameters, in either mode
     * (the summary makes one row of a case's throughput and sample-time results).
     *
     * @param result a JMH result
     * @return whether they match
     */
    public boolean describes(BenchResult result) {
        return benchmark.equals(result.benchmark()) && threads == result.threads() && params.equals(result.params());
    }

    /**
     * The case in a few words, for the console: the benchmark, threads, the implementation (or client) and the
     * other parameters but the injected latency, which the step already says: {@code contended t=4 lettuce
     * keys=1 hold=100us}.
     *
     * @return the label
     */
    public String label() {
        int method = benchmark.lastIndexOf('.');
        String type = benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1, method);
        StringBuilder text = new StringBuilder(type.replaceFirst("Benchmark$", "").toLowerCase(Locale.ROOT))
                .append(" t=").append(threads);
        params.forEach((name, value) -> {
            if (name.equals("impl") || name.equals("client")) {
                text.append(' ').append(value);
            } else if (!name.equals("rtt")) {
                text.append(' ').append(name).append('=').append(value);
            }
        });
        return text.toString();
    }

    /**
     * Appends this record to a noise file, creating it and its directory when missing. Forks of one run append
     * one after the other, never at once.
     *
     * @param file the step's noise file
     * @throws UncheckedIOException when it cannot be written
     */
    public void append(Path file) {
        JsonObject json = new JsonObject();
        json.addProperty("benchmark", benchmark);
        json.addProperty("mode", mode);
        json.addProperty("threads", threads);
        JsonObject parameters = new JsonObject();
        params.forEach(parameters::addProperty);
        json.add("params", parameters);
        json.addProperty("client", client);
        json.addProperty("pingStartMicros", round(pingStartNanos / 1e3));
        json.addProperty("pingEndMicros", round(pingEndNanos / 1e3));
        json.addProperty("loadStart", loadStart);
        json.addProperty("loadEnd", loadEnd);
        json.addProperty("stealPercent", round(100 * steal));
        json.addProperty("cpus", cpus);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Gson writes NaN as the bare word, which its lenient reader (below) accepts.
            Files.writeString(file, json + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * Reads one noise file. A line cut short (a run stopped while a fork wrote it) is skipped.
     *
     * @param file the file
     * @return its records, in file order
     * @throws UncheckedIOException when it cannot be read
     */
    public static List<StepNoise> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        List<StepNoise> records = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(record(JsonParser.parseString(line).getAsJsonObject()));
            } catch (JsonParseException | IllegalStateException | NullPointerException | NumberFormatException e) {
                // A partial last line: the case has no noise record, which the tables show as unmeasured.
            }
        }
        return records;
    }

    /**
     * Reads every noise file of a run.
     *
     * @param runDir the run directory
     * @return every record; empty when the run has no {@code noise/} directory (runs made before it existed)
     * @throws UncheckedIOException when a file cannot be read
     */
    public static List<StepNoise> readRun(Path runDir) {
        Path dir = runDir.resolve(DIRECTORY);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(path -> path.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        List<StepNoise> records = new ArrayList<>();
        files.forEach(file -> records.addAll(read(file)));
        return records;
    }

    private static StepNoise record(JsonObject json) {
        Map<String, String> params = new LinkedHashMap<>();
        json.getAsJsonObject("params").entrySet().forEach(entry -> params.put(entry.getKey(),
                entry.getValue().getAsString()));
        return new StepNoise(json.get("benchmark").getAsString(), json.get("mode").getAsString(),
                json.get("threads").getAsInt(), params, json.get("client").getAsString(),
                number(json, "pingStartMicros") * 1e3, number(json, "pingEndMicros") * 1e3, number(json, "loadStart"),
                number(json, "loadEnd"), number(json, "stealPercent") / 100, json.get("cpus").getAsInt());
    }

    private static double number(JsonObject json, String name) {
        return json.has(name) && !json.get(name).isJsonNull() ? Double.parseDouble(json.get(name).getAsString())
                : Double.NaN;
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 100) / 100.0;
    }
}
