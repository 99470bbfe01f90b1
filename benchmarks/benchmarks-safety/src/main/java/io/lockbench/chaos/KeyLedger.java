package io.lockbench.chaos;

import io.lockbench.safety.FencedResource;
import io.lockbench.safety.SafetyChecker;

import java.util.List;

/**
 * Everything the harness records about one lock key: its sections (a {@link SafetyChecker}), the two
 * resources they write to, and the times it stood free between holders. Thread-safe.
 */
final class KeyLedger {

    /** An open section and the grant number it got, which tells a late renewal from a fair one. */
    static final class Open {
        private final SafetyChecker.Section section;
        private final long grant;
        private long grantsAtRenewal;

        Open(SafetyChecker.Section section, long grant) {
            this.section = section;
            this.grant = grant;
            this.grantsAtRenewal = grant;
        }

        SafetyChecker.Section section() {
            return section;
        }
    }

    private final SafetyChecker checker = new SafetyChecker();
    private final FencedResource fenced = FencedResource.fenced();
    private final FencedResource plain = FencedResource.unfenced();
    private int open;
    private long grants;
    /** When the last holder left; 0 before the first section, whose wait is start-up, not a gap. */
    private long freeSinceNanos;
    private long maxNoHolderNanos;
    private long staleRenewals;

    synchronized Open begin(String holder, long token) {
        long now = System.nanoTime();
        if (open == 0 && freeSinceNanos != 0) {
            maxNoHolderNanos = Math.max(maxNoHolderNanos, now - freeSinceNanos);
        }
        open++;
        return new Open(checker.enter(holder, token), ++grants);
    }

    void write(Open section) {
        section.section().write(plain);
        section.section().write(fenced);
    }

    synchronized void renewing(Open section) {
        section.grantsAtRenewal = grants;
    }

    synchronized void renewed(Open section, boolean extended) {
        if (extended && section.grantsAtRenewal > section.grant) {
            staleRenewals++;
        }
    }

    synchronized void end(Open section) {
        section.section().close();
        open--;
        if (open == 0) {
            freeSinceNanos = System.nanoTime();
        }
    }

    /** @return how many sections on this key are open now (more than one: an overlap in progress) */
    synchronized int openSections() {
        return open;
    }

    /** @return whether some section on this key is open now */
    synchronized boolean held() {
        return open > 0;
    }

    synchronized long maxNoHolderNanos() {
        return maxNoHolderNanos;
    }

    synchronized long staleRenewals() {
        return staleRenewals;
    }

    /**
     * What the overlaps on this key were, from the finished sections in order of their start.
     *
     * @param sections sections still held when the next one on this key began, each counted once
     * @param pairs pairs of sections whose intervals intersect (one long section and every section that
     *     began while it was held make as many pairs)
     * @param longestNanos the longest a section stayed held after the next one began
     */
    record Overlaps(long sections, long pairs, long longestNanos) {
    }

    /** @return the overlaps between the finished sections on this key */
    Overlaps overlaps() {
        List<SafetyChecker.Interval> sorted = checker.intervals();
        long sections = 0;
        long longest = 0;
        for (int i = 0; i + 1 < sorted.size(); i++) {
            long heldAfterNext = sorted.get(i).endNanos() - sorted.get(i + 1).startNanos();
            if (heldAfterNext > 0) {
                sections++;
                longest = Math.max(longest, heldAfterNext);
            }
        }
        return new Overlaps(sections, checker.report().overlaps(), longest);
    }

    SafetyChecker.Report fencedReport() {
        return checker.report(fenced);
    }

    SafetyChecker.Report plainReport() {
        return checker.report(plain);
    }
}
