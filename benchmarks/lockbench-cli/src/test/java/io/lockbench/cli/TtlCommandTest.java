package io.lockbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TtlCommandTest {

    @Test
    void kvPrintsOneNameValuePerLine() {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("ttl", "--hold",
                "p50=20ms,p99=200ms,p999=800ms", "--pause", "500ms", "--risk", "1e-6", "--format", "kv");

        assertThat(code).isZero();
        assertThat(out.toString().lines().toList()).containsExactly("ttl_ms=760", "renew_ms=253", "max_wait_ms=1300",
                "risk_without_watchdog=7.94e-03", "risk_with_watchdog=0", "recovery_ms=760",
                "ttl_with_watchdog_ms=760", "ttl_without_watchdog_ms=52000");
    }

    @Test
    void aLockHeldForAWholeTermIsToldHowToCapItsRecoveryAndTheCapIsKept() {
        StringWriter uncapped = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(uncapped)).execute("ttl", "--hold", "p50=1h,p99=8h",
                "--pause", "5s");

        assertThat(code).isZero();
        assertThat(uncapped.toString()).contains("ttl             24 h", "Note: the hold time's tail sets this ttl",
                "--max-recovery 30s");
        assertThat(uncapped.toString().lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(120));

        StringWriter capped = new StringWriter();
        code = Main.commandLine().setOut(new PrintWriter(capped)).execute("ttl", "--hold", "p50=1h,p99=8h",
                "--pause", "5s", "--max-recovery", "30s", "--format", "kv");

        assertThat(code).isZero();
        assertThat(capped.toString().lines()).contains("ttl_ms=30000", "renew_ms=10000", "risk_with_watchdog=0",
                "recovery_ms=30000");
    }

    @Test
    void aMaxRecoveryShorterThanTheWatchdogNeedsIsAOneLineError() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("ttl", "--hold", "p50=20ms,p99=200ms",
                "--pause", "5s", "--max-recovery", "2s");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--max-recovery: even with a watchdog", "needs a ttl of at least 7.6 s")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void theHumanAnswerFitsOneHundredTwentyColumnsAndDrawsTheChartsIntoOut(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("ttl", "--hold",
                "p50=20ms,p99=200ms,p999=800ms", "--pause", "500ms", "--out", dir.toString());

        assertThat(code).isZero();
        assertThat(out.toString().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
        assertThat(out.toString()).contains("ttl             760 ms", "Pareto tail", "ttl-risk.png");
        assertThat(dir.resolve("ttl-risk.png")).isNotEmptyFile();
        assertThat(dir.resolve("ttl-recovery.png")).isNotEmptyFile();
    }

    @Test
    void aRunWithoutRawResultsIsSaidAndTheAnswerStillComes(@TempDir Path run) {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("ttl", "--hold", "p50=20ms,p99=200ms",
                "--run", run.toString(), "--out", run.resolve("elsewhere").toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("has no raw/ directory of JMH results", "renew every");
    }

    @Test
    void holdSamplesAreReadOnePerLineWithBareNumbersInMilliseconds(@TempDir Path dir) throws IOException {
        Path samples = dir.resolve("holds.txt");
        StringBuilder text = new StringBuilder("# hold times of /checkout\n\n");
        for (int i = 1; i <= 100; i++) {
            text.append(i % 2 == 0 ? i + "\n" : i + "ms\n");
        }
        Files.writeString(samples, text);
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("ttl", "--hold-samples",
                samples.toString(), "--format", "kv");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("ttl_ms=");
    }

    @Test
    void badValuesExitWithTwoAndOneLineNamingTheProblem(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "# nothing yet\n");
        assertExitTwoWithOneLine("--pause: must not be negative", "ttl", "--hold", "p50=1ms,p99=2ms", "--pause",
                "-5ms");
        assertExitTwoWithOneLine("p99 (100 ms) must be longer than p50 (200 ms)", "ttl", "--hold",
                "p50=200ms,p99=100ms");
        assertExitTwoWithOneLine("--risk: must be strictly between 0 and 1", "ttl", "--hold", "p50=1ms,p99=2ms",
                "--risk", "1");
        assertExitTwoWithOneLine("--risk: expected a probability", "ttl", "--hold", "p50=1ms,p99=2ms", "--risk",
                "often");
        assertExitTwoWithOneLine("unknown unit 'parsecs'", "ttl", "--hold", "p50=1parsecs,p99=2ms");
        assertExitTwoWithOneLine("--pause: '500' has no unit", "ttl", "--hold", "p50=1ms,p99=2ms", "--pause", "500");
        assertExitTwoWithOneLine("empty.txt: no samples", "ttl", "--hold-samples", empty.toString());
        assertExitTwoWithOneLine("give the hold time", "ttl");
        assertExitTwoWithOneLine("--run: no such directory", "ttl", "--hold", "p50=1ms,p99=2ms", "--run",
                dir.resolve("missing").toString());
        assertExitTwoWithOneLine("--validate uses its own synthetic hold times", "ttl", "--validate", "--hold",
                "p50=1ms,p99=2ms");
        assertExitTwoWithOneLine("--impl: no implementation called 'zookeeper'", "ttl", "--validate", "--impl",
                "zookeeper");
    }

    @Test
    void helpSaysTheTailModelTheUnitsAndWhereTheChartsGo() {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("ttl", "--help");

        assertThat(code).isZero();
        // The usage text wraps at the terminal's width: compare with the line breaks folded into spaces.
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("Pareto", "a bare number is milliseconds",
                "RUN_DIR/charts",
                "predicted=<rate> measured=<rate> sections=<n>", "--format");
    }

    private static void assertExitTwoWithOneLine(String message, String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(out)).execute(args);

        assertThat(code).as("exit code of %s", List.of(args)).isEqualTo(2);
        assertThat(err.toString().lines().toList()).as("stderr of %s", List.of(args)).singleElement().asString()
                .contains(message);
        assertThat(out.toString()).isEmpty();
    }
}
