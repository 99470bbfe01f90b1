package io.lockbench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Sends a signal to a process through kill(1): the JDK offers SIGTERM and SIGKILL only. */
final class Signals {

    private Signals() {
    }

    /**
     * Sends SIGSTOP and returns once the process has stopped (Linux: its state in /proc is T), so that
     * whatever follows happens while it is stopped.
     *
     * @param pid the process
     */
    static void stop(long pid) {
        send(pid, "STOP");
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        long deadline = System.nanoTime() + 5_000_000_000L;
        try {
            while (Files.exists(stat) && System.nanoTime() - deadline < 0) {
                String content = Files.readString(stat);
                char state = content.charAt(content.lastIndexOf(')') + 2);
                if (state == 'T' || state == 't') {
                    return;
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            // The process ended meanwhile: nothing left to wait for.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param pid the process
     * @param signal such as {@code STOP} or {@code CONT}
     * @throws IllegalStateException when kill fails or hangs
     */
    static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid + " hung");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run kill -" + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }
}
