package io.lockbench.chaos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The harness's side of a {@link ChaosClient} process: starts it on this JVM's classpath, reads its section
 * lines into the cell's {@link SectionSink} on the harness's clock, and stalls it with SIGSTOP/SIGCONT on
 * request. A stall is armed by {@link #stallNextSection} and happens the moment the next section begins:
 * the harness sends SIGSTOP, waits until the process has stopped, and only then answers the section's
 * {@code GO}, so the process stops between its grant and its write, as a client that a GC pause stopped
 * there would. SIGCONT follows once the stall has lasted its time and another worker holds the key (as the
 * ex-leader of the "leader" story wakes up while the new leader works), while the harness goes on reading
 * what the process wrote before it stopped.
 *
 * <p>{@link #killWhileWaiting} SIGKILLs the process (through its own {@link Process} handle) at a moment when
 * every one of its workers is inside an acquire, none of them holds a section, and each key they wait for is
 * held by a section of a worker in this JVM: a key held here cannot be the dead process's, so the kill hits
 * waiters only. A section of the process read after the kill would say otherwise; {@link Kill} counts them.
 */
final class ClientProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientProcess.class);

    /** Client sections are numbered apart from the in-process ones. */
    private static final long SECTION_OFFSET = 1L << 40;

    private static final long RESUME_POLL_MILLIS = 1;
    /** How much longer than asked a stall may last while waiting for another holder of the key. */
    private static final long TAKEN_WAIT_NANOS = 3_000_000_000L;

    /** A worker must have waited this long before the kill, so that its first acquire call has been sent. */
    private static final long MIN_WAITED_NANOS = 20_000_000L;
    /** Nor be this close to its maxWait, after which it would start over on another key, perhaps a free one. */
    private static final long GIVE_UP_MARGIN_NANOS = 200_000_000L;

    private final Process process;
    private final CellLedger sink;
    private final int workers;
    private final long maxWaitNanos;
    /** Each worker inside an acquire: its holder name, the key and since when; guarded by itself. */
    private final Map<String, Waiting> waiting = new HashMap<>();
    /** The process's sections that began and have not ended; guarded by {@link #waiting}. */
    private final Set<Long> openSections = new HashSet<>();
    private volatile long killedNanos;
    private final AtomicLong sectionsAfterKill = new AtomicLong();
    private final Thread reader;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Writer stdin;
    private final ScheduledExecutorService resumer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "lockbench-chaos-client-resume");
        thread.setDaemon(true);
        return thread;
    });
    private Duration armed;
    private CountDownLatch stalled;
    /**
     * The sections that were stalled. Only their renewals are judged: the lines of the process's other
     * sections may wait in the pipe while the harness is busy, and a renewal read late would look stale.
     */
    private final Set<Long> stalledSections = ConcurrentHashMap.newKeySet();

    /** Kills the process if the harness exits first (Ctrl-C): a stopped process would otherwise stay stopped. */
    private final Thread killOnExit;

    private record Waiting(String key, long sinceNanos) {
    }

    /**
     * One kill of the process.
     *
     * @param pid the process killed
     * @param keys the key each of its workers waited for
     * @param waitedMs how long each had waited, in the same order
     * @param sectionsReadAfterKill sections of the process whose start was read after the kill: sections it
     *     held when it died, which make the kill a holder's rather than a waiter's; 0 when the kill hit waiters only
     */
    record Kill(long pid, List<String> keys, List<Long> waitedMs, long sectionsReadAfterKill) {
    }

    private ClientProcess(Process process, CellLedger sink, int workers, Duration ttl) {
        this.process = process;
        this.workers = workers;
        this.maxWaitNanos = Worker.maxWait(ttl).toNanos();
        this.killOnExit = new Thread(process::destroyForcibly, "lockbench-chaos-client-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        this.sink = sink;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        this.reader = new Thread(this::read, "lockbench-chaos-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the process and waits until its workers run.
     *
     * @param impl the implementation
     * @param nodes what its settings name
     * @param commandTimeout its command timeout
     * @param ttl the lease ttl
     * @param hold the hold time inside a section
     * @param workers how many workers the process runs
     * @param keys the lock keys
     * @param sink where sections go; it also says when another worker holds a stalled section's key
     * @return the running process
     */
    static ClientProcess start(String impl, List<URI> nodes, Duration commandTimeout, Duration ttl, Duration hold,
                               int workers, List<String> keys, CellLedger sink) {
        List<String> command = new ArrayList<>(List.of(
                javaBinary(), "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), ChaosClient.class.getName(),
                impl, nodes.stream().map(URI::toString).collect(Collectors.joining(",")),
                Long.toString(commandTimeout.toMillis()), Long.toString(ttl.toMillis()),
                Long.toString(hold.toNanos()), Integer.toString(workers)));
        command.addAll(keys);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the chaos client process", e);
        }
        ClientProcess client = new ClientProcess(process, sink, workers, ttl);
        try {
            if (!client.ready.await(30, TimeUnit.SECONDS)) {
                client.close();
                throw new IllegalStateException("The chaos client process did not start its workers within 30 s");
            }
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the chaos client process", e);
        }
        return client;
    }

    /** @return the process id that SIGSTOP goes to */
    long pid() {
        return process.pid();
    }

    /**
     * Stops the process with SIGSTOP as soon as its next section begins, and resumes it after {@code d}.
     *
     * @param d how long the stall lasts
     * @param within how long to wait for a section to begin
     * @return whether the stall happened (and is over)
     * @throws InterruptedException when interrupted
     */
    boolean stallNextSection(Duration d, Duration within) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        synchronized (this) {
            armed = d;
            stalled = done;
        }
        boolean happened = done.await(within.plus(d).toNanos() + TAKEN_WAIT_NANOS, TimeUnit.NANOSECONDS);
        synchronized (this) {
            armed = null;
        }
        return happened;
    }

    /**
     * SIGKILLs the process the first moment that all its workers wait, each on a key held by a section in this
     * JVM (see the class comment), then marks the kill in the cell's ledger and waits until the process is gone.
     *
     * @param within how long to wait for such a moment
     * @return the kill, or empty when no such moment came (or the process was gone)
     * @throws InterruptedException when interrupted
     */
    Optional<Kill> killWhileWaiting(Duration within) throws InterruptedException {
        long giveUp = System.nanoTime() + within.toNanos();
        while (process.isAlive() && System.nanoTime() - giveUp < 0) {
            List<Waiting> victims;
            synchronized (waiting) {
                victims = allWaitingOnHeldKeys();
                if (victims != null) {
                    process.destroyForcibly();
                    killedNanos = System.nanoTime();
                    sink.markKill();
                }
            }
            if (victims != null) {
                process.waitFor(5, TimeUnit.SECONDS);
                // What the process wrote before it died is read to its end, so that a section it held shows.
                reader.join(5_000);
                long now = killedNanos;
                Kill kill = new Kill(process.pid(), victims.stream().map(Waiting::key).toList(),
                        victims.stream().map(w -> (now - w.sinceNanos()) / 1_000_000).toList(),
                        sectionsAfterKill.get());
                LOG.debug("killed {}", kill);
                return Optional.of(kill);
            }
            Thread.sleep(1);
        }
        return Optional.empty();
    }

    /** Every worker's wait when the process may be killed now as a waiter, else null. Holds {@link #waiting}. */
    private List<Waiting> allWaitingOnHeldKeys() {
        if (!openSections.isEmpty() || waiting.size() < workers) {
            return null;
        }
        long now = System.nanoTime();
        for (Waiting w : waiting.values()) {
            long waited = now - w.sinceNanos();
            if (waited < MIN_WAITED_NANOS || waited > maxWaitNanos - GIVE_UP_MARGIN_NANOS
                    || sink.keys().get(w.key()).openSections() == 0) {
                return null;
            }
        }
        return List.copyOf(waiting.values());
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                dispatch(line.split(" "));
            }
        } catch (IOException e) {
            // The process ended; its open sections are closed by the cell.
        }
    }

    private void dispatch(String[] words) {
        switch (words[0]) {
            case ChaosClient.READY -> ready.countDown();
            case ChaosClient.WAITING -> {
                synchronized (waiting) {
                    if ("1".equals(words[3])) {
                        waiting.put(words[1], new Waiting(words[2], System.nanoTime()));
                    } else {
                        waiting.remove(words[1]);
                    }
                }
            }
            case ChaosClient.BEGIN -> {
                synchronized (waiting) {
                    openSections.add(section(words[1]));
                    if (killedNanos != 0) {
                        sectionsAfterKill.incrementAndGet();
                    }
                }
                sink.begin(section(words[1]), words[2], words[3], Long.parseLong(words[4]));
                stallIfArmed(section(words[1]), words[3]);
                send(ChaosClient.GO + " " + words[1]);
            }
            case ChaosClient.WRITE -> sink.write(section(words[1]));
            case ChaosClient.RENEWING -> {
                if (stalledSections.contains(section(words[1]))) {
                    sink.renewing(section(words[1]));
                }
            }
            case ChaosClient.RENEWED -> {
                if (stalledSections.contains(section(words[1]))) {
                    sink.renewed(section(words[1]), "1".equals(words[2]));
                }
            }
            case ChaosClient.END -> {
                synchronized (waiting) {
                    openSections.remove(section(words[1]));
                }
                sink.end(section(words[1]));
            }
            default -> {
                // An unknown line (a library printing to stdout) carries no section.
            }
        }
    }

    private synchronized void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            // The process is gone; its sections end with the cell.
        }
    }

    private void stallIfArmed(long section, String key) {
        Duration d;
        CountDownLatch done;
        synchronized (this) {
            d = armed;
            done = stalled;
            armed = null;
        }
        if (d == null) {
            return;
        }
        stalledSections.add(section);
        Signals.stop(process.pid());
        long giveUp = System.nanoTime() + d.toNanos() + TAKEN_WAIT_NANOS;
        resumer.schedule(() -> resumeOnceTaken(key, giveUp, done), d.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void resumeOnceTaken(String key, long giveUpNanos, CountDownLatch done) {
        if (sink.keys().get(key).openSections() < 2 && System.nanoTime() - giveUpNanos < 0) {
            resumer.schedule(() -> resumeOnceTaken(key, giveUpNanos, done), RESUME_POLL_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        Signals.send(process.pid(), "CONT");
        done.countDown();
    }

    private static long section(String number) {
        return SECTION_OFFSET + Long.parseLong(number);
    }

    /** Tells the process to stop, and kills it if it does not exit within a few seconds. */
    @Override
    public void close() {
        if (process.isAlive()) {
            Signals.send(process.pid(), "CONT");
            send(ChaosClient.STOP);
        }
        resumer.shutdownNow();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook runs and finds the process gone.
        }
    }

    /** The java launcher of this JVM. */
    private static String javaBinary() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
