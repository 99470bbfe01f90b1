package io.lockbench.chaos;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;
import io.lockbench.safety.SafetyChecker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * One cell: an implementation's workers contend on a few keys while the fault is injected every period,
 * until the cell has its sections and injections and has settled; then the ledger and the orphan sampler
 * give its row.
 */
final class CellRun {

    /** Workers in the separate process of the client-pause and waiter-kill faults; the rest run here. */
    private static final int CLIENT_WORKERS = 2;

    private final String impl;
    private final Fault fault;
    private final ChaosSettings settings;
    private final String keyPrefix;

    CellRun(String impl, Fault fault, ChaosSettings settings, String keyPrefix) {
        this.impl = impl;
        this.fault = fault;
        this.settings = fault.cellSettings(settings);
        this.keyPrefix = keyPrefix;
    }

    /**
     * Runs the cell on these servers.
     *
     * @param servers the cell's servers
     * @return its row
     * @throws InterruptedException when the run is stopped
     */
    SafetyRow run(CellServers servers) throws InterruptedException {
        LockSettings lockSettings;
        try {
            lockSettings = fault.lockSettings(new LockSettings(servers.connectTo(), fault.commandTimeout()));
        } catch (IllegalArgumentException e) {
            return SafetyRow.skipped(impl, fault.name(), "LockSettings refuses " + servers.connectTo() + ": "
                    + e.getMessage());
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < settings.keys(); i++) {
            keys.add(keyPrefix + "k" + i);
        }
        CellLedger ledger = new CellLedger(keys);
        List<String> notes = new ArrayList<>();
        long injections;
        long orphanMs;
        long keysWithoutTtl;
        long hostageMs;
        UnaryOperator<String> lockKey = LockServices.provider(impl)::lockKey;
        try (LockService service = LockServices.create(impl, lockSettings);
             OrphanSampler sampler = new OrphanSampler(servers::sampled, ledger, lockKey)) {
            if (!service.capabilities().contains(Capability.FENCING)) {
                notes.add(SafetyRow.NO_FENCING);
            }
            ClientProcess client = fault.usesClientProcess() ? ClientProcess.start(impl, servers.connectTo(),
                    fault.commandTimeout(), fault.ttl(), settings.hold(), CLIENT_WORKERS, keys, ledger) : null;
            FaultTarget target = new FaultTarget(servers, ledger, client, lockKey);
            int local = client == null ? settings.workers() : Math.max(1, settings.workers() - CLIENT_WORKERS);
            Workers workers = Workers.start(service, local, keys, fault.ttl(), fault.hold(settings.hold()),
                    ledger.withoutRenewals(),
                    fault.beforeRelease(target));
            try {
                injections = drive(target, ledger, notes);
                // Before the workers stop: a key still wanted and free at this moment counts up to now.
                hostageMs = ledger.maxHostageMs();
                fault.note(target).ifPresent(notes::add);
            } finally {
                fault.heal(target);
                workers.stop();
                if (client != null) {
                    client.close();
                }
            }
            long failed = workers.workers().stream().mapToLong(Worker::failedAttempts).sum();
            long unacked = workers.workers().stream().mapToLong(Worker::notAcknowledged).sum();
            if (failed > 0) {
                notes.add(failed + " acquire attempts failed with a backend error" + (unacked > 0 ? " (" + unacked
                        + " of them not acknowledged by a replica)" : "") + ", not counted as violations");
            }
            ledger.closeOpenSections();
            orphanMs = sampler.maxOrphanMs();
            keysWithoutTtl = sampler.keysWithoutTtl();
        } finally {
            servers.deleteKeys(keyPrefix);
        }
        notes.add(0, injections + " injections");
        if (fault.usesClientProcess()) {
            notes.add(CLIENT_WORKERS + " of the workers in a separate JVM");
        }
        return row(ledger, orphanMs, keysWithoutTtl, hostageMs, notes);
    }

