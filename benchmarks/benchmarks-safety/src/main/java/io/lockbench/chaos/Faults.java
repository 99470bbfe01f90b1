package io.lockbench.chaos;

import io.lockbench.api.Capability;
import io.lockbench.api.LockSettings;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisSentinel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** The faults of the matrix, in column order. Each one is injected for real on real servers. */
final class Faults {

    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

    private Faults() {
    }

    /** @return every fault, in column order */
    static List<Fault> all() {
        return List.of(new ServerPause(), new ClientPause(), new WaiterKill(), new AmbiguousAcquire(),
                new LatencySpike(),
                new NodeKill("kill-restart", false, false), new NodeKill("kill-restart-delayed", false, true),
                new NodeKill("kill-majority", true, false), new NodeKill("kill-majority-delayed", true, true),
                new Failover("failover", false), new Failover("failover-ack", true),
                new LostReleaseMessage(), new ClockJump());
    }

    /**
     * @param name a fault's name
     * @return the fault
     * @throws IllegalArgumentException when there is none of that name, listing the known ones
     */
    static Fault byName(String name) {
        return all().stream().filter(fault -> fault.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fault called '" + name + "'; known: "
                        + all().stream().map(Fault::name).toList()));
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** (1) Every server the implementation uses stops (SIGSTOP) for 1.5 ttl: its locks expire meanwhile. */
    static final class ServerPause extends Fault {
        ServerPause() {
            super("server-pause", "every server SIGSTOPped for 1.5 x ttl: locks expire while the holder waits on"
                    + " the frozen server; whoever's request runs first on resume gets the lock",
                    Duration.ofMillis(300), Duration.ofMillis(1200));
        }

        @Override
        void inject(FaultTarget target) throws InterruptedException {
            Duration pause = ttl().multipliedBy(3).dividedBy(2);
            target.nodes().forEach(node -> node.pause(pause));
            sleep(pause);
            target.nodes().forEach(RedisNode::resume);
        }
    }

    /**
     * (2) A client JVM SIGSTOPped inside its critical section for 2 ttl, and until another worker holds the
     * key: the lock expires, another worker takes it, and the stalled one writes and renews when it wakes
     * up. The workers in this JVM hold for 100 ms, so the stalled client wakes into their section; the
     * client's own workers keep the run's short hold.
     */
    static final class ClientPause extends Fault {
        ClientPause() {
            super("client-pause", "a client JVM SIGSTOPped inside its section for 2 x ttl, until the next holder"
                    + " works: every lease-based lock overlaps; only a fenced resource turns the stale write away,"
                    + " and a bare PEXPIRE renews the next holder's lock",
                    Duration.ofMillis(300), Duration.ofMillis(1200));
        }

        @Override
        boolean usesClientProcess() {
            return true;
        }

        @Override
        Duration hold(Duration base) {
            return Duration.ofMillis(100);
        }

        @Override
        void inject(FaultTarget target) throws InterruptedException {
            target.client().stallNextSection(ttl().multipliedBy(2), Duration.ofSeconds(5));
        }
    }

    /**
     * (2b) A client JVM SIGKILLed while every one of its workers waits in {@code acquire} (queued, not holding):
     * each waits for a key that a worker of this JVM holds, so the kill hits waiters, never a holder (see
     * {@link ClientProcess#killWhileWaiting}). The workers here hold for {@link #HOLD}, so the client's workers
     * queue behind them. Measured: how long, after the kill, a key stood free of sections while a surviving
     * worker wanted it ({@link KeyLedger#maxHostageNanos()}). A lock without a queue loses nothing: a dead waiter
     * has nothing on the server. {@code fifo} keeps a dead waiter's entry until {@link #FIFO_QUEUE_WINDOW_MS}
     * after its last call, and a release inside that window grants it the lock, which then stays until its ttl;
     * its bound ({@link Expectations#hostageBound}) is that window plus the ttl plus one poll. One kill per cell:
     * the process does not come back.
     */
    static final class WaiterKill extends Fault {
        static final String NAME = "waiter-kill";
        /** {@code FifoLockService.QUEUE_WINDOW} (a test pins it): how long a queue entry outlives its last call. */
        static final long FIFO_QUEUE_WINDOW_MS = 2_000;
        /** {@code FifoLockService.POLL_MAX_MILLIS}: a waiter finds an expired grant at its next poll at the latest. */
        static final long FIFO_POLL_MAX_MS = 128;
        static final Duration TTL = Duration.ofMillis(500);
        static final Duration HOLD = Duration.ofMillis(100);
        private static final long MAX_SECTIONS = 1_000;
        /** How long the kill may wait for all the client's workers to be waiting on keys held here. */
        private static final Duration WITHIN = Duration.ofSeconds(10);

