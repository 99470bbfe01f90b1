package io.lockbench.report;

import io.lockbench.ttl.DurationText;
import io.lockbench.ttl.HoldTime;

/**
 * The four production stories of DESIGN section 1 as questions for the TTL advisor: how long the lock is held,
 * the stall the holder must survive, and the ttl (and renewal) the story ran with. These are the stated inputs of
 * the worked examples in {@code results/README.md}; every answer is computed from them by the advisor.
 */
enum TtlStory {

    /** Story 1: a 3 s ttl under a 4 s latency spike. */
    BONUS(1, "bonus", "a bonus paid twice, a 3 s ttl under a 4 s latency spike",
            "p50=20ms,p99=200ms,p999=800ms", "reading \"paid?\", paying, marking paid", 4000,
            "the story's latency spike, a GETBIT that took longer than the 3 s ttl", 3000, Double.NaN,
            "a longer ttl only moves the cliff. A watchdog keeps the lease through the stall; a fencing token checked"
                    + " where the money is written, and an idempotent check-and-set on \"paid\", refuse the stale"
                    + " holder when a stall outlasts even that."),
    /** Story 2: the lock must cover the whole read-modify-write. */
    VOUCHER(2, "voucher", "a voucher claimed by two users, the lock must cover the read-modify-write",
            "p50=15ms,p99=120ms,p999=500ms", "the whole read-modify-write, the lock taken before the read: reading the"
                    + " first unclaimed voucher, claiming it, writing the claim", 1000,
            "a loaded pod's stall: GC, CPU throttling", Double.NaN, Double.NaN,
            "no ttl fixes a lock taken after the read; delaying the release by a guessed critical-section time"
                    + " fails under load. Take the lock first, size its ttl for the whole section, keep it with"
                    + " the watchdog."),
    /** Story 3: the 2 h ttl that locked a user out for two hours. */
    LEAK(3, "leak", "a lock leaked for two hours, the 2 h ttl's recovery cost",
            "p50=30ms,p99=300ms,p999=1.2s", "a user's request", 500,
            "the client's command timeout; the SETNX it gave up on had been written on the server", 2 * 3600e3,
            Double.NaN,
            "a short ttl bounds the lockout, and an owner token with compare-and-delete release plus resolving"
                    + " the ambiguous timeout (release by token) removes it."),
    /** Story 4: leader election with a 30 s ttl renewed every 10 s. */
    LEADER(4, "leader", "an ordered consumer by leader lock, ttl 30 s renewed every 10 s",
            "p50=50ms,p99=500ms,p999=2s", "one consume step of the leader, which checks its lease between steps and"
                    + " stops the moment a renewal fails", 5000,
            "a leader's VM or GC stall", 30e3, 10e3,
            "renewal must be owner-checked (compare-and-pexpire: a bare PEXPIRE extends whoever holds the key), and"
                    + " the leader must stop work when a renewal fails.");

    /** The target risk of every example, per section: one lease in a million expiring while held. */
    static final double RISK = 1e-6;

    private final int number;
    private final String id;
    private final String title;
    private final String hold;
    private final String holdIs;
    private final double pauseMillis;
    private final String pauseIs;
    private final double storyTtlMillis;
    private final double storyRenewMillis;
    private final String beyondTheTtl;

    TtlStory(int number, String id, String title, String hold, String holdIs, double pauseMillis, String pauseIs,
             double storyTtlMillis, double storyRenewMillis, String beyondTheTtl) {
        this.number = number;
        this.id = id;
        this.title = title;
        this.hold = hold;
        this.holdIs = holdIs;
        this.pauseMillis = pauseMillis;
        this.pauseIs = pauseIs;
        this.storyTtlMillis = storyTtlMillis;
        this.storyRenewMillis = storyRenewMillis;
        this.beyondTheTtl = beyondTheTtl;
    }

    /** @return 1 to 4, as DESIGN section 1 numbers the stories */
    int number() {
        return number;
    }

    /** @return the scenario id: bonus, voucher, leak, leader */
    String id() {
        return id;
    }

    /** @return what the story is and what the example asks */
    String title() {
        return title;
    }

    /** @return the hold-time percentiles, as {@code lockbench ttl --hold} takes them */
    String holdSpec() {
        return hold;
    }

    /** @return the hold time, parsed */
    HoldTime hold() {
        return HoldTime.parse(hold);
    }

    /** @return what the lock is held for, to follow "the lock is held for" */
    String holdIs() {
        return holdIs;
    }

    /** @return the stall every section is assumed to meet once */
    double pauseMillis() {
        return pauseMillis;
    }

    /** @return where that stall comes from in the story, a clause without parentheses */
    String pauseIs() {
        return pauseIs;
    }

    /** @return the ttl the story ran with, or NaN when the story's failure was not its ttl */
    double storyTtlMillis() {
        return storyTtlMillis;
    }

    /** @return how often the story renewed its lease, or NaN when it never did */
    double storyRenewMillis() {
        return storyRenewMillis;
    }

    /** @return what fixes the story besides the ttl (no figures: those are computed) */
    String beyondTheTtl() {
        return beyondTheTtl;
    }

    /** @return the {@code lockbench ttl} options that ask the same question ({@link #RISK} is its default risk) */
    String ttlOptions() {
        return "--hold " + hold + " --pause " + DurationText.format(pauseMillis).replace(" ", "");
    }
}
