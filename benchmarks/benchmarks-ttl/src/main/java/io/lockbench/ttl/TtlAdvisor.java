package io.lockbench.ttl;

import java.util.function.DoublePredicate;

/**
 * Sizes a lock's ttl for a target risk that a lease expires while its holder still works under it.
 *
 * <p>The model. A section holds the lock for {@code H} (the {@link HoldTime}), meets one stall of
 * {@code pause}, and its lease lives on the server for {@code H + pause + C}, where {@code C} is the lock cycle's
 * latency (acquire plus release, measured, or 0). Without a watchdog the lease expires while held when that
 * exceeds the ttl:
 * <pre>  risk_without(ttl) = P(H + C + pause &gt; ttl) = E_C[ S_H(ttl - pause - C) ]</pre>
 * For an exponential hold time with mean {@code m} and nothing else, the ttl for risk {@code r} is
 * {@code m ln(1/r)}.
 *
 * <p>With a watchdog renewing every {@code renew} (a third of the ttl), a lease expires only when one gap
 * between two renewals reaching the server exceeds the ttl: {@code renew + pause + E > ttl}, with {@code E} the
 * extend latency. Each renewal is taken to meet the pause (conservative), and a section needs
 * {@code 1 + E[H]/renew} renewals at most, so
 * <pre>  risk_with(ttl) = min(risk_without(ttl), P(pause + E &gt; ttl - renew) * (1 + E[min(H, T)] / renew))</pre>
 * where {@code T} is the hold time exceeded with a thousandth of the target risk (a Pareto tail may have no
 * finite mean). The watchdog makes the hold time's tail irrelevant: only the stall against the ttl's slack
 * counts. Without measured extend latency, the risk with the watchdog is 0 once {@code ttl - renew > pause}.
 *
 * <p>The advice: the shortest ttl (recovery after a crashed holder takes up to the ttl) that meets the risk with
 * the watchdog, and no shorter than three times the hold's p99, so that 99 % of sections end before their first
 * renewal and the watchdog costs them no round trip (nor longer than a day); or, when shorter, the ttl that meets
 * the risk with no watchdog at all. Rounded up to two significant digits. A maximum recovery time, when given,
 * caps the ttl: for a lock held for a whole term (a leader's), whose "hold" would otherwise ask for a ttl as long
 * as the term, and a takeover as late.
 */
public final class TtlAdvisor {

    /** The longest ttl considered: a day, what every lock service accepts ({@code LockService.DEFAULT_MAX_TTL}). */
    public static final double MAX_TTL_MILLIS = 24 * 3600e3;

    private final TtlQuestion question;
    private final double meanHold;

    /**
     * @param question what is asked
     */
    public TtlAdvisor(TtlQuestion question) {
        this.question = question;
        this.meanHold = question.hold().meanUpTo(question.hold().quantile(1 - question.risk() * 1e-3));
    }

    /**
     * @return what was asked
     */
    public TtlQuestion question() {
        return question;
    }

    /**
     * @param ttlMillis a ttl
     * @return the probability, per section, that the lease expires while held when nothing renews it
     */
    public double riskWithoutWatchdog(double ttlMillis) {
        double slack = ttlMillis - question.pauseMillis();
        return Math.min(1, question.cycle().expect(cycle -> question.hold().survival(slack - cycle)));
    }

    /**
     * @param ttlMillis a ttl
     * @param renewMillis the renewal interval, positive and shorter than the ttl
     * @return the probability, per section, that the lease expires while held with a watchdog renewing it
     */
    public double riskWithWatchdog(double ttlMillis, double renewMillis) {
        double missed = question.extend().exceedance(ttlMillis - renewMillis - question.pauseMillis());
        if (missed == 0) {
            return 0;
        }
        return Math.min(riskWithoutWatchdog(ttlMillis), missed * (1 + meanHold / renewMillis));
    }

    /**
     * The recommended ttl, renewal interval and max wait, with the risks at that ttl and the recovery time.
     *
     * @return the advice
     * @throws TtlInputException UNREACHABLE when no ttl up to a day (or up to the maximum recovery time) meets the
     *     risk even with a watchdog
     */
    public TtlAdvice advise() {
        double withoutWatchdog = riskWithoutWatchdog(MAX_TTL_MILLIS) <= question.risk()
                ? smallest(ttl -> riskWithoutWatchdog(ttl) <= question.risk()) : Double.POSITIVE_INFINITY;
        if (riskWithWatchdog(MAX_TTL_MILLIS, MAX_TTL_MILLIS / 3) > question.risk()) {
            throw new TtlInputException(TtlInputException.Problem.UNREACHABLE, "--risk: no ttl up to a day keeps"
                    + " the risk at " + question.risk() + " even with a watchdog (is the pause longer than that?)");
        }
        double withWatchdog = smallest(ttl -> riskWithWatchdog(ttl, ttl / 3) <= question.risk());
        double cap = Math.min(MAX_TTL_MILLIS, question.maxRecoveryMillis());
        if (withWatchdog > cap) {
            throw new TtlInputException(TtlInputException.Problem.UNREACHABLE, "--max-recovery: even with a watchdog"
                    + " the risk " + question.risk() + " needs a ttl of at least " + DurationText.format(roundUp(
                    withWatchdog)) + ", so a crashed holder blocks the lock that long (raise --max-recovery or --risk,"
                    + " or shorten --pause)");
        }
        double renewalFree = Math.min(cap, 3 * question.hold().quantile(0.99));
        double ttl = Math.max(withWatchdog, Math.min(renewalFree, withoutWatchdog));
        long ttlMillis = Math.max((long) Math.ceil(withWatchdog), Math.min(roundUp(ttl), (long) cap));
        long renewMillis = Math.max(1, ttlMillis / 3);
        double maxWait = Math.max(ttlMillis, question.hold().quantile(0.999) + question.pauseMillis())
                + question.cycle().quantile(0.999);
        return new TtlAdvice(ttlMillis, renewMillis, roundUp(maxWait), riskWithoutWatchdog(ttlMillis),
                riskWithWatchdog(ttlMillis, renewMillis), ttlMillis,
                Double.isInfinite(withoutWatchdog) ? withoutWatchdog : roundUp(withoutWatchdog), roundUp(withWatchdog));
    }

    /**
     * The ttl at which the risk without a watchdog equals a given value: for choosing a ttl with a measurable
     * risk, as {@code lockbench ttl --validate} does.
     *
     * @param risk in (0, 1)
     * @return the ttl in milliseconds, not rounded
     */
    public double ttlWithoutWatchdogFor(double risk) {
        return smallest(ttl -> riskWithoutWatchdog(ttl) <= risk);
    }

    /** The smallest ttl up to a day for which a monotone condition holds, to a microsecond. */
    private static double smallest(DoublePredicate holds) {
        double low = 0;
        double high = MAX_TTL_MILLIS;
        while (high - low > 1e-3) {
            double middle = (low + high) / 2;
            if (holds.test(middle)) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return high;
    }

    /**
     * Rounds up to two significant digits, at least 1 ms: 743.2 to 750, 5234 to 5300. A value within a millionth of
     * a step counts as that step: the quantiles and ttls it rounds come out of bisections a few billionths above
     * the exact value, and 900.0000003 ms (three times a p99 of 300 ms) is 900, not 910.
     */
    static long roundUp(double millis) {
        if (millis <= 1) {
            return 1;
        }
        double scale = Math.max(1, Math.pow(10, Math.floor(Math.log10(millis)) - 1));
        return (long) (Math.ceil(millis / scale - 1e-6) * scale);
    }
}
