package io.lockbench.testkit;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The threads a service under test started and left running: what a close must not leave behind. */
final class LeftoverThreads {

    private LeftoverThreads() {
    }

    /** @return the ids of the threads alive now, to compare with later */
    static Set<Long> liveThreadIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getId).collect(Collectors.toSet());
    }

    /**
     * @param before the ids from {@link #liveThreadIds()}
     * @return threads alive now that were not then, leaving out the JVM's and the test harness's own
     */
    static List<Thread> newThreads(Set<Long> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> !before.contains(thread.getId()))
                .filter(thread -> !isSharedJvmThread(thread.getName()))
                .toList();
    }

    /**
     * @param threads some threads
     * @return their names, for a failure message
     */
    static String names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Threads the JVM or the test harness owns, not the service under test. */
    private static boolean isSharedJvmThread(String name) {
        return name.startsWith("ForkJoinPool.commonPool") || name.startsWith("process reaper")
                || name.startsWith("contract-background") || name.startsWith("junit")
                || name.equals("Attach Listener") || name.startsWith("Common-Cleaner");
    }
}
