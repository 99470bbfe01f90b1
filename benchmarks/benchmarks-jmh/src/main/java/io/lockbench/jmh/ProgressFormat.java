package io.lockbench.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.function.Consumer;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * JMH's usual text output, sent to a log file, plus one callback as each case starts, which the runner turns
 * into the progress line.
 */
final class ProgressFormat implements OutputFormat {

    private final OutputFormat log;
    private final Consumer<BenchmarkParams> onStart;

    ProgressFormat(PrintStream logStream, Consumer<BenchmarkParams> onStart) {
        this.log = OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL);
        this.onStart = onStart;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        onStart.accept(params);
        log.startBenchmark(params);
    }

    @Override
    public void iteration(BenchmarkParams params, IterationParams iteration, int number) {
        log.iteration(params, iteration, number);
    }

    @Override
    public void iterationResult(BenchmarkParams params, IterationParams iteration, int number, IterationResult result) {
        log.iterationResult(params, iteration, number, result);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
    }

    @Override
    public void startRun() {
        log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> results) {
        log.endRun(results);
    }

    @Override
    public void print(String text) {
        log.print(text);
    }

    @Override
    public void println(String text) {
        log.println(text);
    }

    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public void close() {
        log.flush();
    }

    @Override
    public void verbosePrintln(String text) {
        log.verbosePrintln(text);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }
}
