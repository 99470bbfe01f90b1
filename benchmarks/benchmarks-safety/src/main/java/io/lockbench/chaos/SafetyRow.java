package io.lockbench.chaos;

/**
 * One cell of the safety matrix: an implementation under a fault. Times are milliseconds on the harness's
 * monotonic clock; {@code failoverMs} is -1 where the fault has no failover, {@code hostageMs} where it kills no
 * waiter.
 *
 * @param impl the implementation's registered name
 * @param fault the fault's name
 * @param sections critical sections completed
 * @param overlaps sections still held when a later section on the same key began (a section that several
 *     later ones entered during counts once: one holder that lost its lock, however long it took to notice)
 * @param staleAcceptedPlain writes made after a newer holder was granted the lock, accepted by the plain resource
 * @param staleRejectedFenced such writes that the fenced resource rejected
 * @param staleAcceptedFenced such writes that the fenced resource accepted
 * @param maxOrphanMs longest time a key stayed held on the server while no section on it was open
 * @param maxNoHolderMs longest time a key stayed free of holders between one section's end and the next start
 * @param failoverMs from the primary's death to the next section, or -1
 * @param hostageMs after a waiting client was killed (waiter-kill), the longest time a key stood free of sections
 *     while a surviving worker wanted it: from the latest of the kill, the key's last section end and the first
 *     acquire of it since, to the next section's start; or -1
 * @param staleRenewals renewals by a stalled client that succeeded after the lock had passed to a newer holder
 * @param keysWithoutTtl samples that found a lock key with no ttl while nobody held it
 * @param notes what else the cell showed, or why it was skipped
 * @param skipped whether the cell did not run
 */
public record SafetyRow(String impl, String fault, long sections, long overlaps, long staleAcceptedPlain,
                        long staleRejectedFenced, long staleAcceptedFenced, long maxOrphanMs, long maxNoHolderMs,
                        long failoverMs, long hostageMs, long staleRenewals, long keysWithoutTtl, String notes,
                        boolean skipped) {

    /**
     * The longest a lock may stay on the server held by nobody before it counts as a violation (story 3: a
     * user locked out by a lock nobody holds). A correct implementation settles a lost reply within one
     * command timeout of the server answering again, and no fault's command timeout is longer than this; so
     * an orphan past it is a timed-out acquire or release left to the ttl.
     */
    public static final long ORPHAN_BOUND_MS = 1_000;

    /** The note of a cell whose implementation has no fencing token: its fenced figures say nothing. */
    public static final String NO_FENCING = "no fencing token (FENCING not declared)";

    /**
     * A cell that did not run.
     *
     * @param impl the implementation
     * @param fault the fault
     * @param reason why, for the notes column
     * @return the row
     */
    public static SafetyRow skipped(String impl, String fault, String reason) {
        return new SafetyRow(impl, fault, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, "skipped: " + reason, true);
    }

    /**
     * Whether a lock stayed on the server held by nobody for longer than {@link #ORPHAN_BOUND_MS}. Not under a
     * fault with a hostage bound (waiter-kill): there a lock held by nobody is one granted to the killed waiters,
     * the cost {@link #hostageMs} measures and {@link #hostagePastBound()} judges, so it is not counted twice.
     *
     * @return whether the cell's longest orphan lock is a violation
     */
    public boolean orphanPastBound() {
        return maxOrphanMs > ORPHAN_BOUND_MS && Expectations.hostageBound(impl, fault).isEmpty();
    }

    /**
     * @return whether a key stayed hostage to a killed waiter for longer than the implementation's bound under the
     *     fault ({@link Expectations#hostageBound})
     */
    public boolean hostagePastBound() {
        return hostageMs >= 0 && Expectations.hostageBound(impl, fault)
                .map(bound -> hostageMs > bound.maxMs()).orElse(false);
    }

    /**
     * Whether fencing held: stale writes reached the fenced resource with an older token and every one was
     * refused. Never for an implementation without fencing (a naive one, or one whose cell notes
     * {@link #NO_FENCING}), whose token is 0 and refused whatever it protects.
     *
     * @return true when a fencing token kept this cell's stale writes out
     */
    public boolean fencedHeld() {
        return staleAcceptedFenced == 0 && staleRejectedFenced > 0 && !impl.startsWith("naive-")
                && (notes == null || !notes.contains(NO_FENCING));
    }

    /**
     * What a reader counts as violations: overlapping sections, stale writes the fenced resource let through,
     * renewals of someone else's lock, keys left without a ttl, one for an orphan lock past
     * {@link #ORPHAN_BOUND_MS} (the cell records the longest orphan, not how many there were), and one for a key
     * held hostage by a killed waiter past the implementation's bound ({@link #hostagePastBound()}). Stale writes
     * to the plain resource follow from overlaps and are not counted twice.
     *
     * @return the count, 0 for a safe cell
     */
    public long violations() {
        return overlaps + staleAcceptedFenced + staleRenewals + keysWithoutTtl + (orphanPastBound() ? 1 : 0)
                + (hostagePastBound() ? 1 : 0);
    }
}
