package io.lockbench.scenario;

import java.util.List;
import java.util.Optional;

/**
 * What one implementation (in one variant of a story) did in a scenario, and whether that is what the story
 * says it must do.
 *
 * @param scenario the story's id
 * @param impl the lock implementation's registered name
 * @param variant the variant of the story, such as {@code lock-after-read} or {@code ttl=30s}; empty when the
 *     story has one form only
 * @param expectFailure true for the naive setup that broke the story in production, which must show the failure
 *     again; false for a correct setup, which must not
 * @param showedFailure whether the story's failure happened in this run
 * @param outcomes the figures, in display order
 * @param headline one line saying what happened, in the story's terms
 */
public record ScenarioResult(String scenario, String impl, String variant, boolean expectFailure,
                             boolean showedFailure, List<Outcome> outcomes, String headline) {

    /** Copies the outcomes. */
    public ScenarioResult {
        outcomes = List.copyOf(outcomes);
    }

    /**
     * The column label of this result: the implementation, with the variant when there is one.
     *
     * @return such as {@code jedis} or {@code jedis lock-after-read}
     */
    public String label() {
        return variant.isEmpty() ? impl : impl + " " + variant;
    }

    /**
     * What is wrong when the run did not go as the story says: a naive setup that did not fail points at the
     * harness, a correct one that failed at a real defect.
     *
     * @return the problem, or empty when the result is as expected
     */
    public Optional<String> problem() {
        if (expectFailure && !showedFailure) {
            return Optional.of(scenario + ": " + label() + " did not show the story's failure (a harness bug): "
                    + headline);
        }
        if (!expectFailure && showedFailure) {
            return Optional.of(scenario + ": " + label() + " showed the story's failure (a defect): " + headline);
        }
        return Optional.empty();
    }
}