        /** One cell runs at a time, so one field is enough. */
        private ClientProcess.Kill kill;

        WaiterKill() {
            super(NAME, "a client JVM SIGKILLed while all its workers wait in acquire, each for a key that a"
                    + " worker of the harness holds (100 ms sections, ttl 500 ms); hostage_ms: after the kill, the"
                    + " longest time a key stood free of sections while a surviving worker wanted it (from the"
                    + " latest of the kill, the key's last section end and the first acquire of it since, to the"
                    + " next section's start). A lock with no queue loses nothing to a dead waiter (bound 250 ms);"
                    + " fifo skips a dead queue entry " + FIFO_QUEUE_WINDOW_MS + " ms after its last call, and a"
                    + " release within that window grants it the lock until its ttl (bound " + FIFO_QUEUE_WINDOW_MS
                    + " ms + ttl + one " + FIFO_POLL_MAX_MS + " ms poll); past its bound it counts as a violation",
                    TTL, Duration.ofMillis(300));
        }

        @Override
        boolean usesClientProcess() {
            return true;
        }

        @Override
        Duration hold(Duration base) {
            return HOLD;
        }

        @Override
        int maxInjections() {
            return 1;
        }

        /**
         * At most {@value #MAX_SECTIONS} sections: the one kill is the measure, and with the harness's workers
         * holding {@link #HOLD} a standard run's 10,000 would take about 8 minutes a cell.
         */
        @Override
        ChaosSettings cellSettings(ChaosSettings base) {
            return base.withSections(Math.min(base.sections(), MAX_SECTIONS));
        }

        /** Past the longest bound, so that the hostage time of a dead queue entry granted the lock is all seen. */
        @Override
        Duration settle() {
            return Duration.ofMillis(FIFO_QUEUE_WINDOW_MS).plus(ttl()).plusMillis(500);
        }

        /** Every key taken again after the kill: each stretch of hostage time has ended, or runs to the cell's end. */
        @Override
        boolean recovered(FaultTarget target, long injections) {
            return kill == null || target.ledger().everyKeyTakenSinceKill();
        }

        @Override
        void inject(FaultTarget target) throws InterruptedException {
            kill = target.client().killWhileWaiting(WITHIN).orElse(null);
        }

        @Override
        Optional<String> note(FaultTarget target) {
            if (kill == null) {
                return Optional.of("no kill: the client's workers were never all waiting on keys held here within "
                        + WITHIN.toSeconds() + " s");
            }
            StringBuilder note = new StringBuilder("killed the client JVM while its ").append(kill.keys().size())
                    .append(" workers waited (keys ").append(String.join(" ", kill.keys().stream()
                            .map(key -> key.substring(key.lastIndexOf(':') + 1)).toList()))
                    .append(", for ").append(kill.waitedMs().stream().map(String::valueOf).toList()).append(" ms)");
            if (kill.sectionsReadAfterKill() > 0) {
                note.append("; but ").append(kill.sectionsReadAfterKill()).append(" of its sections had begun: it"
                        + " held a lock when killed");
            }
            return Optional.of(note.toString());
        }

        @Override
        void heal(FaultTarget target) {
            kill = null;
            super.heal(target);
        }
    }

