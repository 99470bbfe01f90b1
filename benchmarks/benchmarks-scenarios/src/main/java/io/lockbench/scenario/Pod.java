package io.lockbench.scenario;

import io.lockbench.fixture.FreezableLockService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One participant of the leader story: a process with its own lock client that consumes messages while it
 * believes it leads. It can be paused (its client and its threads stall, as under SIGSTOP or a long GC pause,
 * then go on) and killed (its connections close and its threads stop; nothing is released).
 */
abstract class Pod implements AutoCloseable {

    private final String id;
    private final Duration consumeEvery;
    private final LeaderLog log;
    private final List<Thread> threads = new ArrayList<>();
    final FreezableLockService client;
    volatile boolean alive = true;

    Pod(String id, FreezableLockService client, Duration consumeEvery, LeaderLog log) {
        this.id = id;
        this.client = client;
        this.consumeEvery = consumeEvery;
        this.log = log;
    }

    String id() {
        return id;
    }

    /** Starts competing and consuming. */
    void start() {
        startThread("consumer", this::consume);
        startCompeting();
    }

    /** Starts whatever competes for the lock. */
    abstract void startCompeting();

    /** @return whether this pod believes it leads now */
    abstract boolean leading();

    /** @return renewals the server confirmed so far */
    abstract long renewalsConfirmed();

    /** Stalls the whole process: lock calls and consumer wait until {@link #resume()}. */
    void pause() {
        client.freeze();
    }

    /** Ends a {@link #pause()}: what was held back goes ahead, late. */
    void resume() {
        client.thaw();
    }

    /** Kills the process: its connections close and its threads stop, with nothing released. */
    void kill() {
        alive = false;
        client.close();
        threads.forEach(Thread::interrupt);
        client.thaw();
    }

    /** Starts one of the pod's threads; {@link #close()} stops it. */
    final void startThread(String name, Runnable body) {
        Thread thread = new Thread(body, "lockbench-leader-pod-" + id + "-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Sleeps unless killed; false when the pod should stop. */
    final boolean pauseFor(Duration d) {
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
            return alive;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void consume() {
        while (alive) {
            client.awaitThawed();
            if (alive && leading()) {
                log.consumed(id);
            }
            if (!pauseFor(consumeEvery)) {
                return;
            }
        }
    }

    /** Stops the threads, then leaves (releasing what it holds, when alive) and closes the client. */
    @Override
    public void close() throws InterruptedException {
        alive = false;
        client.thaw();
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        leave();
        client.close();
    }

    /** Leaves the election, as a pod shutting down cleanly does. */
    abstract void leave();
}
