package io.lockbench.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harness's record of one cell: a {@link KeyLedger} per key, fed by every worker wherever it runs. The
 * sum over keys gives the cell's figures.
 */
final class CellLedger implements SectionSink {

    private final Map<String, KeyLedger> byKey = new LinkedHashMap<>();
    private final Map<Long, Section> open = new ConcurrentHashMap<>();
    private final AtomicLong ended = new AtomicLong();
    private volatile long markNanos;
    private volatile long firstBeginAfterMarkNanos;
    private volatile long killNanos;
    private final List<Long> failovers = new ArrayList<>();

    private record Section(KeyLedger key, KeyLedger.Open open) {
    }

    CellLedger(List<String> keys) {
        keys.forEach(key -> byKey.put(key, new KeyLedger()));
    }

    @Override
    public void begin(long section, String holder, String key, long token) {
        KeyLedger ledger = byKey.get(key);
        open.put(section, new Section(ledger, ledger.begin(holder, token)));
        if (markNanos != 0 && firstBeginAfterMarkNanos == 0) {
            synchronized (failovers) {
                if (firstBeginAfterMarkNanos == 0) {
                    firstBeginAfterMarkNanos = System.nanoTime();
                    failovers.add((firstBeginAfterMarkNanos - markNanos) / 1_000_000);
                }
            }
        }
    }

    @Override
    public void waiting(String holder, String key, boolean starts) {
        byKey.get(key).waiting(starts);
    }

    @Override
    public void write(long section) {
        Section known = open.get(section);
        if (known != null) {
            known.key().write(known.open());
        }
    }

    @Override
    public void renewing(long section) {
        Section known = open.get(section);
        if (known != null) {
            known.key().renewing(known.open());
        }
    }

    @Override
    public void renewed(long section, boolean extended) {
        Section known = open.get(section);
        if (known != null) {
            known.key().renewed(known.open(), extended);
        }
    }

    @Override
    public void end(long section) {
        Section known = open.remove(section);
        if (known != null) {
            known.key().end(known.open());
            ended.incrementAndGet();
        }
    }

    /**
     * The sink for workers in this JVM. Their renewals are not judged: an owner-checked renewal that
     * succeeds held the lock on the server, and what the harness took for a newer grant in between can only
     * be a line of the client process read late. The renewals judged are those of stalled client sections.
     *
     * @return a view that records sections and writes and leaves renewals out
     */
    SectionSink withoutRenewals() {
        CellLedger ledger = this;
        return new SectionSink() {
            @Override
            public void begin(long section, String holder, String key, long token) {
                ledger.begin(section, holder, key, token);
            }

            @Override
            public void waiting(String holder, String key, boolean starts) {
                ledger.waiting(holder, key, starts);
            }

            @Override
            public void write(long section) {
                ledger.write(section);
            }

            @Override
            public void renewing(long section) {
            }

            @Override
            public void renewed(long section, boolean extended) {
            }

            @Override
            public void end(long section) {
                ledger.end(section);
            }
        };
    }

    /** Marks the moment a failover began (the primary's death); the next section to start ends it. */
    void markFailover() {
        synchronized (failovers) {
            markNanos = System.nanoTime();
            firstBeginAfterMarkNanos = 0;
        }
    }

    /**
     * @return whether a failover is under way: marked, and no section has started since (no client has reached
     *     the promoted primary yet)
     */
    boolean failingOver() {
        return markNanos != 0 && firstBeginAfterMarkNanos == 0;
    }

    /**
     * @return the longest time from a {@link #markFailover()} to the next section's start, or -1 when no
     *     section started after a mark
     */
    long failoverMs() {
        return failoverTimes().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** @return each failover's time from the mark to the next section's start, in order */
    List<Long> failoverTimes() {
        synchronized (failovers) {
            return List.copyOf(failovers);
        }
    }

    /**
     * Marks the moment the waiter-kill fault killed the client process; the hostage time of every key counts
     * from here.
     */
    void markKill() {
        long now = System.nanoTime();
        killNanos = now;
        byKey.values().forEach(key -> key.markKill(now));
    }

    /** @return whether {@link #markKill()} was called */
    boolean killed() {
        return killNanos != 0;
    }

    /** @return whether a section began on every key after the kill (false before one) */
    boolean everyKeyTakenSinceKill() {
        return killed() && byKey.values().stream().allMatch(KeyLedger::begunSinceKill);
    }

    /**
     * @return the longest hostage time of any key since the kill, up to now ({@link KeyLedger#maxHostageNanos()}),
     *     or -1 when there was no kill
     */
    long maxHostageMs() {
        if (!killed()) {
            return -1;
        }
        return byKey.values().stream().mapToLong(KeyLedger::maxHostageNanos).max().orElse(0) / 1_000_000;
    }

    /** @return the keys, in order */
    Map<String, KeyLedger> keys() {
        return byKey;
    }

    /** Closes what is still open (a worker that never came back), so that every interval has an end. */
    void closeOpenSections() {
        open.keySet().forEach(this::end);
    }

    /** @return sections ended so far */
    long sections() {
        return ended.get();
    }
}
