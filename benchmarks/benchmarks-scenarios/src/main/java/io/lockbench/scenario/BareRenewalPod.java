package io.lockbench.scenario;

import io.lockbench.api.Lease;
import io.lockbench.fixture.FreezableLockService;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leader story's own code: try to take the lock every {@code retryEvery}; once leader, renew it every
 * {@code renewEvery} with {@link Lease#extend} (a bare {@code PEXPIRE} on {@code naive-pexpire}) and lead for as
 * long as the renewal says yes. Nothing checks the lease's own deadline, so a pod paused past the ttl goes on
 * leading when it wakes, and its bare renewal extends the lock of whoever holds it now.
 */
final class BareRenewalPod extends Pod {

    private final String key;
    private final Duration ttl;
    private final Duration renewEvery;
    private final Duration retryEvery;
    private final AtomicLong renewals = new AtomicLong();
    private volatile Lease lease;

    BareRenewalPod(String id, FreezableLockService client, LeaderLog log, String key, LeaderScenario.Timing timing) {
        super(id, client, timing.consumeEvery(), log);
        this.key = key;
        this.ttl = timing.ttl();
        this.renewEvery = timing.renewEvery();
        this.retryEvery = timing.retryEvery();
    }

    @Override
    void startCompeting() {
        startThread("lock", this::compete);
    }

    @Override
    boolean leading() {
        return lease != null;
    }

    @Override
    long renewalsConfirmed() {
        return renewals.get();
    }

    private void compete() {
        while (alive) {
            client.awaitThawed();
            if (!alive) {
                return;
            }
            Duration next;
            try {
                Lease held = lease;
                if (held == null) {
                    lease = client.tryAcquire(key, ttl).orElse(null);
                    next = lease == null ? retryEvery : renewEvery;
                } else if (held.extend(ttl)) {
                    renewals.incrementAndGet();
                    next = renewEvery;
                } else {
                    lease = null;
                    next = retryEvery;
                }
            } catch (RuntimeException e) {
                // A backend error is retried at the next tick, as the story's code did; a killed pod stops.
                next = retryEvery;
            }
            if (!pauseFor(next)) {
                return;
            }
        }
    }

    @Override
    void leave() {
        Lease held = lease;
        lease = null;
        if (held != null) {
            try {
                held.close();
            } catch (IllegalStateException e) {
                // Killed: the client is closed and the lock expires by its ttl.
            }
        }
    }
}
