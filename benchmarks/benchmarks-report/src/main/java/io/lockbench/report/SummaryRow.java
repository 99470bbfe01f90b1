package io.lockbench.report;

/**
 * One line of the summary: one implementation in one scenario.
 *
 * @param scenario the benchmark and its parameters, such as {@code contended keys=1 hold=100us}
 * @param rtt the injected round-trip latency parameter, such as {@code 0} or {@code 500us}
 * @param threads benchmark threads
 * @param implementation the lock implementation, or {@code client:jedis} for baseline rows
 * @param opsPerSecond measured throughput; NaN when not measured
 * @param opsDerived true when {@code opsPerSecond} was derived from the sampled mean time per operation
 *     (threads / mean) because no throughput run was made
 * @param bound the round-trip bound in operations per second; NaN when the scenario has none
 * @param p50Micros median latency in microseconds; NaN when not measured
 * @param p99Micros 99th percentile latency in microseconds; NaN when not measured
 * @param p999Micros 99.9th percentile latency in microseconds; NaN when not measured
 * @param notes counters worth a glance: failed attempts, Redis commands per section, handoffs
 */
public record SummaryRow(String scenario, String rtt, int threads, String implementation, double opsPerSecond,
                         boolean opsDerived, double bound, double p50Micros, double p99Micros, double p999Micros,
                         String notes) {

    /**
     * Throughput as a fraction of the bound.
     *
     * @return {@code opsPerSecond / bound}, NaN when either is unknown
     */
    public double fractionOfBound() {
        return opsPerSecond / bound;
    }
}
