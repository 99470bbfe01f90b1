package io.lockbench.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The four stories, in the order DESIGN section 1 tells them. */
public final class Scenarios {

    private Scenarios() {
    }

    /**
     * The stories with the timings they had in production (3 s, 30 s and 2 h ttls; the 2 h lockout is watched
     * for a capped time).
     *
     * @return id to scenario, in story order
     */
    public static Map<String, Scenario> story() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (Scenario scenario : List.of(new BonusScenario(BonusScenario.Timing.story()),
                new VoucherScenario(VoucherScenario.Timing.story()), new LeakScenario(LeakScenario.Timing.story()),
                new LeaderScenario(LeaderScenario.Timing.story(), LeaderScenario.Timing.shortTtl()))) {
            all.put(scenario.id(), scenario);
        }
        return all;
    }
}
