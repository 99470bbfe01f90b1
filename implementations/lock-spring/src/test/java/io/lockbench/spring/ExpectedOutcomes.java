package io.lockbench.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.testkit.SuiteRuns;
import java.util.Map;

/**
 * What a testkit suite run against a registry lock must come to: the tests that fail are exactly the
 * published findings, each failing for the reason given (a fragment of its assertion message); the tests
 * skipped are exactly the ones asking for a capability not declared; every other test passes.
 *
 * @param findings the failing tests, by method name, with a fragment of why they fail
 * @param skips the skipped tests, by method name, with a fragment of the reason
 */
record ExpectedOutcomes(Map<String, String> findings, Map<String, String> skips) {

    /**
     * @param outcomes what the run came to
     */
    void assertMatch(SuiteRuns.Outcomes outcomes) {
        assertThat(outcomes.failed().keySet()).as("failed tests (the published findings): %s", outcomes.failed())
                .containsExactlyInAnyOrderElementsOf(findings.keySet());
        findings.forEach((test, why) -> assertThat(String.valueOf(outcomes.failed().get(test)))
                .as("why %s fails", test).contains(why));
        assertThat(outcomes.skipped().keySet()).as("skipped tests: %s", outcomes.skipped())
                .containsExactlyInAnyOrderElementsOf(skips.keySet());
        skips.forEach((test, why) -> assertThat(outcomes.skipped().get(test)).as("why %s is skipped", test)
                .contains(why));
        assertThat(outcomes.passed()).as("tests that passed").isNotEmpty();
    }
}
