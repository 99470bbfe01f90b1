package io.lockbench.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SafetyWritersTest {

    private static final List<SafetyRow> ROWS = List.of(
            Rows.clean("jedis", "server-pause"),
            Rows.stalled("jedis", 7, 2, 0),
            Rows.clean("naive-setnx", "server-pause"),
            Rows.stalled("naive-setnx", 5, 2, 3),
            SafetyRow.skipped("jedis", "clock-jump", "libfaketime not installed"));

    @Test
    void csvHasExactlyTheHeaderAndOneLinePerCell() {
        List<String> lines = SafetyCsv.render(ROWS).lines().toList();

        assertThat(lines.get(0)).isEqualTo("impl,fault,sections,overlaps,stale_accepted_plain,stale_rejected_fenced,"
                + "stale_accepted_fenced,max_orphan_ms,max_no_holder_ms,failover_ms,hostage_ms,notes");
        assertThat(lines).hasSize(ROWS.size() + 1);
        assertThat(lines.get(2)).isEqualTo("jedis,client-pause,500,7,2,2,0,0,600,,,2 injections");
        assertThat(lines.get(5)).isEqualTo("jedis,clock-jump,0,0,0,0,0,0,0,,,skipped: libfaketime not installed");
    }

    @Test
    void jsonReadsBackTheRowsItWrote(@TempDir Path runDir) {
        SafetyJson.write(runDir, null, ROWS);

        assertThat(SafetyJson.read(runDir)).contains(ROWS);
        assertThat(SafetyJson.read(runDir.resolve("elsewhere"))).isEmpty();
    }

    @Test
    void fencingHoldsOnlyForACorrectImplementationWhoseStaleWritesWereAllRefused() {
        assertThat(Rows.stalled("jedis", 7, 2, 0).fencedHeld()).isTrue();
        assertThat(Rows.stalled("naive-setnx", 5, 2, 3).fencedHeld()).isFalse();
        assertThat(Rows.clean("jedis", "server-pause").fencedHeld()).isFalse();
        SafetyRow unfenced = new SafetyRow("spring-spin", "client-pause", 500, 4, 4, 4, 0, 0, 600, -1, -1, 0,
                0, "2 injections; " + SafetyRow.NO_FENCING, false);
        assertThat(unfenced.fencedHeld()).as("token 0 refused by the fenced resource is no fencing").isFalse();
    }

    @Test
    void csvQuotesNotesWithCommasAndQuotes() {
        assertThat(SafetyCsv.quote("a, \"b\"")).isEqualTo("\"a, \"\"b\"\"\"");
        assertThat(SafetyCsv.quote("plain")).isEqualTo("plain");
    }

    @Test
    void markdownPutsFaultsInColumnsAndTheNaiveRowsBelowALine() {
        String md = SafetyMarkdown.render("run", ROWS, Map.of("server-pause", "pauses", "client-pause", "stalls",
                "clock-jump", "jumps"));
        List<String> lines = md.lines().toList();

        int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("| impl |")).findFirst()
                .orElseThrow());
        List<String> table = lines.subList(header, header + 5);
        assertThat(table.get(0)).contains("server-pause").contains("client-pause").contains("clock-jump");
        assertThat(table.get(2)).startsWith("| jedis |").contains("0 violations").contains("**7** (fenced held)")
                .contains("skipped");
        assertThat(table.get(3)).startsWith("| *naive* |");
        assertThat(table.get(4)).startsWith("| naive-setnx |").contains("**8**").doesNotContain("fenced held");
        assertThat(md).contains("- **client-pause**: stalls");
    }

    @Test
    void anOrphanPastTheBoundIsABoldViolationWithItsLength() {
        assertThat(SafetyMarkdown.cell(Rows.orphan("naive-setnx", "ambiguous-acquire", 2_950)))
                .isEqualTo("**1** · orphan 2.9 s");
        assertThat(SafetyMarkdown.cell(Rows.orphan("redisson", "server-pause", 487))).isEqualTo("0 violations");
    }

    @Test
    void aHostagePastTheBoundIsABoldViolationWithItsLengthAndItsOwnCsvColumn() {
        assertThat(SafetyMarkdown.cell(Rows.hostage("fifo", 3_100))).isEqualTo("**1** · hostage 3.1 s");
        assertThat(SafetyMarkdown.cell(Rows.hostage("fifo", 640))).isEqualTo("0 violations · hostage 640 ms");
        assertThat(SafetyMarkdown.cell(Rows.hostage("jedis", 640))).isEqualTo("**1** · hostage 640 ms");
        assertThat(SafetyCsv.render(List.of(Rows.hostage("fifo", 640))).lines().toList().get(1))
                .isEqualTo("fifo,waiter-kill,500,0,0,0,0,0,40,,640,1 injections");
    }

    @Test
    void theLegendSaysWhatTheCountsCount() {
        String md = SafetyMarkdown.render("run", ROWS, Map.of("server-pause", "pauses"));

        assertThat(md).contains("a section still held when the next section on its key began (counted once per"
                + " section").contains("more than " + SafetyRow.ORPHAN_BOUND_MS + " ms (counted once per cell")
                .contains("Hostage time: after a client JVM whose workers all waited in acquire was SIGKILLed")
                .contains("2628 ms for fifo (queue window 2000 ms + ttl 500 ms + one poll 128 ms), 250 ms for a lock"
                        + " without a queue");
    }

    @Test
    void filesLandInTheRunDirectory(@TempDir Path dir) throws IOException {
        SafetyCsv.write(dir.resolve("run"), ROWS);
        SafetyMarkdown.write(dir.resolve("run"), "run", ROWS, ChaosRun.faultDescriptions());

        assertThat(Files.readString(dir.resolve("run").resolve("safety.csv"))).startsWith(SafetyCsv.HEADER + "\n");
        assertThat(Files.readString(dir.resolve("run").resolve("safety.md"))).startsWith("# run\n");
    }
}
