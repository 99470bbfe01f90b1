package io.lockbench.chaos;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;
import io.lockbench.fixture.RedisSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The safety matrix: each implementation under each fault that applies to it, one {@link CellRun} per
 * cell, on servers started once for the whole run.
 *
 * <pre>{@code
 * List<SafetyRow> rows = new ChaosRun(List.of("jedis", "naive-setnx"), ChaosRun.faults(List.of()),
 *         ChaosSettings.quick()).run(RedisSource.fromEnvironment(), listener);
 * }</pre>
 */
public final class ChaosRun {

    private final List<String> implementations;
    private volatile boolean stopped;
    private final List<Fault> faults;
    private final ChaosSettings settings;

    /**
     * @param implementations registered names, in row order
     * @param faultNames fault names in column order; empty for all
     * @param settings how much each cell runs
     * @throws IllegalArgumentException for an unknown fault name
     */
    public ChaosRun(List<String> implementations, List<String> faultNames, ChaosSettings settings) {
        this.implementations = List.copyOf(implementations);
        this.faults = faultNames.isEmpty() ? Faults.all() : faultNames.stream().map(Faults::byName).toList();
        this.settings = settings;
    }

    /** @return every fault name, in column order */
    public static List<String> faultNames() {
        return Faults.all().stream().map(Fault::name).toList();
    }

    /** @return fault name to the line safety.md prints for it, in column order */
    public static Map<String, String> faultDescriptions() {
        Map<String, String> shows = new LinkedHashMap<>();
        Faults.all().forEach(fault -> shows.put(fault.name(), fault.shows()));
        return shows;
    }

    /**
     * Runs every cell.
     *
     * @param source where the servers come from
     * @param listener hears about each cell
     * @return one row per cell (skipped cells included), implementation-major
     * @throws InterruptedException when the thread is interrupted (Ctrl-C): the listener has heard of every cell
     *     that finished before
     */
    public List<SafetyRow> run(RedisSource source, ChaosListener listener) throws InterruptedException {
        List<SafetyRow> rows = new ArrayList<>();
        try (ChaosServers servers = ChaosServers.start(source)) {
            listener.serversStarted(servers.version());
            Map<String, Set<Capability>> capabilities = capabilities(servers);
            List<Cell> cells = new ArrayList<>();
            for (String impl : implementations) {
                for (Fault fault : faults) {
                    if (fault.appliesTo(impl, capabilities.get(impl))) {
                        cells.add(new Cell(impl, fault));
                    }
                }
            }
            int number = 0;
            for (Cell cell : cells) {
                if (stopped || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("stopped after " + rows.size() + " cells");
                }
                number++;
                listener.cellStarted(number, cells.size(), cell.impl(), cell.fault().name());
                SafetyRow row = runCell(cell, number, servers, capabilities.get(cell.impl()));
                rows.add(row);
                listener.cellFinished(row);
            }
        }
        return rows;
    }

    /**
     * Stops the run from another thread (Ctrl-C): the cell in progress, which fails as the servers go, is no
     * result, and {@link #run} throws {@link InterruptedException} instead of going on to the next cell. The
     * caller interrupts the running thread as well, so that a wait ends at once.
     */
    public void stop() {
        stopped = true;
    }

    private SafetyRow runCell(Cell cell, int number, ChaosServers servers, Set<Capability> capabilities)
            throws InterruptedException {
        Optional<String> unavailable = cell.fault().unavailable();
        if (unavailable.isPresent()) {
            return SafetyRow.skipped(cell.impl(), cell.fault().name(), unavailable.get());
        }
        String prefix = servers.keyPrefix() + "c" + number + ":";
        try (CellServers cellServers = cell.fault().servers(servers, capabilities.contains(Capability.QUORUM))) {
            return new CellRun(cell.impl(), cell.fault(), settings, prefix).run(cellServers);
        } catch (RuntimeException e) {
            if (stopped || Thread.currentThread().isInterrupted()) {
                // Stopped: the servers may be going, which is what failed; that is no result for the cell.
                throw new InterruptedException("stopped in " + cell.impl() + " x " + cell.fault().name());
            }
            return SafetyRow.skipped(cell.impl(), cell.fault().name(), "failed: " + e);
        }
    }

    /** Each implementation's capabilities, as a service on the run's servers declares them. */
    private Map<String, Set<Capability>> capabilities(ChaosServers servers) {
        Map<String, Set<Capability>> byName = new LinkedHashMap<>();
        LockSettings settings = LockSettings.of(servers.plain(true).connectTo());
        for (String impl : implementations) {
            try (LockService service = LockServices.create(impl, settings)) {
                byName.put(impl, service.capabilities());
            }
        }
        return byName;
    }

    private record Cell(String impl, Fault fault) {
    }
}
