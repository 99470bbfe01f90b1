package io.lockbench.report;

/**
 * One cell of a safety matrix ({@code lockbench chaos}) as the report uses it: an implementation under a fault.
 * The chaos module owns the full row and how violations are counted; this is what the heat map and the verdict
 * need of it.
 *
 * @param impl the implementation's registered name
 * @param fault the fault's name
 * @param ran whether the cell ran (a fault that does not apply to an implementation is skipped)
 * @param sections critical sections completed
 * @param violations overlaps, stale writes let through, stale renewals, keys without a ttl and an orphan lock
 *     past the bound, counted as {@code safety.md} counts them
 * @param staleRejectedFenced stale writes (made after the lock had passed on) that the fenced resource rejected
 * @param fencedHeld whether stale writes reached the fenced resource and every one was rejected
 * @param maxOrphanMs the longest a lock stayed on the server held by nobody
 * @param failoverMs from the primary's death to the next granted lock, or -1 where there is no failover
 */
public record SafetyCell(String impl, String fault, boolean ran, long sections, long violations,
                         long staleRejectedFenced, boolean fencedHeld, long maxOrphanMs, long failoverMs) {
}
