package io.lockbench.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Every {@code redis-server} we started and have not killed yet, and every temp directory they write to,
 * so that a JVM that exits without closing its {@link RedisNodes} (a failed test, Ctrl-C,
 * {@code System.exit}) leaves neither a server nor its files behind.
 */
final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();
    private static final long EXIT_WAIT_MILLIS = 1_000;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::cleanUp, "lockbench-redis-reaper"));
    }

    private ChildProcesses() {
    }

    static void register(Process process) {
        LIVE.add(process);
    }

    static void forget(Process process) {
        LIVE.remove(process);
    }

    static void register(Path directory) {
        DIRECTORIES.add(directory);
    }

    /** Deletes the directory now and forgets it; failures are ignored (it is a temp directory). */
    static void delete(Path directory) {
        DIRECTORIES.remove(directory);
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Already gone, or unreadable: nothing a test could do about it either.
        }
    }

    /** SIGKILL works on a SIGSTOPped server too, so a paused node needs no SIGCONT first. */
    private static void cleanUp() {
        LIVE.forEach(Process::destroyForcibly);
        for (Process process : LIVE) {
            try {
                // A dying server may still append to its log; wait so the directory can go.
                process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        DIRECTORIES.forEach(ChildProcesses::delete);
    }
}
