package io.lockbench.scenario;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as the stories tell them: {@code 2h}, {@code 30s}, {@code 1.5s}, {@code 700ms}, {@code 12.3ms}. */
final class Durations {

    private Durations() {
    }

    /**
     * The shortest readable label, to a tenth of a millisecond below one second.
     *
     * @param duration zero or positive
     * @return the label
     */
    static String label(Duration duration) {
        long nanos = Math.max(0, duration.toNanos());
        if (nanos >= 3_600_000_000_000L && nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos >= 60_000_000_000L && nanos % 60_000_000_000L == 0 && nanos < 3_600_000_000_000L) {
            return nanos / 60_000_000_000L + "min";
        }
        if (nanos >= 1_000_000_000L) {
            return decimal(nanos, 1_000_000_000L, 1) + "s";
        }
        return decimal(nanos, 1_000_000L, 1) + "ms";
    }

    /**
     * A number of seconds as a label.
     *
     * @param seconds zero or positive
     * @return the label
     */
    static String seconds(double seconds) {
        return label(Duration.ofNanos((long) (seconds * 1e9)));
    }

    private static String decimal(long nanos, long unit, int places) {
        return BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit)).setScale(places,
                java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
