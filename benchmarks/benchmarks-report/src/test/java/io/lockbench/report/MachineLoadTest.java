package io.lockbench.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code /proc} as the kernel writes it: two snapshots taken 20 s apart on the 2-core build machine. */
class MachineLoadTest {

    private static final String LOADAVG_BEFORE = "0.68 2.05 4.23 1/216 32756\n";
    private static final String STAT_BEFORE = """
            cpu  1352219 0 259748 5524039 3040 0 62623 536 0 0
            cpu0 643432 0 125285 2801497 532 0 30509 259 0 0
            cpu1 708786 0 134462 2722541 2507 0 32113 277 0 0
            intr 56896004 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 14 0 0 0 0 7254 990
            ctxt 280594510
            btime 1764550000
            processes 412398
            procs_running 1
            procs_blocked 0
            softirq 26540421 0 6152367 14 1268779 0 0 2188 8921733 0 10195340
            """;
    private static final String LOADAVG_AFTER = "0.59 1.91 4.13 2/211 1049\n";
    private static final String STAT_AFTER = """
            cpu  1352701 0 259983 5528336 3040 0 62732 537 0 0
            cpu0 643671 0 125402 2803646 532 0 30563 259 0 0
            cpu1 709030 0 134581 2724690 2507 0 32169 278 0 0
            ctxt 280621930
            """;

    @Test
    void readsTheOneMinuteLoadTheCpusAndTheStealColumn() {
        MachineLoad load = MachineLoad.parse(LOADAVG_BEFORE, STAT_BEFORE);

        assertThat(load.loadAverage()).isEqualTo(0.68);
        assertThat(load.cpus()).isEqualTo(2);
        assertThat(load.stealTicks()).isEqualTo(536);
        assertThat(load.totalTicks()).as("user..steal, guest excluded").isEqualTo(7_202_205);
    }

    @Test
    void stealIsTheStolenShareOfTheTicksBetweenTwoSnapshots() {
        MachineLoad before = MachineLoad.parse(LOADAVG_BEFORE, STAT_BEFORE);
        MachineLoad after = MachineLoad.parse(LOADAVG_AFTER, STAT_AFTER);

        assertThat(after.stealSince(before)).isCloseTo(1.0 / (7_207_329 - 7_202_205), within(1e-12));
        assertThat(before.stealSince(before)).as("no time passed").isZero();
    }

    @Test
    void aKernelWithoutTheStealColumnOrCpuLinesIsRefusedSayingWhich() {
        assertThatThrownBy(() -> MachineLoad.parse(LOADAVG_BEFORE, "cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steal");
        assertThatThrownBy(() -> MachineLoad.parse("", STAT_BEFORE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/proc/loadavg");
        assertThatThrownBy(() -> MachineLoad.parse(LOADAVG_BEFORE, "intr 1 2\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/proc/stat");
    }

    @Test
    void thisMachinesProcIsRead() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux only");
        long cpuLines = Files.readAllLines(Path.of("/proc/stat")).stream().filter(line -> line.matches("cpu\\d+ .*"))
                .count();

        MachineLoad load = MachineLoad.read().orElseThrow();

        assertThat(load.cpus()).isEqualTo(cpuLines);
        assertThat(load.loadAverage()).isNotNegative();
        assertThat(load.totalTicks()).isGreaterThan(load.stealTicks());
    }
}
