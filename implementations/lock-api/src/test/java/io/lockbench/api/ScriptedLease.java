package io.lockbench.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A lease held by no server, whose extend does what the test scripts: the watchdog's own logic (when it
 * renews, how it judges replies, whom it tells) is tested here; the same behaviour against real Redis is in
 * lock-testkit's AutoRenewalContract.
 */
class ScriptedLease implements Lease {

    /** What one extend call does. */
    @FunctionalInterface
    interface Reply {
        /**
         * @param ttl the ttl asked for
         * @return whether the "server" confirmed ownership
         */
        boolean extend(Duration ttl) throws InterruptedException;
    }

    /** Always confirms, at once. */
    static final Reply CONFIRM = ttl -> true;

    private final String key;
    private final LongSupplier clock;
    private volatile Reply reply;
    private volatile long validUntilNanos;
    private volatile boolean released;
    final AtomicInteger extendCalls = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    final List<String> extendThreads = new CopyOnWriteArrayList<>();
    final List<Duration> extendTtls = new CopyOnWriteArrayList<>();

    ScriptedLease(String key, Duration ttl, Reply reply) {
        this(key, ttl, reply, System::nanoTime);
    }

    /** A lease whose validity is judged on {@code clock}, the one the test's watchdog reads. */
    ScriptedLease(String key, Duration ttl, Reply reply, LongSupplier clock) {
        this.key = key;
        this.reply = reply;
        this.clock = clock;
        this.validUntilNanos = clock.getAsLong() + ttl.toNanos();
    }

    /** @return now, on the clock this lease is judged by */
    long now() {
        return clock.getAsLong();
    }

    void reply(Reply next) {
        this.reply = next;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String ownerToken() {
        return "token-" + key;
    }

    @Override
    public long fencingToken() {
        return 7;
    }

    @Override
    public long validUntilNanos() {
        return validUntilNanos;
    }

    @Override
    public boolean isValid() {
        return !released && validUntilNanos - clock.getAsLong() > 0;
    }

    @Override
    public boolean extend(Duration ttl) {
        if (released) {
            throw new IllegalStateException("released");
        }
        extendCalls.incrementAndGet();
        extendThreads.add(Thread.currentThread().getName());
        extendTtls.add(ttl);
        long sent = clock.getAsLong();
        boolean confirmed;
        try {
            confirmed = reply.extend(ttl);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockBackendException("scripted", "interrupted", e);
        }
        if (confirmed) {
            confirmedAt(sent, ttl);
        }
        return confirmed;
    }

    /** Moves the deadline as a confirmed renewal sent at {@code sentNanos} does. */
    void confirmedAt(long sentNanos, Duration ttl) {
        validUntilNanos = sentNanos + ttl.toNanos();
    }

    @Override
    public ReleaseResult release() {
        released = true;
        releases.incrementAndGet();
        return ReleaseResult.RELEASED;
    }

    @Override
    public void close() {
        if (!released) {
            release();
        }
    }
}
