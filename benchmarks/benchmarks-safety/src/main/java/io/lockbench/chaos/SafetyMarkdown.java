package io.lockbench.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders {@code safety.md}: the matrix (fault columns, implementation rows, the correct implementations
 * first and the naive ones set apart below), each cell "0 violations" or the count in bold (with the hostage time
 * in waiter-kill cells), then one line per fault saying what it shows.
 */
public final class SafetyMarkdown {

    /** The file name inside a run's results directory. */
    public static final String FILE_NAME = "safety.md";

    private static final String NAIVE_PREFIX = "naive-";

    private SafetyMarkdown() {
    }

    /**
     * @param title the heading
     * @param rows the rows
     * @param faultLines fault name to what it shows, in column order
     * @return the markdown
     */
    public static String render(String title, List<SafetyRow> rows, Map<String, String> faultLines) {
        List<String> faults = new ArrayList<>(faultLines.keySet());
        faults.retainAll(rows.stream().map(SafetyRow::fault).toList());
        Map<String, Map<String, SafetyRow>> byImpl = new LinkedHashMap<>();
        rows.forEach(row -> byImpl.computeIfAbsent(row.impl(), impl -> new LinkedHashMap<>()).put(row.fault(), row));
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append(matrix(byImpl, faults));
        md.append("\nA violation is one of: a section still held when the next section on its key began"
                + " (counted once per section, however many began during it; the notes give the overlapping pairs"
                + " and the longest overlap), a stale write the fenced resource accepted, a renewal of a lock that"
                + " had passed to another holder, a key left with no ttl, or an orphan lock: a lock that stayed"
                + " on the server with no holder for more than " + SafetyRow.ORPHAN_BOUND_MS + " ms (counted"
                + " once per cell; a correct lock settles a lost reply within one command timeout, at most"
                + " " + SafetyRow.ORPHAN_BOUND_MS + " ms here, so only a timed-out acquire or release left to its"
                + " ttl gets there), or a key held hostage by a killed waiter past the implementation's bound"
                + " (waiter-kill, counted once per cell). Hostage time: after a client JVM whose workers all waited"
                + " in acquire was SIGKILLed, the longest time a key stood free of sections while a surviving worker"
                + " wanted it, from the latest of the kill, the key's last section end and the first acquire of it"
                + " since, to the next section's start (hostage_ms in safety.csv); the bound is "
                + Expectations.hostageBoundsInWords() + ". \"fenced held\": every stale write reached the fenced"
                + " resource with an older token and was rejected. \"orphan\": the longest orphan lock, shown when"
                + " past the bound (in waiter-kill cells a lock granted to the killed waiters is hostage time,"
                + " judged by its bound alone). \"hostage\": the hostage time of a waiter-kill cell. Naive"
                + " implementations have no fencing token; their rows are below the line.\n\n");
        md.append("## What each fault shows\n\n");
        for (String fault : faults) {
            md.append("- **").append(fault).append("**: ").append(faultLines.get(fault)).append('\n');
        }
        return md.toString();
    }

    /**
     * @param runDir the run's directory
     * @param title the heading
     * @param rows the rows
     * @param faultLines fault name to what it shows
     * @return the file written
     */
    public static Path write(Path runDir, String title, List<SafetyRow> rows, Map<String, String> faultLines) {
        return Reports.write(runDir.resolve(FILE_NAME), render(title, rows, faultLines));
    }

    /**
     * The matrix alone, as the CLI prints it.
     *
     * @param rows the rows
     * @param faultOrder every fault in column order; those without rows are left out
     * @return the markdown table
     */
    public static String matrix(List<SafetyRow> rows, List<String> faultOrder) {
        List<String> faults = new ArrayList<>(faultOrder);
        faults.retainAll(rows.stream().map(SafetyRow::fault).toList());
        Map<String, Map<String, SafetyRow>> byImpl = new LinkedHashMap<>();
        rows.forEach(row -> byImpl.computeIfAbsent(row.impl(), impl -> new LinkedHashMap<>()).put(row.fault(), row));
        return matrix(byImpl, faults);
    }

    private static String matrix(Map<String, Map<String, SafetyRow>> byImpl, List<String> faults) {
        StringBuilder md = new StringBuilder("| impl |");
        faults.forEach(fault -> md.append(' ').append(fault).append(" |"));
        md.append("\n|---|");
        faults.forEach(fault -> md.append("---|"));
        md.append('\n');
        Set<String> correct = new LinkedHashSet<>();
        Set<String> naive = new LinkedHashSet<>();
        byImpl.keySet().forEach(impl -> (impl.startsWith(NAIVE_PREFIX) ? naive : correct).add(impl));
        correct.forEach(impl -> md.append(line(impl, byImpl.get(impl), faults)));
        if (!naive.isEmpty() && !correct.isEmpty()) {
            md.append("| *naive* |");
            faults.forEach(fault -> md.append(" |"));
            md.append('\n');
        }
        naive.forEach(impl -> md.append(line(impl, byImpl.get(impl), faults)));
        return md.toString();
    }

    private static String line(String impl, Map<String, SafetyRow> cells, List<String> faults) {
        StringBuilder line = new StringBuilder("| ").append(impl).append(" |");
        for (String fault : faults) {
            SafetyRow row = cells.get(fault);
            line.append(' ').append(row == null ? "n/a" : cell(row)).append(" |");
        }
        return line.append('\n').toString();
    }

    /**
     * @param row a cell
     * @return its text: "0 violations", or the count in bold, with what fencing and orphans add
     */
    static String cell(SafetyRow row) {
        if (row.skipped()) {
            return "skipped";
        }
        long violations = row.violations();
        StringBuilder text = new StringBuilder(violations == 0 ? "0 violations" : "**" + violations + "**");
        if (violations > 0 && row.fencedHeld()) {
            text.append(" (fenced held)");
        }
        if (row.orphanPastBound()) {
            text.append(" · orphan ").append(row.maxOrphanMs() / 100 / 10.0).append(" s");
        }
        if (row.hostageMs() >= 1_000) {
            text.append(" · hostage ").append(row.hostageMs() / 100 / 10.0).append(" s");
        } else if (row.hostageMs() >= 0) {
            text.append(" · hostage ").append(row.hostageMs()).append(" ms");
        }
        return text.toString();
    }
}
