package io.lockbench.scenario;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScenariosCsvTest {

    @Test
    void headerIsExactAndEachOutcomeIsOneRow() {
        ScenarioResult bonus = new ScenarioResult("bonus", "naive-setnx", "", true, true, List.of(
                new Outcome("bonus", "naive-setnx", "tasks_paid_twice", 2, "count"),
                new Outcome("bonus", "naive-setnx", "locked_out", 7199.25, "s")), "2 of 6 tasks paid twice");
        ScenarioResult voucher = new ScenarioResult("voucher", "jedis", "lock-after-read", true, true, List.of(
                new Outcome("voucher", "jedis", "lock-after-read:claimed_twice", 3, "count")), "");

        String csv = ScenariosCsv.render(List.of(bonus, voucher));

        assertThat(csv.lines().toList()).containsExactly(
                "scenario,impl,outcome,value,unit",
                "bonus,naive-setnx,tasks_paid_twice,2,count",
                "bonus,naive-setnx,locked_out,7199.250,s",
                "voucher,jedis,lock-after-read:claimed_twice,3,count");
    }

    @Test
    void aResultOtherThanTheStorySaysIsAProblem() {
        ScenarioResult silentNaive = new ScenarioResult("bonus", "naive-setnx", "", true, false, List.of(), "paid once");
        ScenarioResult failingCorrect = new ScenarioResult("leader", "jedis", "ttl=2s", false, true, List.of(), "x");

        assertThat(silentNaive.problem()).hasValueSatisfying(p -> assertThat(p).contains("harness bug"));
        assertThat(failingCorrect.problem()).hasValueSatisfying(p -> assertThat(p).contains("jedis ttl=2s")
                .contains("defect"));
        assertThat(new ScenarioResult("leak", "jedis", "", false, false, List.of(), "").problem()).isEmpty();
    }
}
