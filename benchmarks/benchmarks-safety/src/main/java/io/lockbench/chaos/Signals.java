package io.lockbench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Sends a signal to a process through kill(1): the JDK offers SIGTERM and SIGKILL only. */
final class Signals {

    private Signals() {
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
