package io.lockbench.testkit;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A JVM that exits without closing its nodes must leave neither a redis-server nor its files behind. */
class ShutdownHookIT {

    /** Starts a node, pauses it, reports its pid, waits for a line on stdin, and exits without closing. */
    static final class ExitWithoutClose {
        public static void main(String[] args) throws IOException {
            RedisNodes redis = RedisNodes.start(1);
            redis.node(0).pause(Duration.ofMinutes(1));
            System.out.println(redis.node(0).pid());
            System.out.flush();
            System.in.read();
        }
    }

    @Test
    void exitingJvmKillsItsServersAndDeletesTheirDirectories() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            ExitWithoutClose.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        long pid;
        Path serverDirectory;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8)); OutputStream in = child.getOutputStream()) {
            pid = Long.parseLong(out.readLine().strip());
            Path cwd = Path.of("/proc", Long.toString(pid), "cwd");
            serverDirectory = Files.exists(cwd) ? cwd.toRealPath() : null;
            in.write('\n');
        }
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child JVM exited").isTrue();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (isAlive(pid) && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertThat(isAlive(pid)).as("redis-server pid %d after its JVM exited", pid).isFalse();
        if (serverDirectory != null) {
            assertThat(serverDirectory).as("the server's temp directory").doesNotExist();
        }
    }

    private static boolean isAlive(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isPresent() && handle.get().isAlive();
    }
}