    /**
     * (3) Requests reach the server but replies are dropped for a while, longer than the command timeout:
     * acquires that succeeded look failed. The ttl is long, as the story's was. The drop lasts at least
     * 250 ms and until the server has granted a lock during it (a lock key on the first node holding another
     * value than before the drop, asked directly; at most 600 ms), plus the command timeout: every injection
     * loses the reply of an acquire that did happen (for {@code naive-setnx-expire}: its SETNX, so the PEXPIRE
     * that would give the key a ttl is never sent). When it ends, every connection that lost a reply is closed,
     * as a link that loses bytes breaks its connection. The longest drop stays well under the orphan bound,
     * so a release that could not reach the server during it (a client that needs a handshake on each new
     * connection sends nothing while replies are lost) is not counted; an acquire left to its ttl is.
     */
    static final class AmbiguousAcquire extends Fault {
        /** 80 % of the ttl: how long an unresolved acquire keeps the lock at least, seen by the sampler. */
        static final long LEAK_MS = 2_400;
        private static final Duration MIN_DROP = Duration.ofMillis(250);
        private static final long GRANT_WAIT_NANOS = 600_000_000L;

        AmbiguousAcquire() {
            super("ambiguous-acquire", "replies dropped (requests still run) until the server has granted a lock"
                    + " whose reply is lost, with a 3 s ttl: a timed-out acquire that is not resolved leaves the lock"
                    + " held by nobody for the whole ttl, and SETNX-then-PEXPIRE leaves it with no ttl at all",
                    Duration.ofSeconds(3), Duration.ofMillis(1500));
        }

        @Override
        Duration commandTimeout() {
            return Duration.ofMillis(50);
        }

        @Override
        Duration settle() {
            return ttl().plusMillis(700);
        }

        /**
         * What a lock key holds on the node: its serialized value ({@code DUMP}, so strings and hashes alike); null
         * when the key is absent or the node does not answer.
         */
        private record KeyState(byte[] dump) {
            static KeyState of(RedisNode node, String key) {
                try {
                    return node.call(jedis -> {
                        byte[] dump = jedis.dump(key);
                        return dump == null ? null : new KeyState(dump);
                    });
                } catch (JedisException e) {
                    return null;
                }
            }

            /**
             * Whether {@code now} is a grant made after {@code before}: a new value. Not a ttl set afresh: that is
             * also the PEXPIRE that follows a naive SETNX (whose lost reply the fault is waiting for) or a renewal.
             */
            static boolean granted(KeyState before, KeyState now) {
                return now != null && (before == null || !java.util.Arrays.equals(before.dump, now.dump));
            }
        }

        /**
         * Returns once some key holds a lock granted after {@code before} was taken (another value), or after
         * 600 ms. A lock key can change hands the moment replies stop, and then stay put (the client that lost
         * the reply gives its connection up and cannot delete what it wrote until replies flow again), so the
         * comparison is with the state from before the drop, not with the first sample.
         */
        private static void awaitGrantOnServer(RedisNode node, List<String> keys, List<KeyState> before)
                throws InterruptedException {
            long giveUp = System.nanoTime() + GRANT_WAIT_NANOS;
            List<KeyState> last = new java.util.ArrayList<>(before);
            while (System.nanoTime() - giveUp < 0) {
                for (int i = 0; i < keys.size(); i++) {
                    KeyState now = KeyState.of(node, keys.get(i));
                    if (KeyState.granted(last.get(i), now)) {
                        return;
                    }
                    if (now != null) {
                        last.set(i, now);
                    }
                }
                Thread.sleep(1);
            }
        }

        @Override
        void inject(FaultTarget target) throws InterruptedException {
            RedisNode first = target.nodes().get(0);
            List<String> keys = target.lockKeys();
            List<KeyState> before = keys.stream().map(key -> KeyState.of(first, key)).toList();
            target.nodes().forEach(node -> node.proxy().dropResponses(true));
            long start = System.nanoTime();
            awaitGrantOnServer(first, keys, before);
            long elapsed = System.nanoTime() - start;
            sleep(Duration.ofNanos(Math.max(MIN_DROP.toNanos() - elapsed, commandTimeout().toNanos())));
            target.nodes().forEach(node -> node.proxy().dropResponses(false));
            LOG.debug("replies dropped for {} ms; a new grant seen after {} ms", (System.nanoTime() - start) / 1_000_000,
                    elapsed < GRANT_WAIT_NANOS ? Long.toString(elapsed / 1_000_000) : "none");
        }
    }

    /** (4) The link slows so much that a round trip takes longer than the ttl, for 800 ms. */
    static final class LatencySpike extends Fault {
        LatencySpike() {
            super("latency-spike", "200 ms added each way (round trip > ttl of 300 ms) for 800 ms: a grant arrives"
                    + " already expired, a release arrives after the next holder's grant",
                    Duration.ofMillis(300), Duration.ofMillis(1500));
        }

