package io.lockbench.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeaderLogTest {

    private static final long INTERVAL = 50;

    @Test
    void consumptionsCloserThanTheGapFormOneStretchAndOverlappingStretchesAreTwoLeaders() {
        LeaderLog log = new LeaderLog(INTERVAL);
        for (long at = 0; at <= 1_000; at += 50) {
            log.consumed("a", at);
        }
        for (long at = 600; at <= 2_000; at += 50) {
            log.consumed("b", at);
        }

        assertThat(log.twoLeaderNanos("a", "b")).as("from 600 to a's last message and one interval after")
                .isEqualTo(450);
        assertThat(log.firstAt("b", 0)).hasValue(600);
        assertThat(log.countFrom("a", 900)).isEqualTo(3);
    }

    @Test
    void aHandoverWithAPauseBetweenIsNoTimeWithTwoLeaders() {
        LeaderLog log = new LeaderLog(INTERVAL);
        for (long at = 0; at <= 1_000; at += 50) {
            log.consumed("a", at);
        }
        log.consumed("a", 5_000);
        for (long at = 1_500; at <= 3_000; at += 50) {
            log.consumed("b", at);
        }

        assertThat(log.twoLeaderNanos("a", "b")).isZero();
        assertThat(log.firstAt("b", 3_001)).isEmpty();
    }

    @Test
    void aLoneStaleMessageCountsOneInterval() {
        LeaderLog log = new LeaderLog(INTERVAL);
        for (long at = 0; at <= 1_000; at += 50) {
            log.consumed("b", at);
        }
        log.consumed("a", 480);

        assertThat(log.twoLeaderNanos("a", "b")).isEqualTo(INTERVAL);
    }
}
