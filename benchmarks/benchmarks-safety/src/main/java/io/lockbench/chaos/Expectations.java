package io.lockbench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where each naive implementation must show its story's failure. A naive cell that ran and shows none is
 * a harness bug (the fault was not injected, or not measured), and the run says so and fails. And the bound each
 * implementation keeps under the waiter-kill fault: a row past it is a finding about the implementation, counted
 * as a violation and shown in the report (a waiter-kill cell that killed nothing is a harness bug).
 */
public final class Expectations {

    /**
     * One expectation.
     *
     * @param impl the naive implementation
     * @param fault the fault
     * @param must what its row must show, in words
     * @param holds the check
     */
    public record Expectation(String impl, String fault, String must, Predicate<SafetyRow> holds) {
    }

    /**
     * The longest a key may stay hostage to a killed waiter ({@link SafetyRow#hostageMs()}).
     *
     * @param impl the implementation
     * @param fault the fault
     * @param maxMs the bound
     * @param why where it comes from, in words
     */
    public record Bound(String impl, String fault, long maxMs, String why) {
    }

    private static final long WAITER_KILL_TTL_MS = Faults.WaiterKill.TTL.toMillis();

    /**
     * fifo: a dead waiter's queue entry lives {@link Faults.WaiterKill#FIFO_QUEUE_WINDOW_MS} after its last call (at or
     * before the kill); a release in that window grants it the lock, which stays for the ttl; the waiter behind it
     * finds the lock expired at its next poll at the latest. Several dead entries on one key are granted one after
     * the other, each within the window, so the last grant too ends by the kill + window + ttl.
     */
    private static final long FIFO_HOSTAGE_MS = Faults.WaiterKill.FIFO_QUEUE_WINDOW_MS + WAITER_KILL_TTL_MS
            + Faults.WaiterKill.FIFO_POLL_MAX_MS;

    /**
     * A lock with no queue: a dead waiter leaves nothing on the server, so the key waits only for a surviving
     * waiter's wake-up (pub/sub, or a poll of at most 100 ms for the polling locks). Half the ttl: a lock left to
     * expire would cost about the whole ttl.
     */
    private static final long NO_QUEUE_HOSTAGE_MS = WAITER_KILL_TTL_MS / 2;

    /** The implementation whose waiters queue on the server. */
    private static final String QUEUED = "fifo";

    /** The ambiguous-acquire fault's ttl; an unresolved timed-out acquire leaves the lock for most of it. */
    private static final long LEAK_MS = Faults.AmbiguousAcquire.LEAK_MS;

    private static final String ORPHAN = "an orphan lock of >= " + LEAK_MS + " ms, counted as a violation";

    private static final List<Expectation> TABLE = List.of(
            new Expectation("naive-setnx", "ambiguous-acquire", ORPHAN, Expectations::orphaned),
            new Expectation("naive-setnx", "client-pause", "overlaps and stale writes accepted by the plain resource",
                    row -> row.overlaps() > 0 && row.staleAcceptedPlain() > 0),
            new Expectation("naive-pexpire", "ambiguous-acquire", ORPHAN, Expectations::orphaned),
            new Expectation("naive-pexpire", "client-pause", "renewals of a lock that had passed to another holder",
                    row -> row.staleRenewals() > 0 && row.staleAcceptedPlain() > 0),
            new Expectation("naive-setnx-expire", "ambiguous-acquire", "a key left with no ttl, held by nobody",
                    row -> row.keysWithoutTtl() > 0),
            new Expectation("naive-setnx-expire", "client-pause", "overlaps and stale writes accepted by the plain"
                    + " resource", row -> row.overlaps() > 0 && row.staleAcceptedPlain() > 0),
            new Expectation("naive-timeout-is-failure", "ambiguous-acquire", ORPHAN, Expectations::orphaned),
            new Expectation("naive-timeout-is-failure", "client-pause", "overlaps and stale writes accepted by the"
                    + " plain resource", row -> row.overlaps() > 0 && row.staleAcceptedPlain() > 0));

