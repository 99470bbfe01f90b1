package io.lockbench.chaos;

import io.lockbench.api.Capability;
import io.lockbench.api.LockSettings;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One fault of the safety matrix: which implementations it applies to, the lock ttl and command timeout
 * its cell runs with, where its servers come from, and how it is injected and healed. A cell injects it
 * every {@link #period()} while the workers run, and waits {@link #settle()} after the last injection so
 * that what the fault left behind (an orphan lock, a key with no ttl) is measured.
 */
abstract class Fault {

    private final String name;
    private final String shows;
    private final Duration ttl;
    private final Duration period;

    /**
     * @param name the column name, such as {@code server-pause}
     * @param shows one line for safety.md: what the fault does and what its column shows
     * @param ttl the ttl every lease in the cell asks for
     * @param period the time from one injection's start to the next one's
     */
    Fault(String name, String shows, Duration ttl, Duration period) {
        this.name = name;
        this.shows = shows;
        this.ttl = ttl;
        this.period = period;
    }

    final String name() {
        return name;
    }

    final String shows() {
        return shows;
    }

    /**
     * @param capabilities the implementation's declared capabilities
     * @return whether the fault means something for it (quorum faults only for quorum locks)
     */
    boolean appliesTo(Set<Capability> capabilities) {
        return true;
    }

    /**
     * @param impl the implementation's registered name
     * @param capabilities its declared capabilities
     * @return whether the fault means something for it; by default {@link #appliesTo(Set)}
     */
    boolean appliesTo(String impl, Set<Capability> capabilities) {
        return appliesTo(capabilities);
    }

    /**
     * @param base the settings the cell's services would use: its servers and {@link #commandTimeout()}
     * @return the settings they use, by default {@code base}
     */
    LockSettings lockSettings(LockSettings base) {
        return base;
    }

    /**
     * @param base how much the run's cells run
     * @return how much this fault's cells run, by default {@code base}
     */
    ChaosSettings cellSettings(ChaosSettings base) {
        return base;
    }

    /** @return why no cell of this fault can run on this machine, or empty */
    Optional<String> unavailable() {
        return Optional.empty();
    }

    /** @return the ttl every lease in the cell asks for */
    final Duration ttl() {
        return ttl;
    }

    /** @return the services' command timeout */
    Duration commandTimeout() {
        return Duration.ofSeconds(1);
    }

    /**
     * @param base the run's hold time
     * @return how long a section holds the lock after its write in this fault's cells
     */
    Duration hold(Duration base) {
        return base;
    }

    /**
     * What the cell's notes should add about the fault, asked before it is healed.
     *
     * @param target the cell
     * @return a note, or empty
     */
    Optional<String> note(FaultTarget target) {
        return Optional.empty();
    }

    /** @return the time from one injection's start to the next one's */
    final Duration period() {
        return period;
    }

    /** @return how long to keep measuring after the last injection */
    Duration settle() {
        return ttl().multipliedBy(2);
    }

    /**
     * Whether the cell is back to work after its injections, besides {@link #settle()}; the cell runs on until
     * it is (or its time limit).
     *
     * @param target the cell
     * @param injections injections made so far
     * @return true by default
     */
    boolean recovered(FaultTarget target, long injections) {
        return true;
    }

    /** @return whether part of the workers run in a separate {@link ChaosClient} process */
    boolean usesClientProcess() {
        return false;
    }

    /** @return the most injections one cell makes; a fault that cannot repeat cheaply says 1 */
    int maxInjections() {
        return Integer.MAX_VALUE;
    }

    /**
     * The servers the cell runs on.
     *
     * @param servers the run's shared servers
     * @param quorum whether the implementation needs a quorum of nodes
     * @return the cell's servers
     */
    CellServers servers(ChaosServers servers, boolean quorum) {
        return servers.plain(quorum);
    }

    /**
     * Injects the fault once and returns when it is over (healed), so that the next injection starts clean.
     *
     * @param target the cell's servers, ledger and client process
     * @throws InterruptedException when the run is stopped
     */
    abstract void inject(FaultTarget target) throws InterruptedException;

    /**
     * What a worker does just before it releases; the lost-release-message fault acts there.
     *
     * @param target the cell
     * @return the hook, a no-op unless a fault needs one
     */
    Worker.BeforeRelease beforeRelease(FaultTarget target) {
        return key -> { };
    }

    /**
     * Undoes anything still broken at the cell's end: resumes, restarts, resets proxies.
     *
     * @param target the cell
     */
    void heal(FaultTarget target) {
        target.servers().heal();
    }

    @Override
    public String toString() {
        return name;
    }
}
