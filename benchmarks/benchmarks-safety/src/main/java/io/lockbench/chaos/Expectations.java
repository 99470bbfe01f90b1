package io.lockbench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where each naive implementation must show its story's failure. A naive cell that ran and shows none is
 * a harness bug (the fault was not injected, or not measured), and the run says so and fails.
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
            of(row.impl(), row.fault()).filter(e -> !e.holds().test(row)).ifPresent(e -> messages.add(
                    "harness bug: " + row.impl() + " under " + row.fault() + " must show " + e.must()
                            + " but showed none (" + row.notes() + ")"));
        }
        return messages;
    }
}
