package io.lockbench.chaos;

import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workers of the client-pause and waiter-kill faults, in a JVM of their own so that the harness can
 * SIGSTOP them inside a critical section, or SIGKILL them while they wait. Started by {@link ClientProcess};
 * reports each section and each acquire as stdout lines and stops when stdin says {@value #STOP} or closes.
 * After reporting that a section began, a worker waits for the harness's {@code GO n} before it writes: the
 * harness sends it after any SIGSTOP it means for that section, so the stall falls between the grant and the
 * write, as in the "bonus" story.
 *
 * <pre>
 * java -cp CLASSPATH io.lockbench.chaos.ChaosClient IMPL NODES COMMAND_TIMEOUT_MS TTL_MS HOLD_NS WORKERS KEY...
 * </pre>
 */
public final class ChaosClient {

    static final String READY = "READY";
    static final String WAITING = "A";
    static final String BEGIN = "B";
    static final String WRITE = "W";
    static final String RENEWING = "X";
    static final String RENEWED = "R";
    static final String END = "E";
    static final String STOP = "STOP";
    static final String GO = "GO";

    private ChaosClient() {
    }

    /**
     * Runs the workers until told to stop.
     *
     * @param args implementation, comma-separated node URIs, command timeout (ms), ttl (ms), hold (ns),
     *     worker count, then the keys
     * @throws Exception when the service cannot start; the harness sees the process end
     */
    public static void main(String[] args) throws Exception {
        String impl = args[0];
        List<URI> nodes = Arrays.stream(args[1].split(",")).map(URI::create).toList();
        Duration commandTimeout = Duration.ofMillis(Long.parseLong(args[2]));
        Duration ttl = Duration.ofMillis(Long.parseLong(args[3]));
        Duration hold = Duration.ofNanos(Long.parseLong(args[4]));
        int workerCount = Integer.parseInt(args[5]);
        List<String> keys = Arrays.asList(args).subList(6, args.length);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LineSink sink = new LineSink(out, new ConcurrentHashMap<>());
        AtomicLong sections = new AtomicLong();
        try (LockService service = LockServices.create(impl, new LockSettings(nodes, commandTimeout))) {
            List<Worker> workers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < workerCount; i++) {
                Worker worker = new Worker(service, "client-" + ProcessHandle.current().pid() + "-" + i, keys, ttl,
                        hold, sink, sections, key -> { });
                workers.add(worker);
                Thread thread = new Thread(worker, "chaos-client-worker-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            out.println(READY);
            readCommands(sink);
            workers.forEach(Worker::stop);
            for (Thread thread : threads) {
                thread.join(ttl.multipliedBy(5).toMillis());
            }
        }
        System.exit(0);
    }

    /** Hands each {@code GO n} to its waiting worker; returns on {@code STOP} or the end of stdin. */
    private static void readCommands(LineSink sink) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split(" ");
            if (STOP.equals(words[0])) {
                break;
            }
            if (GO.equals(words[0]) && words.length == 2) {
                sink.go(Long.parseLong(words[1]));
            }
        }
        sink.releaseAll();
    }

    /**
     * Sections as lines: {@code B n holder key token}, {@code W n}, {@code X n}, {@code R n 0|1}, {@code E n}; and
     * acquires as {@code A holder key 1} (started) and {@code A holder key 0} (returned).
     */
    private record LineSink(PrintStream out, Map<Long, CountDownLatch> waiting) implements SectionSink {
        @Override
        public void waiting(String holder, String key, boolean starts) {
            out.println(WAITING + " " + holder + " " + key + " " + (starts ? "1" : "0"));
        }

        @Override
        public void begin(long section, String holder, String key, long token) {
            CountDownLatch go = new CountDownLatch(1);
            waiting.put(section, go);
            out.println(BEGIN + " " + section + " " + holder + " " + key + " " + token);
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.remove(section);
            }
        }

        void go(long section) {
            CountDownLatch go = waiting.get(section);
            if (go != null) {
                go.countDown();
            }
        }

        /** At the end, no worker waits for a GO that will not come. */
        void releaseAll() {
            waiting.values().forEach(CountDownLatch::countDown);
        }

        @Override
        public void write(long section) {
            out.println(WRITE + " " + section);
        }

        @Override
        public void renewing(long section) {
            out.println(RENEWING + " " + section);
        }

        @Override
        public void renewed(long section, boolean extended) {
            out.println(RENEWED + " " + section + " " + (extended ? "1" : "0"));
        }

        @Override
        public void end(long section) {
            out.println(END + " " + section);
        }
    }
}
