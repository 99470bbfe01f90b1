package io.lockbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openjdk.jmh.runner.RunnerException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every command prints when it cannot run, in-process through {@link Main#commandLine()}: one line saying
 * what and what to do, never a stack trace, exit 1; and for a bad command line one line pointing to
 * {@code --help}, exit 2. The paths that need their own JVM (PATH without Redis, JMH's lock) are in
 * {@link CliProcessErrorsTest}.
 */
class CliErrorsTest {

    private static final String UNREACHABLE = "redis://127.0.0.1:1";

    @Test
    void anUnreachableRedisIsOneLine(@TempDir Path out) throws IOException {
        Outcome bench = run("bench", "--quick", "--only", "uncontended", "--impl", "jedis", "--rtt", "0", "--no-pin",
                "--redis", UNREACHABLE, "--out", out.toString());
        Outcome scenario = run("scenario", "leak", "--redis", UNREACHABLE, "--out", out.toString());

        for (Outcome outcome : List.of(bench, scenario)) {
            outcome.assertOneFailureLine(1, "Redis at " + UNREACHABLE + " does not answer PING (Connection refused);"
                    + " start it or correct the address, or leave out --redis");
        }
        assertThat(bench.lastLine()).startsWith("lockbench bench: ");
        assertThat(scenario.lastLine()).startsWith("lockbench scenario: ");
        assertThat(runDirectories(out)).as("run directories left").isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bench --quick --only uncontended --impl jedis --rtt 0 --no-pin",
        "chaos --impl jedis --fault ambiguous-acquire --sections 20",
        "scenario leak",
        "ttl --validate --sections 100"})
    void aMissingBinaryIsOneLine(String command, @TempDir Path out) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--redis", "path:/nonexistent/redis-server"));
        if (!command.startsWith("ttl")) {
            args.addAll(List.of("--out", out.toString()));
        }

        Outcome outcome = run(args.toArray(String[]::new));

        outcome.assertOneFailureLine(1, ": Redis binary /nonexistent/redis-server is not an executable file;"
                + " install Redis >= 6.2");
        assertThat(outcome.lastLine()).startsWith("lockbench " + args.get(0)).contains("--redis embedded");
    }

    @Test
    void jmhRefusingToRunBesideAnotherRunIsOneLine() {
        // What BenchRunner throws when JMH finds its lock taken between two steps (the check before the first
        // step catches the common case; CliProcessErrorsTest runs that one for real).
        Exception thrown = new IllegalStateException("JMH could not run baseline", new RunnerException("ERROR:"
                + " Another JMH instance might be running. Unable to acquire the JMH lock (/tmp/jmh.lock), exiting."
                + " Use -Djmh.ignoreLock=true to forcefully continue."));

        assertThat(Main.oneLine(thrown)).hasValueSatisfying(line -> assertThat(line)
                .contains("another benchmark run holds JMH's lock " + JmhLock.file()).contains("wait until it ends"));
        assertThat(Main.oneLine(new IllegalStateException("a bug"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lockbench bench|bench --threads many",
        "lockbench bench|bench --quick --full",
        "lockbench chaos|chaos --sections 0",
        "lockbench chaos|chaos --redis redis://127.0.0.1:6379",
        "lockbench scenario|scenario meteor",
        "lockbench report|report",
        "lockbench ttl|ttl --hold p50=soon",
        "lockbench ttl|ttl --risk x --hold p50=20ms",
        "lockbench|nope",
        "lockbench|--fast"})
    void aBadCommandLineIsOneLinePointingToHelp(String command, String args) {
        Outcome outcome = run(args.split(" "));

        assertThat(outcome.code).as(outcome.err).isEqualTo(2);
        assertThat(outcome.err.lines()).as(outcome.err).hasSize(1);
        assertThat(outcome.err).startsWith("lockbench: ")
                .endsWith("(see '" + command + " --help')" + System.lineSeparator());
    }

    private static List<Path> runDirectories(Path out) throws IOException {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(Files::isDirectory).toList();
        }
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private record Outcome(int code, String out, String err) {

        String lastLine() {
            List<String> lines = err.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        /** The command printed its progress lines, then exactly one line about the failure, and no trace. */
        void assertOneFailureLine(int expectedCode, String failure) {
            assertThat(code).as(err).isEqualTo(expectedCode);
            assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(err.lines().filter(line -> line.contains(failure))).as(err).hasSize(1);
            assertThat(lastLine()).as(err).contains(failure);
        }
    }
}
