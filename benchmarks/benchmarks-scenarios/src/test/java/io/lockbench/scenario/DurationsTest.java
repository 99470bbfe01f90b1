package io.lockbench.scenario;

import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @Test
    void labelsReadAsTheStoriesTellThem() {
        assertThat(Durations.label(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.label(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.label(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Durations.label(Duration.ofMillis(700))).isEqualTo("700ms");
        assertThat(Durations.seconds(0.01234)).isEqualTo("12.3ms");
        assertThat(Durations.seconds(7189.4)).isEqualTo("7189.4s");
    }
}
