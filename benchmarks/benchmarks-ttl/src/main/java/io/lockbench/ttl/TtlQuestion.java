package io.lockbench.ttl;

/**
 * What the advisor is asked.
 *
 * @param hold how long holders keep the lock
 * @param pauseMillis the longest stall to survive (a GC or VM pause, a slow call), in milliseconds; the
 *     advisor assumes every section meets it once, which is the worst case
 * @param risk the target probability that a lease expires while its holder still works under it, per section;
 *     in (0, 1)
 * @param cycle the latency of an acquire plus a release (what the lease spends on the server beyond the hold);
 *     {@link Latency#none()} when not measured
 * @param extend the latency of one renewal (an owner-checked extend); {@link Latency#none()} when not measured
 * @param maxRecoveryMillis the longest a crashed holder may block the lock, which is the longest the ttl may be;
 *     {@link Double#POSITIVE_INFINITY} for no limit. A lock held for a whole term (a leader's) needs one: its
 *     hold time says nothing about how soon another should take over.
 */
public record TtlQuestion(HoldTime hold, double pauseMillis, double risk, Latency cycle, Latency extend,
                          double maxRecoveryMillis) {

    /**
     * A question with no limit on the recovery time.
     *
     * @see #TtlQuestion(HoldTime, double, double, Latency, Latency, double)
     */
    public TtlQuestion(HoldTime hold, double pauseMillis, double risk, Latency cycle, Latency extend) {
        this(hold, pauseMillis, risk, cycle, extend, Double.POSITIVE_INFINITY);
    }

    /**
     * @throws TtlInputException NEGATIVE for a negative or non-finite pause or a max recovery not above 0, OUT_OF_RANGE for a risk outside
     *     the open interval (0, 1)
     */
    public TtlQuestion {
        if (hold == null || cycle == null || extend == null) {
            throw new IllegalArgumentException("hold, cycle, extend: must not be null");
        }
        if (!(pauseMillis >= 0) || Double.isInfinite(pauseMillis)) {
            throw new TtlInputException(TtlInputException.Problem.NEGATIVE, "--pause: must be zero or a positive"
                    + " duration, got " + pauseMillis + " ms");
        }
        if (!(risk > 0 && risk < 1)) {
            throw new TtlInputException(TtlInputException.Problem.OUT_OF_RANGE, "--risk: must be strictly between"
                    + " 0 and 1 (such as 1e-6), got " + risk);
        }
        if (!(maxRecoveryMillis > 0)) {
            throw new TtlInputException(TtlInputException.Problem.NEGATIVE, "--max-recovery: must be a positive"
                    + " duration, got " + maxRecoveryMillis + " ms");
        }
    }
}
