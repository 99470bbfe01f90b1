package io.lockbench.cli;

import io.lockbench.report.Publish;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lockbench report}: tables, charts and the verdict of finished runs, and publishing them. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Write the tables, charts and verdict of finished runs; --publish puts them in the READMEs.",
        description = {
            "Reads a bench run's raw/*.json and env.json and writes into its directory: summary.md and summary.csv"
                + " (ops/s with JMH's error, fraction of the round-trip bound, latency percentiles, commands per"
                + " section, failed attempts; the naive implementations set apart), charts/*.png (throughput with"
                + " the bound, latency percentile spectra, handoff latency, the safety heat map, the ttl risk curves of"
                + " the four stories at the run's lock latency) and verdict.md (which lock for which need).",
            "",
            "Give a chaos run's directory (safety.json) and a scenario run's (scenarios.csv) beside the bench run's"
                + " to draw the safety heat map and judge safety in the verdict. Without a bench run, the report"
                + " goes into the chaos run's directory.",
            "",
            "Give more bench runs after the first to add the cases it lacks (a benchmark run alone later, such as"
                + " `bench --only async`): the report goes into the first run's directory and names every run a"
                + " figure comes from.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  lockbench report results/2026-11-22T04-39-44Z-vm-a256972",
            "  lockbench report --publish results/<bench-run> results/<chaos-run> results/<scenario-run>",
            "  lockbench report --publish results/<bench-run> results/<async-bench-run> results/<chaos-run>"
        })
final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--publish",
            description = "Also regenerate results/README.md (the index of published runs, and the TTL guidance:"
                    + " the advisor's answer for each of the four stories with the run's latency) and the results"
                    + " block of the top-level README.md from the reported run.")
    private boolean publish;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*",
            description = "Run directories under results/: a bench run, and optionally a chaos and a scenario run."
                    + " More bench runs add the cases the first lacks (say a later `bench --only async`); the"
                    + " report goes into the first.")
    private List<Path> runDirs = new ArrayList<>();

    @Override
    public Integer call() {
        for (Path dir : runDirs) {
            if (!Files.isDirectory(dir)) {
                throw new ParameterException(spec.commandLine(), "RUN_DIR: no such directory: " + dir);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            RunReport.Written written = RunReport.write(runDirs);
            if (!written.report().summary().isEmpty()) {
                out.print(written.report().summary());
                out.println();
            }
            written.report().skipped().forEach(reason -> err.println("Skipped " + reason));
            err.println("Wrote " + written.report().files().size() + " files into " + written.runDir());
            if (publish) {
                for (Path file : Publish.publish(written.runDir())) {
                    err.println("Published into " + file);
                }
            }
            return 0;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("lockbench report: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
