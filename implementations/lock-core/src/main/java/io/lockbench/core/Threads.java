package io.lockbench.core;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads a lock service starts: daemons with names that say whose they are. */
public final class Threads {

    private Threads() {
    }

    /**
     * @param prefix the thread name's prefix, such as {@code lockbench-jedis-timer}
     * @return a factory of daemon threads named {@code prefix-N}
     */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One timer thread for a service's retry timers, started on the first timer and stopped after a second
     * without any; cancelled timers leave the queue at once.
     *
     * @param prefix the thread name's prefix
     * @return the scheduler; the service shuts it down on close
     */
    public static ScheduledThreadPoolExecutor timers(String prefix) {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon(prefix));
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timers.setKeepAliveTime(1, TimeUnit.SECONDS);
        timers.allowCoreThreadTimeOut(true);
        return timers;
    }
}