    private Expectations() {
    }

    /**
     * Story 3: the lock stays for most of the ttl. That is past {@link SafetyRow#ORPHAN_BOUND_MS}, so the
     * matrix counts it as a violation.
     */
    private static boolean orphaned(SafetyRow row) {
        return row.maxOrphanMs() >= LEAK_MS;
    }

    /** @return the table */
    public static List<Expectation> table() {
        return TABLE;
    }

    /**
     * @param impl an implementation
     * @param fault a fault
     * @return what its cell must show, if anything
     */
    public static Optional<Expectation> of(String impl, String fault) {
        return TABLE.stream().filter(e -> e.impl().equals(impl) && e.fault().equals(fault)).findFirst();
    }

    /**
     * @param impl an implementation
     * @param fault a fault
     * @return the longest a key may stay hostage to a killed waiter in its cell; empty but for waiter-kill
     */
    public static Optional<Bound> hostageBound(String impl, String fault) {
        if (!Faults.WaiterKill.NAME.equals(fault)) {
            return Optional.empty();
        }
        if (QUEUED.equals(impl)) {
            return Optional.of(new Bound(impl, fault, FIFO_HOSTAGE_MS, "queue window "
                    + Faults.WaiterKill.FIFO_QUEUE_WINDOW_MS + " ms + ttl " + WAITER_KILL_TTL_MS + " ms + one poll "
                    + Faults.WaiterKill.FIFO_POLL_MAX_MS + " ms"));
        }
        return Optional.of(new Bound(impl, fault, NO_QUEUE_HOSTAGE_MS, "no queue: a dead waiter leaves nothing on"
                + " the server; half the ttl"));
    }

    /** @return the waiter-kill bounds, as safety.md's legend gives them */
    public static String hostageBoundsInWords() {
        Bound fifo = hostageBound(QUEUED, Faults.WaiterKill.NAME).orElseThrow();
        return fifo.maxMs() + " ms for fifo (" + fifo.why() + "), " + NO_QUEUE_HOSTAGE_MS + " ms for a lock without a"
                + " queue";
    }

    /**
     * The bounds these rows exceed: findings about the implementations, not harness bugs.
     *
     * @param rows a run's rows
     * @return one message per row past its bound
     */
    public static List<String> findings(List<SafetyRow> rows) {
        List<String> messages = new ArrayList<>();
        for (SafetyRow row : rows) {
            if (!row.skipped() && row.hostagePastBound()) {
                Bound bound = hostageBound(row.impl(), row.fault()).orElseThrow();
                messages.add("finding: " + row.impl() + " under " + row.fault() + " kept a key from the surviving"
                        + " workers for " + row.hostageMs() + " ms, past its bound of " + bound.maxMs() + " ms ("
                        + bound.why() + ")");
            }
        }
        return messages;
    }

    /**
     * The expectations these rows break; skipped cells break none.
     *
     * @param rows a run's rows
     * @return one message per broken expectation, saying it is a harness bug
     */
    public static List<String> broken(List<SafetyRow> rows) {
        List<String> messages = new ArrayList<>();
        for (SafetyRow row : rows) {
            if (row.skipped()) {
                continue;
            }
            if (Faults.WaiterKill.NAME.equals(row.fault()) && row.hostageMs() < 0) {
                messages.add("harness bug: " + row.impl() + " under " + row.fault() + " must kill a waiting client"
                        + " but killed none (" + row.notes() + ")");
            }
            of(row.impl(), row.fault()).filter(e -> !e.holds().test(row)).ifPresent(e -> messages.add(
                    "harness bug: " + row.impl() + " under " + row.fault() + " must show " + e.must()
                            + " but showed none (" + row.notes() + ")"));
        }
        return messages;
    }
}
