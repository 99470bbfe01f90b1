package io.lockbench.chaos;

/** Hears about each cell of a {@link ChaosRun}, for progress lines. */
public interface ChaosListener {

    /**
     * The run's servers are up; called once, before the first cell.
     *
     * @param redisVersion {@code redis_version} of the servers
     */
    default void serversStarted(String redisVersion) {
    }

    /**
     * A cell is about to run.
     *
     * @param number 1-based
     * @param total cells in the run
     * @param impl the implementation
     * @param fault the fault
     */
    void cellStarted(int number, int total, String impl, String fault);

    /**
     * A cell finished (or was skipped).
     *
     * @param row its row
     */
    void cellFinished(SafetyRow row);
}
