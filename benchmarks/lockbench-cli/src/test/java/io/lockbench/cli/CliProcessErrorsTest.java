package io.lockbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expected failures of {@code lockbench bench} that need a JVM of their own: no {@code redis-server} on its
 * PATH, and JMH's lock held by another run. Each prints one line saying what and what to do, exit 1, no trace.
 */
class CliProcessErrorsTest {

    private static final String[] TINY = {"bench", "--quick", "--only", "uncontended", "--impl", "jedis", "--rtt",
        "0", "--no-pin"};

    @Test
    void noRedisServerOnThePathIsOneLine(@TempDir Path dir) throws Exception {
        Path emptyPath = Files.createDirectories(dir.resolve("empty-bin"));
        CliProcess run = CliProcess.start(dir, Map.of("PATH", emptyPath.toString()), args(dir, "--redis", "path"));
        try {
            int code = run.awaitExit(60);

            assertThat(code).as(run.stderr()).isEqualTo(1);
            assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(lastLine(run.stderr())).isEqualTo("lockbench bench: No redis-server on PATH (" + emptyPath
                    + "); install Redis >= 6.2 and put it on the PATH or name it (--redis path:/path/to/redis-server),"
                    + " or use the binary lockbench ships (--redis embedded)");
            assertThat(runDirectories(dir.resolve("out"))).isEmpty();
        } finally {
            run.destroy();
        }
    }

    @Test
    void jmhsLockHeldByAnotherRunIsOneLine(@TempDir Path dir) throws Exception {
        Path lockFile = Files.createDirectories(dir.resolve("tmp")).resolve("jmh.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            CliProcess run = CliProcess.start(dir, Map.of(), args(dir, "--redis", "embedded"));
            try {
                int code = run.awaitExit(60);

                assertThat(held.isValid()).isTrue();
                assertThat(code).as(run.stderr()).isEqualTo(1);
                assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(lastLine(run.stderr())).isEqualTo("lockbench bench: another benchmark run holds JMH's lock "
                        + lockFile + " (JMH runs one at a time per machine); wait until it ends and run again ('fuser "
                        + lockFile + "' shows which process)");
                assertThat(runDirectories(dir.resolve("out"))).as("run directories").isEmpty();
            } finally {
                run.destroy();
            }
        }
    }

    private static String[] args(Path dir, String... more) {
        return Stream.of(TINY, more, new String[] {"--out", dir.resolve("out").toString()}).flatMap(Stream::of)
                .toArray(String[]::new);
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static List<Path> runDirectories(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(Files::isDirectory).toList();
        }
    }
}
