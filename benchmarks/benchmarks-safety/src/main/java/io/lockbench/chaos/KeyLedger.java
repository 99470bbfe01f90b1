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
    /** Workers in this JVM inside an acquire of this key. */
    private int waiting;
    /** Since when a worker here has wanted the key while it stood free: 0 while held or wanted by nobody. */
    private long wantedSinceNanos;
    /** When the waiter-kill fault killed the client process; 0 before. */
    private long killNanos;
    private boolean begunSinceKill;
    private long maxHostageNanos;

    synchronized Open begin(String holder, long token) {
        long now = System.nanoTime();
        if (open == 0 && freeSinceNanos != 0) {
            maxNoHolderNanos = Math.max(maxNoHolderNanos, now - freeSinceNanos);
        }
        if (open == 0) {
            maxHostageNanos = Math.max(maxHostageNanos, hostageUntil(now));
            wantedSinceNanos = 0;
        }
        if (killNanos != 0) {
            begunSinceKill = true;
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
            wantedSinceNanos = waiting > 0 ? freeSinceNanos : 0;
        }
    }

    /**
     * A worker of this JVM starts or ends an acquire of this key.
     *
     * @param starts true when it starts
     */
    synchronized void waiting(boolean starts) {
        waiting += starts ? 1 : -1;
        if (starts && open == 0 && wantedSinceNanos == 0) {
            wantedSinceNanos = System.nanoTime();
        }
    }

    /**
     * Marks the moment the client process was killed: hostage time is counted from then on.
     *
     * @param nanos the moment, on {@link System#nanoTime()}
     */
    synchronized void markKill(long nanos) {
        killNanos = nanos;
        begunSinceKill = false;
    }

    /** @return whether a section on this key began after the kill */
    synchronized boolean begunSinceKill() {
        return begunSinceKill;
    }

    /**
     * The longest time since the kill that the key stood free of sections while a worker of this JVM wanted it:
     * from the latest of the kill, the end of the key's last section and the first acquire of it that a worker
     * started since then, to the next section's start; a stretch still open counts up to now.
     *
     * @return the time in nanoseconds, 0 before a kill
     */
    synchronized long maxHostageNanos() {
        return open == 0 ? Math.max(maxHostageNanos, hostageUntil(System.nanoTime())) : maxHostageNanos;
    }

    /** The current stretch of hostage time, up to {@code now}; 0 when there is none. Called with the key free. */
    private long hostageUntil(long now) {
        if (killNanos == 0 || wantedSinceNanos == 0) {
            return 0;
        }
        return Math.max(0, now - Math.max(wantedSinceNanos, killNanos));
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
