package io.lockbench.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationLabelTest {

    @Test
    void readsTheLabelsBenchmarksUse() {
        assertThat(DurationLabel.parse("0")).isZero();
        assertThat(DurationLabel.parse("100us")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(DurationLabel.parse("100µs")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(DurationLabel.parse("1ms")).isEqualTo(Duration.ofMillis(1));
        assertThat(DurationLabel.parse(" 2S ")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationLabel.parse("1500ns")).isEqualTo(Duration.ofNanos(1_500));
        assertThat(DurationLabel.parse("500")).as("bare numbers are microseconds").isEqualTo(Duration.ofNanos(500_000));
    }

    @Test
    void writesTheShortestExactLabel() {
        assertThat(DurationLabel.format(Duration.ZERO)).isEqualTo("0");
        assertThat(DurationLabel.format(Duration.ofNanos(500_000))).isEqualTo("500us");
        assertThat(DurationLabel.format(Duration.ofMillis(1))).isEqualTo("1ms");
        assertThat(DurationLabel.format(Duration.ofMillis(3000))).isEqualTo("3s");
        assertThat(DurationLabel.format(Duration.ofNanos(1_500))).isEqualTo("1500ns");
        assertThat(DurationLabel.parse(DurationLabel.format(Duration.ofNanos(250_000))))
                .isEqualTo(Duration.ofNanos(250_000));
    }

    @Test
    void refusesWhatIsNotADuration() {
        assertThatThrownBy(() -> DurationLabel.parse("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fast'");
        assertThatThrownBy(() -> DurationLabel.parse("-1ms")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationLabel.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationLabel.format(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
