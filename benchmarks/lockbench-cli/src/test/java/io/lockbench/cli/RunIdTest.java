package io.lockbench.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunIdTest {

    private static final Instant START = Instant.parse("2026-11-22T03:41:00.734Z");

    @Test
    void isTheUtcTimeThenTheShortHostAndCommit() {
        assertThat(RunId.of(START, "Build-Box.example.com", "3f9c2e1a77b0c0ffee3f9c2e1a77b0c0ffee1234"))
                .isEqualTo("2026-11-22T03-41-00Z-build-box-3f9c2e1");
    }

    @Test
    void leavesOutWhatIsUnknown() {
        assertThat(RunId.of(START, "", "unknown")).isEqualTo("2026-11-22T03-41-00Z");
        assertThat(RunId.of(START, "h_o$st", null)).isEqualTo("2026-11-22T03-41-00Z-host");
    }

    @Test
    void durationsReadLikeAClock() {
        assertThat(ProgressPrinter.format(Duration.ofMillis(44_600))).isEqualTo("45s");
        assertThat(ProgressPrinter.format(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(ProgressPrinter.format(Duration.ofMinutes(62))).isEqualTo("1h 02m");
        assertThat(ProgressPrinter.format(Duration.ofSeconds(-3))).isEqualTo("0s");
    }
}