    /** Injects until the cell is done; returns how many injections it made. */
    private long drive(FaultTarget target, CellLedger ledger, List<String> notes) throws InterruptedException {
        long start = System.nanoTime();
        long injections = 0;
        long lastInjectionEnd = start;
        long lastProgressNanos = start;
        long lastSections = 0;
        Duration stallLimit = max(Duration.ofSeconds(5), fault.ttl().multipliedBy(2));
        while (true) {
            long now = System.nanoTime();
            long sections = ledger.sections();
            if (sections != lastSections) {
                lastSections = sections;
                lastProgressNanos = now;
            }
            boolean injected = injections >= Math.min(settings.minInjections(), fault.maxInjections());
            boolean settled = now - lastInjectionEnd >= fault.settle().toNanos()
                    && fault.recovered(target, injections);
            if (injected && settled && sections >= settings.sections()) {
                return injections;
            }
            Duration maxCell = settings.maxCell();
            if (now - start >= maxCell.toNanos()) {
                notes.add("stopped at the cell's time limit of " + maxCell.toSeconds() + " s");
                return injections;
            }
            if (injected && settled && now - lastProgressNanos >= stallLimit.toNanos()) {
                notes.add("stopped: no section for " + stallLimit.toSeconds() + " s (every key held by nobody)");
                return injections;
            }
            if (injections < fault.maxInjections() && now - lastInjectionEnd >= fault.period().toNanos()
                    && (!injected || sections < settings.sections())) {
                fault.inject(target);
                injections++;
                lastInjectionEnd = System.nanoTime();
            } else {
                Thread.sleep(20);
            }
        }
    }

    private SafetyRow row(CellLedger ledger, long orphanMs, long keysWithoutTtl, long hostageMs, List<String> notes) {
        long sections = 0;
        long overlaps = 0;
        long staleAcceptedPlain = 0;
        long staleRejectedFenced = 0;
        long staleAcceptedFenced = 0;
        long noHolderNanos = 0;
        long staleRenewals = 0;
        long overlapPairs = 0;
        long longestOverlapNanos = 0;
        for (KeyLedger key : ledger.keys().values()) {
            SafetyChecker.Report fenced = key.fencedReport();
            SafetyChecker.Report plain = key.plainReport();
            KeyLedger.Overlaps keyOverlaps = key.overlaps();
            sections += fenced.sections();
            overlaps += keyOverlaps.sections();
            overlapPairs += keyOverlaps.pairs();
            longestOverlapNanos = Math.max(longestOverlapNanos, keyOverlaps.longestNanos());
            staleAcceptedPlain += plain.staleWritesAccepted();
            staleRejectedFenced += fenced.staleWritesRejected();
            staleAcceptedFenced += fenced.staleWritesAccepted();
            noHolderNanos = Math.max(noHolderNanos, key.maxNoHolderNanos());
            staleRenewals += key.staleRenewals();
        }
        if (overlaps > 0) {
            notes.add(overlapPairs + " overlapping pairs; a section held up to " + longestOverlapNanos / 1_000_000
                    + " ms after the next one began");
        }
        if (staleRenewals > 0) {
            notes.add(staleRenewals + " renewals of a lock that had passed to another holder");
        }
        if (keysWithoutTtl > 0) {
            notes.add(keysWithoutTtl + " times a key was left with no ttl, held by nobody");
        }
        return new SafetyRow(impl, fault.name(), sections, overlaps, staleAcceptedPlain, staleRejectedFenced,
                staleAcceptedFenced, orphanMs, noHolderNanos / 1_000_000, ledger.failoverMs(), hostageMs,
                staleRenewals, keysWithoutTtl, String.join("; ", notes), false);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The in-process workers of a cell, each on a thread of its own. */
    private record Workers(List<Worker> workers, List<Thread> threads, LockService service) {

        static Workers start(LockService service, int count, List<String> keys, Duration ttl, Duration hold,
                             SectionSink sink, Worker.BeforeRelease beforeRelease) {
            AtomicLong sectionIds = new AtomicLong();
            List<Worker> workers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Worker worker = new Worker(service, "worker-" + i, keys, ttl, hold, sink, sectionIds, beforeRelease);
                Thread thread = new Thread(worker, "lockbench-chaos-worker-" + i);
                thread.setDaemon(true);
                workers.add(worker);
                threads.add(thread);
                thread.start();
            }
            return new Workers(workers, threads, service);
        }

        /** Asks each worker to stop, then closes the service, which ends any acquire still waiting. */
        void stop() throws InterruptedException {
            workers.forEach(Worker::stop);
            for (Thread thread : threads) {
                thread.join(1_000);
            }
            service.close();
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }
}
