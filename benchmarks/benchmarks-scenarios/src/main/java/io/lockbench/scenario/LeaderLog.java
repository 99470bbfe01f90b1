package io.lockbench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the leader story's consumers did: when each consumed a message. A participant counts as acting as
 * leader from one consumption to the next while they are at most four consume intervals apart, and for one
 * interval after its last; the time with two leaders is the time two participants' acting stretches overlap.
 */
final class LeaderLog {

    private final long intervalNanos;
    private final long gapNanos;
    private final Map<String, List<Long>> consumed = new ConcurrentHashMap<>();

    /**
     * @param intervalNanos how often a leader consumes
     */
    LeaderLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
        this.gapNanos = 4 * intervalNanos;
    }

    /** Records that {@code who} consumed a message now. */
    void consumed(String who) {
        consumed(who, System.nanoTime());
    }

    /** Records that {@code who} consumed a message at {@code atNanos}; calls come in time order. */
    void consumed(String who, long atNanos) {
        List<Long> times = consumed.computeIfAbsent(who, k -> new ArrayList<>());
        synchronized (times) {
            times.add(atNanos);
        }
    }

    /** @return when {@code who} first consumed at or after {@code nanos}, if it did */
    OptionalLong firstAt(String who, long nanos) {
        for (long at : times(who)) {
            if (at - nanos >= 0) {
                return OptionalLong.of(at);
            }
        }
        return OptionalLong.empty();
    }

    /** @return how many messages {@code who} consumed at or after {@code nanos} */
    long countFrom(String who, long nanos) {
        return times(who).stream().filter(at -> at - nanos >= 0).count();
    }

    /** @return the total time, in nanoseconds, during which two participants acted as leader at once */
    long twoLeaderNanos(String one, String other) {
        List<long[]> first = stretches(times(one));
        List<long[]> second = stretches(times(other));
        long overlap = 0;
        for (long[] a : first) {
            for (long[] b : second) {
                overlap += Math.max(0, Math.min(a[1], b[1]) + intervalNanos - Math.max(a[0], b[0]));
            }
        }
        return overlap;
    }

    private List<long[]> stretches(List<Long> times) {
        List<long[]> stretches = new ArrayList<>();
        long[] current = null;
        for (long at : times) {
            if (current != null && at - current[1] <= gapNanos) {
                current[1] = at;
            } else {
                current = new long[] {at, at};
                stretches.add(current);
            }
        }
        return stretches;
    }

    private List<Long> times(String who) {
        List<Long> times = consumed.getOrDefault(who, List.of());
        synchronized (times) {
            return new ArrayList<>(times);
        }
    }
}
