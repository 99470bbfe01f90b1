package io.lockbench.ttl;

/**
 * The advisor's answer. Durations in whole milliseconds, as a lock's ttl is set.
 *
 * @param ttlMillis the ttl to acquire with, renewed by a watchdog
 * @param renewMillis the watchdog's renewal interval: a third of the ttl, as {@code AutoRenewal} does
 * @param maxWaitMillis how long an acquire should wait: long enough to outwait a live holder at its p99.9 hold
 *     plus the pause, and a crashed holder's lease
 * @param riskWithoutWatchdog the probability, per section, that the lease expires while held at this ttl
 *     when nothing renews it
 * @param riskWithWatchdog the same with the watchdog renewing every {@code renewMillis}
 * @param recoveryMillis how long the lock stays blocked after its holder crashed, at most: the ttl
 * @param ttlWithoutWatchdogMillis the ttl that would meet the target risk with no watchdog;
 *     {@link Double#POSITIVE_INFINITY} when none up to a day does
 * @param ttlWithWatchdogMillis the shortest ttl that meets the target risk with the watchdog (rounded up): what
 *     the recovery time could be at most, when renewals on every section are acceptable
 */
public record TtlAdvice(long ttlMillis, long renewMillis, long maxWaitMillis, double riskWithoutWatchdog,
                        double riskWithWatchdog, long recoveryMillis, double ttlWithoutWatchdogMillis,
                        long ttlWithWatchdogMillis) {
}
