package io.lockbench.report;

import java.util.Map;

/** Converts JMH's unit strings ({@code ops/ms}, {@code us/op}) to the units the reports print. */
public final class Units {

    private static final Map<String, Double> SECONDS_PER = Map.of(
            "ns", 1e-9, "us", 1e-6, "ms", 1e-3, "s", 1.0, "min", 60.0, "hr", 3600.0);

    private Units() {
    }

    /**
     * A throughput score in operations per second.
     *
     * @param score the score
     * @param unit {@code ops/<time unit>}
     * @return operations per second
     * @throws IllegalArgumentException when the unit is not a throughput unit
     */
    public static double opsPerSecond(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts.length != 2 || !parts[0].equals("ops")) {
            throw new IllegalArgumentException("unit: not a throughput unit: " + unit);
        }
        return score / seconds(parts[1], unit);
    }

    /**
     * A time-per-operation score in microseconds.
     *
     * @param score the score
     * @param unit {@code <time unit>/op}
     * @return microseconds per operation
     * @throws IllegalArgumentException when the unit is not a time-per-operation unit
     */
    public static double micros(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts.length != 2 || !parts[1].equals("op")) {
            throw new IllegalArgumentException("unit: not a time-per-operation unit: " + unit);
        }
        return score * seconds(parts[0], unit) * 1e6;
    }

    private static double seconds(String timeUnit, String unit) {
        Double seconds = SECONDS_PER.get(timeUnit);
        if (seconds == null) {
            throw new IllegalArgumentException("unit: unknown time unit in " + unit);
        }
        return seconds;
    }
}
