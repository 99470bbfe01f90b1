package io.lockbench.chaos;

import io.lockbench.safety.FencedResource;
import io.lockbench.safety.SafetyChecker;

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

    SafetyChecker.Report fencedReport() {
        return checker.report(fenced);
    }

    SafetyChecker.Report plainReport() {
        return checker.report(plain);
    }
}
