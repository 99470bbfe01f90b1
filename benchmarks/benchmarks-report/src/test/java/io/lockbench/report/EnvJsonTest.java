package io.lockbench.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnvJsonTest {

    @Test
    void writesEveryFactWithTheMeasuredRoundTrips(@TempDir Path dir) throws IOException {
        RunEnvironment environment = new RunEnvironment("2026-11-22T03-41-00Z-box", "2026-11-22T03:41:00Z",
                "lockbench bench --quick", EnvironmentProbe.cpu(), EnvironmentProbe.os(), EnvironmentProbe.jvm(),
                new RunEnvironment.Redis("6.2.6", "embedded redis-server 6.2.6", 3, "not pinned: test"),
                EnvironmentProbe.libraryVersions(List.of("com.google.code.gson:gson", "no.such:library")), Map.of(),
                Map.of(), EnvironmentProbe.git(dir), List.of("jedis"), Map.of("profile", "quick"));
        RoundTrips roundTrips = RoundTrips.from(List.of(Results.sample("BaselineBenchmark.ping", 1, 80, 61.234, 90,
                120, Map.of("client", "jedis", "rtt", "0")), Results.sample("BaselineBenchmark.ping", 1, 80, 97.5, 130,
                160, Map.of("client", "lettuce", "rtt", "0"))));

        Path file = EnvJson.write(dir.resolve("run"), environment.withRoundTrips(roundTrips));

        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertThat(json.get("runId").getAsString()).isEqualTo("2026-11-22T03-41-00Z-box");
        assertThat(json.getAsJsonObject("cpu").get("cores").getAsInt()).isPositive();
        assertThat(json.getAsJsonObject("cpu").get("model").getAsString()).isNotBlank();
        assertThat(json.getAsJsonObject("os").get("name").getAsString()).isNotBlank();
        assertThat(json.getAsJsonObject("jvm").get("version").getAsString()).startsWith(
                Integer.toString(Runtime.version().feature()));
        assertThat(json.getAsJsonObject("redis").get("version").getAsString()).isEqualTo("6.2.6");
        assertThat(json.getAsJsonObject("clientLibraries").get("com.google.code.gson:gson").getAsString())
                .matches("\\d+\\.\\d+.*");
        assertThat(json.getAsJsonObject("clientLibraries").get("no.such:library").getAsString()).isEqualTo("absent");
        assertThat(json.getAsJsonObject("rttMicros").get("0").getAsDouble()).isEqualTo(61.23);
        JsonObject byClient = json.getAsJsonObject("rttMicrosByClient").getAsJsonObject("0");
        assertThat(byClient.get("jedis").getAsDouble()).isEqualTo(61.23);
        assertThat(byClient.get("lettuce").getAsDouble()).isEqualTo(97.5);
        assertThat(json.getAsJsonObject("git").get("commit").getAsString()).isEqualTo("unknown");
    }
}
