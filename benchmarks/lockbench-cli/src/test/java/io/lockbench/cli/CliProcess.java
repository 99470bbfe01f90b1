package io.lockbench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code lockbench} in a JVM of its own, for what an in-process run cannot show: a signal, another PATH, JMH's
 * machine-wide lock. Each gets its own {@code java.io.tmpdir}, so that the JMH lock it takes is its own and
 * neither waits for nor blocks another benchmark running on the machine.
 */
final class CliProcess {

    private final Process process;
    private final BufferedReader stderr;
    private final StringBuilder stderrSoFar = new StringBuilder();
    private final Path stdout;

    private CliProcess(Process process, Path stdout) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code lockbench args...}.
     *
     * @param dir holds the JVM's temp directory ({@code tmp/}) and its stdout ({@code stdout.txt})
     * @param environment replaces these environment variables
     * @param args the command line
     * @return the running process
     */
    static CliProcess start(Path dir, Map<String, String> environment, String... args) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout.txt").toFile());
        builder.environment().putAll(environment);
        return new CliProcess(builder.start(), dir.resolve("stdout.txt"));
    }

    /**
     * Reads stderr up to the first line that matches.
     *
     * @param line what to wait for
     * @return the line
     * @throws AssertionError when stderr ends first, with what it said
     */
    String awaitLine(Predicate<String> line) throws IOException {
        String read;
        while ((read = stderr.readLine()) != null) {
            stderrSoFar.append(read).append('\n');
            if (line.test(read)) {
                return read;
            }
        }
        throw new AssertionError("stderr ended without the line awaited:\n" + stderrSoFar);
    }

    /**
     * Reads the rest of stderr and waits for the exit.
     *
     * @param seconds at most this long
     * @return the exit code
     */
    int awaitExit(long seconds) throws IOException, InterruptedException {
        stderr.lines().forEach(read -> stderrSoFar.append(read).append('\n'));
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("exited within %d s; stderr:%n%s", seconds,
                stderrSoFar).isTrue();
        return process.exitValue();
    }

    /** @return the process, for its pid and descendants */
    Process process() {
        return process;
    }

    /** @return stderr as read so far */
    String stderr() {
        return stderrSoFar.toString();
    }

    /** @return what it printed on stdout */
    String stdout() throws IOException {
        return Files.readString(stdout);
    }

    /**
     * Skips the calling test when this JVM ignores SIGINT: a child inherits an ignored SIGINT and the JVM keeps it
     * ignored (no shutdown hook runs), so no SIGINT can stand in for Ctrl-C. That is the case under a shell that
     * started the build in the background without job control ({@code mvn verify &} in a script).
     */
    static void assumeSigintReachesChildren() throws IOException {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "no /proc/self/status to tell whether SIGINT is ignored");
        long ignored = Files.readAllLines(status).stream().filter(line -> line.startsWith("SigIgn:"))
                .mapToLong(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16))
                .findFirst().orElse(0);
        assumeTrue((ignored & (1L << (2 - 1))) == 0, "SIGINT is ignored by this build's process (started in the"
                + " background without job control), so a child JVM cannot be sent a Ctrl-C");
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Kills it if a failed assertion left it running. */
    void destroy() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
