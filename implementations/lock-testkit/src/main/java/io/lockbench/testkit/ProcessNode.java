package io.lockbench.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} we run as a child process: loopback only, nothing persisted, output to a log file
 * in its own temp directory. Paused with SIGSTOP/SIGCONT, killed with SIGKILL.
 */
final class ProcessNode extends AbstractNode {

    private static final Logger log = LoggerFactory.getLogger(ProcessNode.class);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);
    private static final JedisClientConfig PROBE_CONFIG = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(250)
        .socketTimeoutMillis(250)
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
        .autoNegotiateProtocol(false)
        .build();
    private static final int PORT_ATTEMPTS = 5;
    private static final int LOG_TAIL_LINES = 25;

    private final RedisBinary binary;
    private final List<String> extraArgs;
    private final Path dir;
    private final Path logFile;
    private final ScheduledExecutorService scheduler;

    private Process process;
    /** The pending SIGCONT while paused, else null. */
    private ScheduledFuture<?> resumeTask;
    /** Tells a resume task that fired late whether it still belongs to the current pause. */
    private long pauseGeneration;

    private ProcessNode(int port, RedisBinary binary, List<String> extraArgs, Path dir,
                        ScheduledExecutorService scheduler) {
        super(URI.create("redis://" + FreePorts.LOOPBACK + ":" + port));
        this.binary = binary;
        this.extraArgs = List.copyOf(extraArgs);
        this.dir = dir;
        this.logFile = dir.resolve("redis.log");
        this.scheduler = scheduler;
    }

    /**
     * Starts a server on a free port, retrying with another port when one was taken in between.
     *
     * @param extraArgs more {@code --name value} arguments; relative file names land in the node's directory
     * @param clusterBus whether port + 10000 must be free as well
     * @param scheduler runs the SIGCONT that ends a pause
     */
    static ProcessNode start(RedisBinary binary, List<String> extraArgs, boolean clusterBus,
                             ScheduledExecutorService scheduler) {
        Path dir;
        try {
            dir = Files.createTempDirectory("lockbench-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp directory for a redis-server", e);
        }
        ChildProcesses.register(dir);
        PortTakenException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = clusterBus ? FreePorts.pickWithClusterBus() : FreePorts.pick();
            ProcessNode node = new ProcessNode(port, binary, extraArgs, dir, scheduler);
            try {
                synchronized (node) {
                    node.launch();
                }
                return node;
            } catch (PortTakenException e) {
                log.debug("Port {} was taken before redis-server bound it; trying another", port);
                last = e;
            } catch (RuntimeException e) {
                ChildProcesses.delete(dir);
                throw e;
            }
        }
        ChildProcesses.delete(dir);
        throw new IllegalStateException("Could not bind a redis-server port after " + PORT_ATTEMPTS + " attempts",
            last);
    }

    @Override
    public boolean managed() {
        return true;
    }

    @Override
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public synchronized void pause(Duration d) {
        requirePositive(d);
        requireOpen("pause");
        Process running = requireRunning("pause");
        if (resumeTask != null) {
            resumeTask.cancel(false);
        } else {
            signal(running, "STOP");
            awaitStopped(running);
        }
        long generation = ++pauseGeneration;
        resumeTask = scheduler.schedule(() -> resumeIfStill(generation), d.toNanos(), TimeUnit.NANOSECONDS);
        log.debug("{} paused for {}", this, d);
    }

    @Override
    public synchronized void resume() {
        if (resumeTask == null) {
            return;
        }
        resumeTask.cancel(false);
        resumeTask = null;
        if (process.isAlive()) {
            signal(process, "CONT");
            log.debug("{} resumed", this);
        }
    }

    private synchronized void resumeIfStill(long generation) {
        if (generation == pauseGeneration) {
            resume();
        }
    }

    @Override
    public synchronized void kill() {
        if (resumeTask != null) {
            resumeTask.cancel(false);
            resumeTask = null;
        }
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            // Waiting for the exit frees the port (and reaps the zombie) before restart() binds it again.
            if (!process.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(this + " (pid " + process.pid() + ") survived SIGKILL for "
                    + SIGNAL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing " + this, e);
        }
        ChildProcesses.forget(process);
        log.debug("{} killed", this);
    }

    @Override
    public synchronized void restart() {
        requireOpen("restart");
        kill();
        // Our own server just released the port with SO_REUSEADDR, so losing it here means a stranger took it.
        try {
            launch();
        } catch (PortTakenException e) {
            throw new IllegalStateException("Cannot restart " + this + ": another process took the port", e);
        }
        log.debug("{} restarted", this);
    }

    @Override
    public void close() {
        if (!beginClose()) {
            return;
        }
        synchronized (this) {
            try {
                resume();
            } catch (RuntimeException e) {
                // Not fatal: the SIGKILL below ends a stopped process as well.
                log.debug("Could not resume {} before killing it", this, e);
            }
            try {
                kill();
            } finally {
                ChildProcesses.delete(dir);
            }
        }
    }

    /** Starts the process on this node's port and waits until it answers PING as itself. */
    private void launch() {
        List<String> command = new ArrayList<>(List.of(binary.path().toString(),
            "--port", Integer.toString(port()),
            "--bind", FreePorts.LOOPBACK,
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--dir", dir.toString()));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        long logStart = logSize();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary.path() + " on port " + port(), e);
        }
        ChildProcesses.register(process);
        awaitReady(process, logStart);
    }

    /** @param logStart where this run's output begins in the log, which earlier runs of the node share */
    private void awaitReady(Process started, long logStart) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!started.isAlive()) {
                ChildProcesses.forget(started);
                String tail = logTail(logStart);
                if (tail.contains("Address already in use")) {
                    throw new PortTakenException();
                }
                throw new IllegalStateException(binary.path() + " on port " + port() + " exited with code "
                    + started.exitValue() + "; the end of " + logFile + ":\n" + tail);
            }
            if (answersAsItself(started)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                started.destroyForcibly();
                ChildProcesses.forget(started);
                throw new IllegalStateException(binary.path() + " on port " + port() + " did not answer PING within "
                    + READY_TIMEOUT + "; the end of " + logFile + ":\n" + logTail(logStart));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                started.destroyForcibly();
                ChildProcesses.forget(started);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting " + this, e);
            }
        }
    }

    /** Whoever took the port between our pick and our bind would answer PING too, so compare pids. */
    private boolean answersAsItself(Process started) {
        try (Jedis jedis = new Jedis(host(), port(), PROBE_CONFIG)) {
            String pid = infoField(jedis.info("server"), "process_id");
            return Long.toString(started.pid()).equals(pid);
        } catch (JedisException e) {
            return false;
        }
    }

    private Process requireRunning(String operation) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(operation + ": " + this + " is not running (killed?)");
        }
        return process;
    }

    private void signal(Process target, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(target.pid()))
                .redirectErrorStream(true)
                .start();
            if (!kill.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + target.pid() + " hung for " + SIGNAL_TIMEOUT);
            }
            if (kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new IllegalStateException("kill -" + signal + " " + target.pid() + " (" + this + ") failed: "
                    + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run kill -" + signal + " for " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + this, e);
        }
    }

    /**
     * kill(1) returns once the signal is queued; the process stops when the kernel next handles it. On
     * Linux /proc says when that happened; elsewhere the stop is assumed to be immediate.
     */
    private void awaitStopped(Process target) {
        Path stat = Path.of("/proc", Long.toString(target.pid()), "stat");
        if (!Files.exists(stat)) {
            return;
        }
        long deadline = System.nanoTime() + SIGNAL_TIMEOUT.toNanos();
        try {
            while (true) {
                String content = Files.readString(stat);
                // The state follows the command name, which is in parentheses and may itself contain spaces.
                char state = content.charAt(content.lastIndexOf(')') + 2);
                if (state == 'T' || state == 't') {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(this + " did not stop after SIGSTOP (state " + state + ")");
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + stat + " for " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pausing " + this, e);
        }
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logTail(long from) {
        try {
            byte[] bytes = Files.readAllBytes(logFile);
            int start = (int) Math.min(from, bytes.length);
            String[] lines = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8).split("\n");
            return String.join("\n", Arrays.asList(lines).subList(Math.max(0, lines.length - LOG_TAIL_LINES),
                lines.length));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** The server exited because its port was taken between our pick and its bind. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException() {
            super("port taken", null, false, false);
        }
    }
}