        @Override
        void inject(FaultTarget target) throws InterruptedException {
            target.nodes().forEach(node -> node.proxy().addLatency(Duration.ofMillis(200)));
            sleep(Duration.ofMillis(800));
            target.nodes().forEach(node -> node.proxy().addLatency(Duration.ZERO));
        }
    }

    /**
     * (5) SIGKILL of one node (a single-node lock's only node, a minority for Redlock) or of a Redlock
     * majority, restarted empty at once or after 2 ttl.
     */
    static final class NodeKill extends Fault {
        private final boolean majority;
        private final boolean delayed;

        NodeKill(String name, boolean majority, boolean delayed) {
            super(name, (majority ? "two of Redlock's three nodes" : "one node (Redlock: a minority)")
                    + " SIGKILLed and restarted empty " + (delayed ? "after 2 x ttl: the locks held there have"
                    + " expired by then, so nobody can take one twice" : "at once: the locks held there are"
                    + " gone while their holders still work, and a holder learns it only when its next command"
                    + " fails: Redisson's renewal, sent on the dead connection, waits out its whole reply timeout"
                    + " (500 ms, the ttl) while later holders come and go, where Jedis's fails at once"),
                    Duration.ofMillis(500), Duration.ofMillis(2000));
            this.majority = majority;
            this.delayed = delayed;
        }

        @Override
        boolean appliesTo(Set<Capability> capabilities) {
            return !majority || capabilities.contains(Capability.QUORUM);
        }

        @Override
        Duration commandTimeout() {
            return Duration.ofMillis(500);
        }

        @Override
        void inject(FaultTarget target) throws InterruptedException {
            List<RedisNode> victims = target.nodes().subList(0, majority ? 2 : 1);
            victims.forEach(RedisNode::kill);
            if (delayed) {
                sleep(ttl().multipliedBy(2));
            }
            victims.forEach(RedisNode::restart);
        }
    }

    /**
     * (6) The primary dies and Sentinel promotes the replica, on a Sentinel set-up of the cell's own, for the
     * clients that connect through Sentinel (jedis, lettuce, redisson; fifo without acknowledgement). Each
     * injection: the replica is SIGSTOPped and {@value #FILLER_MB} MB of filler written to the primary, which fill
     * the replication link's socket buffers (a stopped replica's kernel would otherwise still take in, and later
     * apply, what the primary sends); once a section has ended with the replica stopped, the workers have {@link #LAG_WINDOW} to
     * take the freed lock on the primary alone (without acknowledgement a waiter does at once); then the primary is
     * SIGKILLed, the replica resumed, and once Sentinel has promoted it the old primary is restarted as its
     * replica, so the next injection fails over the other way. With replica acknowledgement an acquire waits
     * for the replica ({@code WAIT 1}) at most {@link #ACK_TIMEOUT} and is released and refused when it does
     * not come: a failed attempt, as is every acquire that meets the dead primary.
     */
    static final class Failover extends Fault {
        /** The clients that accept {@code redis-sentinel://} nodes; Redlock and the naive locks refuse them. */
        static final Set<String> SENTINEL_CLIENTS = Set.of("jedis", "lettuce", "redisson");
        /** Clients that accept {@code redis-sentinel://} nodes but not replica acknowledgement: failover only. */
        static final Set<String> SENTINEL_WITHOUT_ACK = Set.of("fifo");
        static final int FILLER_MB = 32;
        static final Duration LAG_WINDOW = Duration.ofMillis(500);
        static final Duration HOLD = Duration.ofSeconds(5);
        private static final Duration TTL = Duration.ofSeconds(6);
        private static final int WORKERS = 12;
        private static final int KEYS = 8;
        static final Duration ACK_TIMEOUT = Duration.ofMillis(300);
        private static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(30);
        private static final String FILLER_PREFIX = "lockbench-chaos-filler:";

        private final boolean ack;

