package io.lockbench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The safety results of one {@code lockbench chaos} run, as the report reads them.
 *
 * @param runId the chaos run's id
 * @param environment where it ran, when its {@code env.json} was found
 * @param cells every cell, in the run's order
 */
public record SafetyMatrix(String runId, Optional<RunEnvironment> environment, List<SafetyCell> cells) {

    /** Copies the cells. */
    public SafetyMatrix {
        cells = List.copyOf(cells);
    }

    /** @return the implementations, in the order of the cells, the naive ones last */
    public List<String> implementations() {
        List<String> names = new ArrayList<>(new LinkedHashSet<>(cells.stream().map(SafetyCell::impl).toList()));
        names.sort((a, b) -> Boolean.compare(SummaryRow.unsafe(a), SummaryRow.unsafe(b)));
        return names;
    }

    /**
     * The faults in the run's order: each implementation's cells follow it, and a fault only some
     * implementations ran (Redlock's kill-majority) goes right after the fault it followed there.
     *
     * @return the faults
     */
    public List<String> faults() {
        List<String> faults = new ArrayList<>();
        String previous = null;
        String impl = null;
        for (SafetyCell cell : cells) {
            if (!cell.impl().equals(impl)) {
                impl = cell.impl();
                previous = null;
            }
            if (!faults.contains(cell.fault())) {
                faults.add(previous == null ? 0 : faults.indexOf(previous) + 1, cell.fault());
            }
            previous = cell.fault();
        }
        return faults;
    }

    /**
     * One cell.
     *
     * @param impl the implementation
     * @param fault the fault
     * @return the cell, or empty when the run has none for the pair
     */
    public Optional<SafetyCell> cell(String impl, String fault) {
        return cells.stream().filter(cell -> cell.impl().equals(impl) && cell.fault().equals(fault)).findFirst();
    }
}
