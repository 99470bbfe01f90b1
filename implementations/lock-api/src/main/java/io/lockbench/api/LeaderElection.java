package io.lockbench.api;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant in electing a single leader per key among many (threads or processes), over any
 * {@link LockService}: the leader is whoever holds the key's lock, kept alive by an {@link AutoRenewal}.
 *
 * <pre>{@code
 * try (LeaderElection election = LeaderElection.builder(service, "orders-consumer")
 *         .ttl(Duration.ofSeconds(10))
 *         .callbacks(LeaderCallbacks.of(consumer::start, reason -> consumer.stop()))
 *         .start()) {
 *     ...
 * }
 * // in the consumer, before every write:
 * //   if (!lease.isValid()) stop;  store.write(record, lease.fencingToken());
 * }</pre>
 *
 * <p>Each participant runs one thread, {@code lockbench-leader-<participantId>}: as a follower it waits in
 * {@link LockService#acquire}, which wakes when the key is released (so a clean handover takes one or two
 * round trips, not a polling period) or when the leader's lock expires; as the leader it watches its term.
 * A leader whose renewal fails, or whose lease reaches its deadline with no renewal confirmed, is told through
 * {@link LeaderCallbacks#onRevoked} at once (by this thread, woken by the watchdog) and goes back to
 * following; its {@link Lease#isValid()} is false from the moment of the failure. {@link #close()} tells the leader
 * ({@link RevocationReason#STOPPED}), then releases the lock, so the next participant takes over within a
 * round trip; a leader that dies without closing is replaced when its lock expires, at most one ttl later.
 *
 * <p>What it does not guarantee: that two participants never act as leader at the same time. A leader paused
 * longer than its ttl (GC, a stalled VM) still believes it leads until it next checks
 * {@link Lease#isValid()}, and may be in the middle of a write when it wakes. The leader's fencing token
 * ({@link #fencingToken()}, {@link Lease#fencingToken()}) must therefore go with every write it makes, and the
 * resource must refuse tokens lower than the highest it has seen. Fencing needs a service that declares
 * {@link Capability#FENCING}; others report 0.
 *
 * <p>Thread-safe.
 */
public final class LeaderElection implements AutoCloseable {

    /** The ttl a leader's lock gets unless told otherwise: the longest a crashed leader goes unnoticed. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    private static final AtomicInteger PARTICIPANTS = new AtomicInteger();
    private static final long JOIN_GRACE_MILLIS = 5_000;
    /** Guards the deadline watch against spinning on a lease whose validity is not deadline-based. */
    private static final long MIN_WATCH_NANOS = 1_000_000;

    private final LockService service;
    private final String key;
    private final Duration ttl;
    private final Duration renewEvery;
    private final AutoRenewal renewal;
    private final boolean ownsRenewal;
    private final LeaderCallbacks callbacks;
    private final String participantId;
    private final Thread thread;
    private final AtomicReference<Term> term = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean interruptible;

    private LeaderElection(Builder builder) {
        this.service = builder.service;
        this.key = builder.key;
        this.ttl = builder.ttl;
        this.renewEvery = builder.renewEvery != null ? builder.renewEvery : builder.ttl.dividedBy(3);
        this.ownsRenewal = builder.renewal == null;
        this.renewal = ownsRenewal ? AutoRenewal.create() : builder.renewal;
        this.callbacks = builder.callbacks;
        this.participantId = builder.participantId != null ? builder.participantId
                : ProcessHandle.current().pid() + "-" + PARTICIPANTS.incrementAndGet();
        this.thread = new Thread(this::participate, "lockbench-leader-" + participantId);
        this.thread.setDaemon(true);
    }

    /**
     * Starts configuring a participant.
     *
     * @param service the lock service to elect through; the election does not close it
     * @param key the lock's name, the same for every participant of one election
     * @return a builder
     * @throws IllegalArgumentException for a null service, or a null or blank key
     */
    public static Builder builder(LockService service, String key) {
        if (service == null) {
            throw new IllegalArgumentException("service: must not be null");
        }
        return new Builder(service, LockArguments.requireKey(key));
    }

    /**
     * The election's key.
     *
     * @return the lock's name
     */
    public String key() {
        return key;
    }

    /**
     * This participant's name, as in its thread's name and the log.
     *
     * @return the participant id
     */
    public String participantId() {
        return participantId;
    }

    /**
     * Whether this participant leads now: elected, not revoked, and its lease still valid. Cheap, asks no
     * server; a leader checks it (or its lease's {@link Lease#isValid()}) before every side effect.
     *
     * @return true while leading
     */
    public boolean isLeader() {
        Term current = term.get();
        return current != null && current.leading();
    }

    /**
     * The lease of the current term, while this participant leads.
     *
     * @return the lease, or empty when not leading
     */
    public Optional<Lease> currentLease() {
        Term current = term.get();
        return current != null && current.leading() ? Optional.of(current.lease) : Optional.empty();
    }

    /**
     * The current term's fencing token, while this participant leads: send it with every write the leader
     * makes, so that the resource refuses the writes of a former leader. A worker that received its lease
     * from {@link LeaderCallbacks#onElected} should use that lease's token: it stays tied to that term.
     *
     * @return the token (0 for services without {@link Capability#FENCING}), or empty when not leading
     */
    public OptionalLong fencingToken() {
        return currentLease().map(lease -> OptionalLong.of(lease.fencingToken())).orElse(OptionalLong.empty());
    }

    /**
     * Leaves the election: a leader is told ({@link RevocationReason#STOPPED}), then its lock is released so
     * the next participant takes over at once; a follower stops waiting. Waits for the participant's thread to
     * end. Closes the {@link AutoRenewal} only when the election made it. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Term current = term.get();
        if (current != null) {
            revoke(current, RevocationReason.STOPPED);
        }
        if (interruptible) {
            thread.interrupt();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(ttl.toMillis() + JOIN_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("{}: the election thread on '{}' did not end; is a callback blocking?", participantId, key);
            }
        }
        if (ownsRenewal) {
            renewal.close();
        }
    }

    private void participate() {
        try {
            while (!closed.get()) {
                Lease acquired;
                try {
                    acquired = follow();
                } catch (InterruptedException e) {
                    continue;
                } catch (LockBackendException e) {
                    LOG.warn("{}: waiting for '{}' failed; trying again in {}", participantId, key, renewEvery, e);
                    pause(renewEvery);
                    continue;
                }
                if (acquired != null) {
                    lead(acquired);
                }
            }
        } catch (IllegalStateException e) {
            LOG.warn("{}: leaves the election on '{}': {}", participantId, key, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{}: the election thread on '{}' failed", participantId, key, e);
        }
    }

    private Lease follow() throws InterruptedException {
        interruptible = true;
        try {
            if (closed.get()) {
                return null;
            }
            return service.acquire(key, ttl, ttl).orElse(null);
        } finally {
            interruptible = false;
            Thread.interrupted();
        }
    }

    private void pause(Duration d) {
        interruptible = true;
        try {
            if (!closed.get()) {
                TimeUnit.NANOSECONDS.sleep(d.toNanos());
            }
        } catch (InterruptedException e) {
            LOG.debug("{}: pause interrupted by close", participantId);
        } finally {
            interruptible = false;
            Thread.interrupted();
        }
    }

    private void lead(Lease acquired) {
        Term next = new Term();
        try {
            next.lease = renewal.keep(acquired, ttl, renewEvery, (lease, failure) -> next.wake.countDown());
        } catch (RuntimeException e) {
            acquired.close();
            throw e;
        }
        term.set(next);
        if (closed.get()) {
            revoke(next, RevocationReason.STOPPED);
        } else {
            elect(next);
        }
        watch(next);
        if (next.reason != RevocationReason.STOPPED) {
            next.lease.close();
        }
        term.compareAndSet(next, null);
    }

    private void elect(Term next) {
        synchronized (next) {
            if (next.revoked || !next.lease.isValid()) {
                return;
            }
            next.elected = true;
            LOG.info("{}: leads '{}' (fencing token {})", participantId, key, next.lease.fencingToken());
            try {
                callbacks.onElected(next.lease);
            } catch (RuntimeException e) {
                LOG.error("{}: onElected threw; still the leader of '{}'", participantId, key, e);
            }
        }
    }

    /**
     * Waits for the term to end: woken by the watchdog when a renewal fails, by {@link #close()}, or at the
     * lease's deadline, so that a renewal hanging on a dead server cannot hold up the revocation.
     */
    private void watch(Term current) {
        while (!current.revoked) {
            if (!current.lease.isValid()) {
                revoke(current, current.lease.failure().map(RevocationReason::of)
                        .orElse(RevocationReason.RENEWAL_FAILED));
                return;
            }
            try {
                long left = current.lease.validUntilNanos() - System.nanoTime();
                current.wake.await(Math.max(left, MIN_WATCH_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                LOG.debug("{}: interrupted while leading; close() ends the term", participantId);
            }
        }
    }

    /** Ends a term once: tells the leader (if it was told it leads), releases on STOPPED, wakes the watch. */
    private void revoke(Term current, RevocationReason reason) {
        synchronized (current) {
            if (current.revoked) {
                return;
            }
            current.reason = reason;
            current.revoked = true;
            if (current.elected) {
                if (reason == RevocationReason.STOPPED) {
                    LOG.info("{}: steps down from '{}'", participantId, key);
                } else {
                    LOG.warn("{}: no longer leads '{}': {}", participantId, key, reason);
                }
                try {
                    callbacks.onRevoked(reason);
                } catch (RuntimeException e) {
                    LOG.error("{}: onRevoked threw", participantId, e);
                }
            }
        }
        if (reason == RevocationReason.STOPPED) {
            current.lease.close();
        }
        current.wake.countDown();
    }

    @Override
    public String toString() {
        return "LeaderElection[key=" + key + ", participant=" + participantId + ", leader=" + isLeader() + "]";
    }

    /** One leadership term: from the acquire that won it to its revocation. */
    private static final class Term {
        final CountDownLatch wake = new CountDownLatch(1);
        volatile RenewedLease lease;
        volatile boolean elected;
        /** Written before {@link #revoked}, so whoever sees the term revoked sees why. */
        volatile RevocationReason reason;
        volatile boolean revoked;

        boolean leading() {
            return elected && !revoked && lease.isValid();
        }
    }

    /** Configures a {@link LeaderElection}; {@link #start()} makes it and starts its thread. */
    public static final class Builder {
        private final LockService service;
        private final String key;
        private Duration ttl = DEFAULT_TTL;
        private Duration renewEvery;
        private AutoRenewal renewal;
        private String participantId;
        private LeaderCallbacks callbacks;

        private Builder(LockService service, String key) {
            this.service = service;
            this.key = key;
        }

        /**
         * The ttl of the leader's lock: how long a leader that died without closing goes unnoticed.
         *
         * @param ttl at least 1 ms, at most the service's {@link LockService#maxTtl()}; default
         *     {@link LeaderElection#DEFAULT_TTL}
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder ttl(Duration ttl) {
            this.ttl = LockArguments.requireTtl(ttl, service.maxTtl());
            return this;
        }

        /**
         * How often the leader's lock is renewed.
         *
         * @param renewEvery positive and shorter than the ttl; default a third of the ttl
         * @return this builder
         * @throws IllegalArgumentException when not positive (checked against the ttl by {@link #start()})
         */
        public Builder renewEvery(Duration renewEvery) {
            if (renewEvery == null || renewEvery.isNegative() || renewEvery.isZero()) {
                throw new IllegalArgumentException("renewEvery: must be positive, got " + renewEvery);
            }
            this.renewEvery = renewEvery;
            return this;
        }

        /**
         * The watchdog that renews the leader's lock, shared with other elections or leases; the election
         * does not close it. By default each election makes its own and closes it.
         *
         * @param renewal an open watchdog
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder renewal(AutoRenewal renewal) {
            if (renewal == null) {
                throw new IllegalArgumentException("renewal: must not be null");
            }
            this.renewal = renewal;
            return this;
        }

        /**
         * This participant's name, for its thread and the log.
         *
         * @param participantId not blank; default the process id and a counter
         * @return this builder
         * @throws IllegalArgumentException when null or blank
         */
        public Builder participantId(String participantId) {
            if (participantId == null || participantId.isBlank()) {
                throw new IllegalArgumentException("participantId: must not be null or blank, got " + participantId);
            }
            this.participantId = participantId;
            return this;
        }

        /**
         * What to tell this participant when it is elected and revoked. Required.
         *
         * @param callbacks the callbacks
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder callbacks(LeaderCallbacks callbacks) {
            if (callbacks == null) {
                throw new IllegalArgumentException("callbacks: must not be null");
            }
            this.callbacks = callbacks;
            return this;
        }

        /**
         * Makes the participant and starts its thread; it competes for the key at once.
         *
         * @return the running participant; close it to leave the election
         * @throws IllegalArgumentException when no callbacks were given, or the interval is not shorter than the ttl
         */
        public LeaderElection start() {
            if (callbacks == null) {
                throw new IllegalArgumentException("callbacks: must be given");
            }
            if (renewEvery != null && renewEvery.compareTo(ttl) >= 0) {
                throw new IllegalArgumentException("renewEvery: must be shorter than the ttl " + ttl + ", got "
                        + renewEvery);
            }
            LeaderElection election = new LeaderElection(this);
            election.thread.start();
            return election;
        }
    }
}
