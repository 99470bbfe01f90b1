package io.lockbench.chaos;

import java.nio.file.Path;
import java.util.List;

/** Writes {@code safety.csv}: one row per cell, the columns of {@link #HEADER}. */
public final class SafetyCsv {

    /** The file name inside a run's results directory. */
    public static final String FILE_NAME = "safety.csv";

    /** The header, exactly. */
    public static final String HEADER = "impl,fault,sections,overlaps,stale_accepted_plain,stale_rejected_fenced,"
            + "stale_accepted_fenced,max_orphan_ms,max_no_holder_ms,failover_ms,hostage_ms,notes";

    private SafetyCsv() {
    }

    /**
     * @param rows the rows
     * @return the CSV text, header first, one line per row ({@code failover_ms} and {@code hostage_ms} empty where
     *     there is none)
     */
    public static String render(List<SafetyRow> rows) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (SafetyRow row : rows) {
            csv.append(String.join(",", row.impl(), row.fault(), Long.toString(row.sections()),
                    Long.toString(row.overlaps()), Long.toString(row.staleAcceptedPlain()),
                    Long.toString(row.staleRejectedFenced()), Long.toString(row.staleAcceptedFenced()),
                    Long.toString(row.maxOrphanMs()), Long.toString(row.maxNoHolderMs()),
                    row.failoverMs() < 0 ? "" : Long.toString(row.failoverMs()),
                    row.hostageMs() < 0 ? "" : Long.toString(row.hostageMs()), quote(row.notes()))).append('\n');
        }
        return csv.toString();
    }

    /**
     * @param runDir the run's directory
     * @param rows the rows
     * @return the file written
     */
    public static Path write(Path runDir, List<SafetyRow> rows) {
        return Reports.write(runDir.resolve(FILE_NAME), render(rows));
    }

    /** RFC 4180: a field with a comma, quote or line break goes in quotes, its quotes doubled. */
    static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }
}
