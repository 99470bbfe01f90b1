package io.lockbench.scenario;

/**
 * One business figure of a scenario run: one row of {@code scenarios.csv}.
 *
 * @param scenario the story, such as {@code bonus}
 * @param impl the lock implementation's registered name
 * @param outcome what was counted or timed, prefixed by the variant when the story runs several, such as
 *     {@code lock-after-read:claimed_twice} or {@code ttl=30s:failover_after_kill}
 * @param value the figure
 * @param unit {@code count}, {@code s}, or {@code ms}
 */
public record Outcome(String scenario, String impl, String outcome, double value, String unit) {
}
