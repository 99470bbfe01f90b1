package io.lockbench.safety;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records critical sections (who believed they held the lock, from when to when, on the monotonic clock)
 * and judges them: overlapping sections break mutual exclusion; a write made by a holder after a newer
 * holder was granted the lock is stale, and must be rejected by a fenced resource. Thread-safe.
 *
 * <pre>{@code
 * SafetyChecker checker = new SafetyChecker();
 * try (SafetyChecker.Section section = checker.enter("worker-1", lease.fencingToken())) {
 *     section.write(resource);
 * }
 * SafetyChecker.Report report = checker.report(resource);
 * }</pre>
 */
public final class SafetyChecker {

    /**
     * A finished critical section.
     *
     * @param id unique section id ({@code holder#n})
     * @param holder who held the lock
     * @param token the lease's fencing token
     * @param startNanos nanoTime on entry
     * @param endNanos nanoTime on exit
     */
    public record Interval(String id, String holder, long token, long startNanos, long endNanos) {
    }

    /**
     * What the recorded sections show.
     *
     * @param sections finished sections
     * @param overlaps pairs of sections whose intervals intersect
     * @param staleWritesAccepted writes made after a newer holder was granted the lock, yet accepted
     * @param staleWritesRejected such writes that the resource rejected (fencing at work)
     * @param examples up to five overlapping pairs, for messages
     */
    public record Report(long sections, long overlaps, long staleWritesAccepted, long staleWritesRejected,
                         List<String> examples) {

        /** @return true when no two sections overlapped */
        public boolean mutualExclusion() {
            return overlaps == 0;
        }

        /** @return true when no stale write reached the resource */
        public boolean resourceSafe() {
            return staleWritesAccepted == 0;
        }
    }

    /** An open critical section; closing it records its end. */
    public final class Section implements AutoCloseable {
        private final String id;
        private final String holder;
        private final long token;
        private final long startNanos;
        private boolean closed;

        private Section(String id, String holder, long token) {
            this.id = id;
            this.holder = holder;
            this.token = token;
            this.startNanos = System.nanoTime();
        }

        /** @return the section's unique id */
        public String id() {
            return id;
        }

        /**
         * Offers a write with this section's token to the resource.
         *
         * @param resource the protected resource
         * @return whether it accepted the write
         */
        public boolean write(FencedResource resource) {
            return resource.write(token, id);
        }

        /** Records the section's end; idempotent. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                finished.add(new Interval(id, holder, token, startNanos, System.nanoTime()));
            }
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Collection<Interval> finished = new ConcurrentLinkedQueue<>();

    /**
     * Opens a section. Call it right after the acquire returned, and close it right before the release.
     *
     * @param holder who holds the lock (thread, process or service name)
     * @param fencingToken the lease's fencing token (0 without fencing)
     * @return the open section
     */
    public Section enter(String holder, long fencingToken) {
        return new Section(holder + "#" + ids.incrementAndGet(), holder, fencingToken);
    }

    /** @return the finished sections, ordered by start */
    public List<Interval> intervals() {
        List<Interval> sorted = new ArrayList<>(finished);
        sorted.sort(Comparator.comparingLong(Interval::startNanos));
        return sorted;
    }

    /**
     * Judges the finished sections alone (no resource).
     *
     * @return the report; stale write counts are 0
     */
    public Report report() {
        return report(null);
    }

    /**
     * Judges the finished sections and the writes the resource received.
     *
     * @param resource the resource the sections wrote to, or null
     * @return the report
     */
    public Report report(FencedResource resource) {
        List<Interval> sorted = intervals();
        long overlaps = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Interval a = sorted.get(i);
            for (int j = i + 1; j < sorted.size() && sorted.get(j).startNanos() < a.endNanos(); j++) {
                overlaps++;
                if (examples.size() < 5) {
                    Interval b = sorted.get(j);
                    examples.add(a.id() + " [token " + a.token() + "] still held when " + b.id() + " [token "
                            + b.token() + "] entered, " + (a.endNanos() - b.startNanos()) / 1_000 + " µs overlap");
                }
            }
        }
        long staleAccepted = 0;
        long staleRejected = 0;
        if (resource != null) {
            Map<String, Long> nextStartById = nextStarts(sorted);
            for (FencedResource.Write write : resource.writes()) {
                Long nextStart = nextStartById.get(write.writer());
                boolean stale = nextStart != null && nextStart - write.atNanos() < 0;
                if (stale && write.accepted()) {
                    staleAccepted++;
                } else if (stale) {
                    staleRejected++;
                }
            }
        }
        return new Report(sorted.size(), overlaps, staleAccepted, staleRejected, List.copyOf(examples));
    }

    /** For each section, when the next grant (the next section to start) began. */
    private static Map<String, Long> nextStarts(List<Interval> sorted) {
        Map<String, Long> next = new HashMap<>();
        for (int i = 0; i + 1 < sorted.size(); i++) {
            next.put(sorted.get(i).id(), sorted.get(i + 1).startNanos());
        }
        return next;
    }
}
