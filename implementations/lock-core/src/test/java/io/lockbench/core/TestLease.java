package io.lockbench.core;

import io.lockbench.api.LockService;
import io.lockbench.api.ReleaseResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A lease held by no server, whose release does what the test scripts and counts what happened. */
final class TestLease extends BaseLease {

    final AtomicInteger releases = new AtomicInteger();
    final AtomicInteger outcomesUnknown = new AtomicInteger();
    private final Supplier<ReleaseResult> release;

    TestLease(String token, Supplier<ReleaseResult> release) {
        super("k", token, 0, Validity.until(System.nanoTime(), Duration.ofSeconds(30)), LockService.DEFAULT_MAX_TTL);
        this.release = release;
    }

    TestLease(String token) {
        this(token, () -> ReleaseResult.RELEASED);
    }

    @Override
    protected boolean extendOnServer(Duration ttl) {
        return true;
    }

    @Override
    protected ReleaseResult releaseOnServer() {
        releases.incrementAndGet();
        return release.get();
    }

    @Override
    protected void releaseOutcomeUnknown() {
        outcomesUnknown.incrementAndGet();
    }
}
