package io.lockbench.jmh;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keeps Redis and the benchmark threads off each other's CPUs with {@code taskset}: the servers on CPU 0,
 * this JVM (and so the benchmark forks it starts, which inherit its affinity) on CPUs 1 to n-1. On a
 * two-core machine that is one core each, so a benchmark thread never preempts the server it waits for.
 * Skipped, saying why, where {@code taskset} is missing, there are fewer than two CPUs, or the servers are
 * not processes of this run.
 */
final class CpuPinning {

    private static final long TIMEOUT_SECONDS = 5;

    private CpuPinning() {
    }

    /**
     * Pins the servers and this JVM.
     *
     * @param serverPids the servers' process ids; -1 for servers that are not our processes
     * @return what was done, or why nothing was, for {@code env.json}
     */
    static String pin(List<Long> serverPids) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2) {
            return "not pinned: only " + cpus + " CPU available";
        }
        Optional<Path> taskset = onPath("taskset");
        if (taskset.isEmpty()) {
            return "not pinned: taskset is not on PATH";
        }
        if (serverPids.isEmpty() || serverPids.stream().anyMatch(pid -> pid <= 0)) {
            return "not pinned: the Redis servers are not processes of this run";
        }
        String benchmarkCpus = cpus == 2 ? "1" : "1-" + (cpus - 1);
        List<String> failures = new ArrayList<>();
        for (long pid : serverPids) {
            run(taskset.get(), "0", pid).ifPresent(failures::add);
        }
        run(taskset.get(), benchmarkCpus, ProcessHandle.current().pid()).ifPresent(failures::add);
        if (!failures.isEmpty()) {
            return "not pinned: " + String.join("; ", failures);
        }
        return "redis-server on CPU 0, benchmark JVMs on CPU " + benchmarkCpus + " (taskset)";
    }

    /** Runs {@code taskset -a -p -c cpus pid}; empty on success, else what went wrong. */
    private static Optional<String> run(Path taskset, String cpus, long pid) {
        try {
            Process process = new ProcessBuilder(taskset.toString(), "-a", "-p", "-c", cpus, Long.toString(pid))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("taskset for pid " + pid + " hung");
            }
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of("taskset -c " + cpus + " " + pid + " failed: " + output);
        } catch (IOException e) {
            return Optional.of("cannot run taskset: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while running taskset");
        }
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
