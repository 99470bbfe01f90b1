package io.lockbench.ttl;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyTest {

    @Test
    void aLatencyCountsEachBandAtItsUpperEnd() {
        Latency latency = Latency.fromPercentiles(Map.of(0.0, 0.1, 50.0, 1.0, 99.0, 5.0, 100.0, 9.0), "cycle");

        assertThat(latency.exceedance(0.5)).isCloseTo(1.0, within(1e-12));
        assertThat(latency.exceedance(1.0)).isCloseTo(0.5, within(1e-12));
        assertThat(latency.exceedance(5.0)).isCloseTo(0.01, within(1e-12));
        assertThat(latency.exceedance(9.0)).isZero();
        assertThat(latency.quantile(0.999)).isEqualTo(9.0);
    }
}
