package io.lockbench.jmh;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisCommandCounterTest {

    @Test
    void sumsEveryCommandButTheCountingInfo() {
        String commandstats = "# Commandstats\r\n"
                + "cmdstat_evalsha:calls=120,usec=900,usec_per_call=7.50,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_set:calls=120,usec=300,usec_per_call=2.50\r\n"
                + "cmdstat_info:calls=41,usec=2000,usec_per_call=48.78\r\n"
                + "cmdstat_client|setinfo:calls=2,usec=3,usec_per_call=1.50\r\n";

        assertThat(RedisCommandCounter.sum(commandstats)).isEqualTo(242);
        assertThat(RedisCommandCounter.sum("# Commandstats\r\n")).isZero();
    }
}
