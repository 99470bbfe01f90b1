package io.lockbench.cli;

import io.lockbench.chaos.SafetyJson;
import io.lockbench.chaos.SafetyRow;
import io.lockbench.report.EnvJson;
import io.lockbench.report.Report;
import io.lockbench.report.SafetyCell;
import io.lockbench.report.SafetyMatrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * Writes the report of one or more run directories: the first with JMH results gets the report (else the first
 * with a safety matrix), with the cases it lacks from the other bench runs given, drawing on the safety matrix and
 * scenario results found among all of them. The call
 * {@code bench} and {@code chaos} make at their end: {@code RunReport.write(List.of(runDir))}.
 */
final class RunReport {

    private RunReport() {
    }

    /**
     * Writes the report.
     *
     * @param runDirs run directories, as given on the command line
     * @return what was written, and where
     * @throws IllegalArgumentException when no directory holds results to report
     */
    static Written write(List<Path> runDirs) {
        // ImageIO buffers each PNG in a temp file by default and registers a shutdown hook to delete it, which
        // fails once the JVM is shutting down: after Ctrl-C, bench writes the report of the steps that finished.
        // The charts are small; memory does.
        ImageIO.setUseCache(false);
        List<Path> benchRuns = runDirs.stream().filter(Report::hasBenchResults).toList();
        Optional<Path> bench = benchRuns.stream().findFirst();
        Optional<Path> chaos = runDirs.stream().filter(dir -> Files.isRegularFile(dir.resolve(SafetyJson.FILE_NAME)))
                .findFirst();
        Optional<Path> scenarios = runDirs.stream().map(dir -> dir.resolve(Report.SCENARIOS_CSV))
                .filter(Files::isRegularFile).findFirst();
        Path target = bench.or(() -> chaos).orElseThrow(() -> new IllegalArgumentException("no results in "
                + String.join(", ", runDirs.stream().map(Path::toString).toList()) + ": expected raw/*.json (from"
                + " lockbench bench) or safety.json (from lockbench chaos)"));
        Optional<SafetyMatrix> safety = chaos.map(RunReport::matrix);
        List<Path> more = benchRuns.size() > 1 ? benchRuns.subList(1, benchRuns.size()) : List.of();
        return new Written(target, Report.write(target, more, safety, scenarios));
    }

    /**
     * A run directory and, beside it in the same results directory, the newest run with a safety matrix and the
     * newest with scenario results, so that a {@code bench} run's verdict draws on them (it says where each figure
     * comes from).
     *
     * @param runDir the run just made
     * @return {@code runDir} first, then the siblings found
     */
    static List<Path> withLatestSiblings(Path runDir) {
        List<Path> dirs = new ArrayList<>(List.of(runDir));
        Path parent = runDir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return dirs;
        }
        List<Path> siblings;
        try (Stream<Path> list = Files.list(parent)) {
            // Run ids start with the UTC time, so the names sort by age.
            siblings = list.filter(Files::isDirectory).filter(dir -> !dir.getFileName().equals(runDir.getFileName()))
                    .sorted(Comparator.comparing((Path dir) -> dir.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            return dirs;
        }
        siblings.stream().filter(dir -> Files.isRegularFile(dir.resolve(SafetyJson.FILE_NAME))).findFirst()
                .ifPresent(dirs::add);
        siblings.stream().filter(dir -> Files.isRegularFile(dir.resolve(Report.SCENARIOS_CSV))).findFirst()
                .ifPresent(dirs::add);
        return dirs;
    }

    /**
     * A report and the directory it went to.
     *
     * @param runDir the directory
     * @param report what was written
     */
    record Written(Path runDir, Report.Written report) {
    }

    /** The chaos module owns how a cell's violations are counted; the report gets the counts. */
    private static SafetyMatrix matrix(Path chaosDir) {
        List<SafetyRow> rows = SafetyJson.read(chaosDir).orElseThrow();
        List<SafetyCell> cells = rows.stream().map(row -> new SafetyCell(row.impl(), row.fault(), !row.skipped(),
                row.sections(), row.violations(), row.staleRejectedFenced(),
                row.fencedHeld(), row.maxOrphanMs(), row.failoverMs()))
                .toList();
        return new SafetyMatrix(chaosDir.getFileName().toString(), EnvJson.read(chaosDir), cells);
    }
}