        Failover(String name, boolean ack) {
            super(name, "the replica SIGSTOPped behind " + FILLER_MB + " MB of filler, a lock released and taken"
                    + " again within " + LAG_WINDOW.toMillis() + " ms (sections hold " + HOLD.toSeconds() + " s of a "
                    + TTL.toSeconds() + " s ttl), then the primary SIGKILLed, the replica resumed and promoted by"
                    + " Sentinel, the old primary restarted as its replica; "
                    + (ack ? "replica acknowledgement on (WAIT 1 replica, " + ACK_TIMEOUT.toMillis() + " ms): an"
                    + " acquire the replica did not confirm is released and fails (a failed attempt, not a violation)"
                    : "replica acknowledgement off: a lock granted by the old primary and never replicated is"
                    + " granted again by the new one (the fencing counter's increment is lost with it)")
                    + "; failover_ms is the longest time from the kill to the next granted lock; n/a for Redlock"
                    + " and the naive locks, which refuse redis-sentinel:// nodes"
                    + (ack ? ", and for fifo, which refuses replica acknowledgement" : ""),
                    TTL, Duration.ofMillis(300));
            this.ack = ack;
        }

        @Override
        Optional<String> unavailable() {
            try {
                LockSettings.of(URI.create("redis-sentinel://127.0.0.1:26379/" + RedisSentinel.MASTER_NAME));
                return Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.of("LockSettings refuses redis-sentinel:// nodes (" + e.getMessage() + ")");
            }
        }

        @Override
        boolean appliesTo(String impl, Set<Capability> capabilities) {
            return SENTINEL_CLIENTS.contains(impl) || !ack && SENTINEL_WITHOUT_ACK.contains(impl);
        }

        @Override
        LockSettings lockSettings(LockSettings base) {
            return ack ? base.withReplicaAck(1, ACK_TIMEOUT) : base;
        }

        /** Longer than any failover here (2 to 4 s), so that a lock survives on the promoted replica when replicated. */

        /** Past Sentinel's 1 s down-after and its election, so that the clients ride the failover out. */
        @Override
        Duration commandTimeout() {
            return Duration.ofSeconds(1);
        }

        /**
         * A key granted in the lag window was released there by a holder whose grant had replicated; on the
         * promoted replica that older grant expires {@code ttl - HOLD} (1 s) after the release, before the promotion
         * (2 to 4 s), so a waiter takes the key at once while the lag window's holder still has {@link #HOLD}:
         * without replica acknowledgement every lag-window grant becomes a lock held twice. A hold closer to the
         * ttl would make that a race with the older grant's expiry.
         */
        @Override
        Duration hold(Duration base) {
            return HOLD;
        }

        /** Each injection ends with the set-up whole again, so the next one can start soon. */

        @Override
        Duration settle() {
            return Duration.ofMillis(500);
        }

        /**
         * Bounded by injections, not sections (a section holds for {@link #HOLD}): {@link #WORKERS} workers on
         * {@link #KEYS} keys, so that each key has waiters to take it on the promoted replica, for half the run's
         * injections (each waits for a section to end, up to {@link #HOLD}), at most 40 s.
         */
        @Override
        ChaosSettings cellSettings(ChaosSettings base) {
            return new ChaosSettings(1, (base.minInjections() + 1) / 2, Duration.ofSeconds(40), WORKERS, KEYS,
                    base.hold());
        }

        @Override
        CellServers servers(ChaosServers servers, boolean quorum) {
            return servers.sentinel();
        }

        /** Once a lock was granted after every failover, so that each one's failover_ms is measured. */
        @Override
        boolean recovered(FaultTarget target, long injections) {
            return target.ledger().failoverTimes().size() >= injections;
        }

