package io.lockbench.scenario;

import java.util.List;

/**
 * One production story of DESIGN section 1 as a program on real Redis: run for the naive setup that broke it
 * and for the correct ones, it counts the business outcome (tasks paid twice, vouchers claimed twice, seconds
 * locked out, time with two leaders).
 */
public interface Scenario {

    /**
     * The story's id, as {@code lockbench scenario} takes it.
     *
     * @return {@code bonus}, {@code voucher}, {@code leak} or {@code leader}
     */
    String id();

    /**
     * What the story is, in one line.
     *
     * @return the description
     */
    String description();

    /**
     * The implementations run when none are named: the naive one of the story and the correct ones.
     *
     * @return registered names
     */
    List<String> defaultImplementations();

    /**
     * Runs the story for each implementation.
     *
     * @param implementations registered names
     * @param environment where the servers come from, and where progress goes
     * @return one result per implementation and variant
     * @throws InterruptedException when interrupted; servers and clients are closed
     */
    List<ScenarioResult> run(List<String> implementations, ScenarioEnvironment environment)
            throws InterruptedException;
}
