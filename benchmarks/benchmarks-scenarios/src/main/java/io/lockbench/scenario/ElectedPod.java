package io.lockbench.scenario;

import io.lockbench.api.LeaderCallbacks;
import io.lockbench.api.LeaderElection;
import io.lockbench.api.RenewedLease;
import io.lockbench.fixture.FreezableLockService;

/**
 * The fix of the leader story: {@link LeaderElection}, whose renewal is owner-checked and whose leader stops the
 * moment a renewal fails or its lease's deadline passes unrenewed. The pod consumes only while
 * {@link LeaderElection#isLeader()}.
 */
final class ElectedPod extends Pod {

    private final String key;
    private final LeaderScenario.Timing timing;
    private volatile LeaderElection election;

    ElectedPod(String id, FreezableLockService client, LeaderLog log, String key, LeaderScenario.Timing timing) {
        super(id, client, timing.consumeEvery(), log);
        this.key = key;
        this.timing = timing;
    }

    @Override
    void startCompeting() {
        election = LeaderElection.builder(client, key).ttl(timing.ttl()).renewEvery(timing.renewEvery())
                .participantId(id()).callbacks(LeaderCallbacks.of(lease -> { }, reason -> { })).start();
    }

    @Override
    boolean leading() {
        LeaderElection current = election;
        return current != null && current.isLeader();
    }

    @Override
    long renewalsConfirmed() {
        LeaderElection current = election;
        return current == null ? 0 : current.currentLease()
                .map(lease -> lease instanceof RenewedLease renewed ? renewed.renewals() : 0L).orElse(0L);
    }

    @Override
    void leave() {
        LeaderElection current = election;
        if (current != null) {
            current.close();
        }
    }
}