        @Override
        void inject(FaultTarget target) throws InterruptedException {
            SentinelServers servers = (SentinelServers) target.servers();
            RedisSentinel sentinel = servers.sentinel();
            // Asked afresh: the Sentinels, not this harness, decide which server is the primary.
            servers.promoted(sentinel.currentPrimary());
            RedisNode old = servers.primary();
            RedisNode replica = servers.replica();
            replica.pause(HOLD.plus(LAG_WINDOW).plusSeconds(10));
            String filler = "x".repeat(1 << 20);
            for (int i = 0; i < FILLER_MB; i++) {
                String key = FILLER_PREFIX + i;
                old.call(jedis -> jedis.set(key, filler));
            }
            long ended = target.ledger().sections();
            long giveUp = System.nanoTime() + HOLD.plusSeconds(1).toNanos();
            while (target.ledger().sections() == ended && System.nanoTime() - giveUp < 0) {
                sleep(Duration.ofMillis(10));
            }
            sleep(LAG_WINDOW);
            target.ledger().markFailover();
            old.kill();
            replica.resume();
            sentinel.awaitPrimaryOtherThan(new HostAndPort(old.host(), old.port()), PROMOTION_TIMEOUT);
            servers.promoted(replica);
            replica.call(jedis -> {
                for (int i = 0; i < FILLER_MB; i++) {
                    jedis.del(FILLER_PREFIX + i);
                }
                return null;
            });
            old.restart();
            old.call(jedis -> jedis.replicaof(replica.host(), replica.port()));
            sentinel.awaitReady(PROMOTION_TIMEOUT);
        }

        @Override
        Optional<String> note(FaultTarget target) {
            List<Long> times = target.ledger().failoverTimes();
            if (times.isEmpty()) {
                return Optional.of("no lock granted after a failover");
            }
            List<Long> sorted = times.stream().sorted().toList();
            int n = sorted.size();
            long median = (sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2;
            return Optional.of("failover_ms is the max over " + n + " failovers: " + times + " ms, median "
                    + median + " ms");
        }
    }

    /**
     * (7) Just before a release, every pub/sub connection on the servers is killed: the waiters miss the
     * release message and must find out by their fallback timer.
     */
    static final class LostReleaseMessage extends Fault {
        LostReleaseMessage() {
            super("lost-release-message", "CLIENT KILL TYPE pubsub just before a release: waiters miss the wake-up"
                    + " and fall back to their timer, which no-holder time shows",
                    Duration.ofSeconds(2), Duration.ofMillis(300));
        }

        @Override
        Duration settle() {
            return Duration.ofMillis(500);
        }

        /** One cell runs at a time, so one flag is enough. */
        private final AtomicBoolean armed = new AtomicBoolean();

        @Override
        void inject(FaultTarget target) {
            armed.set(true);
        }

        @Override
        Worker.BeforeRelease beforeRelease(FaultTarget target) {
            return key -> {
                if (armed.getAndSet(false)) {
                    for (RedisNode node : target.nodes()) {
                        try {
                            node.call(jedis -> jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE",
                                    "pubsub"));
                        } catch (JedisException e) {
                            // A node that does not answer loses no message either.
                        }
                    }
                }
            };
        }

        @Override
        void heal(FaultTarget target) {
            armed.set(false);
            super.heal(target);
        }
    }

    /**
     * (8) The servers' wall clock jumps 2 ttl forward (libfaketime): Redis expires keys by that clock, so every
     * lock held at that moment expires early.
     */
    static final class ClockJump extends Fault {
        ClockJump() {
            super("clock-jump", "the server's wall clock jumps 2 x ttl forward (libfaketime): Redis expires every"
                    + " held lock at once, under its holder; the notes give the server's total lead on the real"
                    + " clock, which grows over the run",
                    Duration.ofMillis(500), Duration.ofMillis(1000));
        }

        @Override
        Optional<String> unavailable() {
            return ChaosServers.faketimeUnavailable();
        }

        private FakeClock clock;

        @Override
        CellServers servers(ChaosServers servers, boolean quorum) {
            CellServers cell = servers.faketime(quorum);
            clock = servers.clock();
            return cell;
        }

        /** Long enough that a worker may take an expired key while its holder still works. */
        @Override
        Duration hold(Duration base) {
            return Duration.ofMillis(50);
        }

        @Override
        void inject(FaultTarget target) {
            clock.jump(ttl().multipliedBy(2));
        }

        /** The server's own TIME against ours: proof that the clock moved. */
        @Override
        Optional<String> note(FaultTarget target) {
            try {
                List<String> time = target.nodes().get(0).call(jedis -> jedis.time());
                long serverMillis = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
                return Optional.of(String.format(java.util.Locale.ROOT, "server clock %.1f s ahead",
                        (serverMillis - System.currentTimeMillis()) / 1000.0));
            } catch (JedisException e) {
                return Optional.empty();
            }
        }
    }
}
