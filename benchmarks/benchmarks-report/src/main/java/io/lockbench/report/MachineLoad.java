package io.lockbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What else the machine was doing, read from Linux's {@code /proc}: the 1-minute load average
 * ({@code /proc/loadavg}) and the CPU time counters of {@code /proc/stat}, whose {@code steal} column counts the
 * time the hypervisor gave this machine's CPUs to someone else. Two snapshots give the steal share of the time
 * between them.
 *
 * @param loadAverage the 1-minute load average: runnable (and uninterruptible) tasks, averaged
 * @param stealTicks the {@code steal} column of the {@code cpu} line, summed over all CPUs, in clock ticks
 * @param totalTicks user + nice + system + idle + iowait + irq + softirq + steal of the same line (guest time
 *     is already inside user and nice)
 * @param cpus the CPUs online: the {@code cpuN} lines
 */
public record MachineLoad(double loadAverage, long stealTicks, long totalTicks, int cpus) {

    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final Path STAT = Path.of("/proc/stat");
    /** Columns of the {@code cpu} line that make up the total, in order: user, nice, ..., steal. */
    private static final int TOTAL_COLUMNS = 8;
    private static final int STEAL_COLUMN = 7;

    /**
     * The machine's load now.
     *
     * @return the snapshot, or empty where {@code /proc} is not Linux's (macOS) or cannot be read
     */
    public static Optional<MachineLoad> read() {
        try {
            return Optional.of(parse(Files.readString(LOADAVG, StandardCharsets.US_ASCII),
                    Files.readString(STAT, StandardCharsets.US_ASCII)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the two files' contents.
     *
     * @param loadavg {@code /proc/loadavg}, such as {@code 0.68 2.05 4.23 1/216 32756}
     * @param stat {@code /proc/stat}
     * @return the snapshot
     * @throws IllegalArgumentException when either is not in the kernel's format
     */
    public static MachineLoad parse(String loadavg, String stat) {
        String[] averages = loadavg.strip().split("\\s+");
        double load;
        try {
            load = Double.parseDouble(averages[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("/proc/loadavg: expected the load averages first, got " + loadavg, e);
        }
        long steal = -1;
        long total = 0;
        int cpus = 0;
        for (String line : stat.split("\n")) {
            String[] columns = line.strip().split("\\s+");
            if (columns[0].equals("cpu")) {
                if (columns.length < 1 + TOTAL_COLUMNS) {
                    throw new IllegalArgumentException("/proc/stat: the cpu line has no steal column: " + line);
                }
                for (int column = 0; column < TOTAL_COLUMNS; column++) {
                    total += Long.parseLong(columns[1 + column]);
                }
                steal = Long.parseLong(columns[1 + STEAL_COLUMN]);
            } else if (columns[0].matches("cpu\\d+")) {
                cpus++;
            }
        }
        if (steal < 0 || cpus == 0) {
            throw new IllegalArgumentException("/proc/stat: expected a cpu line and cpuN lines");
        }
        return new MachineLoad(load, steal, total, cpus);
    }

    /**
     * The share of CPU time stolen by the hypervisor between an earlier snapshot and this one.
     *
     * @param earlier a snapshot taken before this one
     * @return between 0 and 1; 0 when no time passed
     */
    public double stealSince(MachineLoad earlier) {
        long elapsed = totalTicks - earlier.totalTicks;
        return elapsed <= 0 ? 0 : Math.max(0, stealTicks - earlier.stealTicks) / (double) elapsed;
    }
}
