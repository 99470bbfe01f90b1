package io.lockbench.ttl;

/**
 * An input the advisor cannot use, with the kind of problem, so that callers (and tests) can tell a negative
 * duration from unordered percentiles without parsing the message. The message names the input and the value.
 */
public final class TtlInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the input. */
    public enum Problem {
        /** A duration below zero, or a hold time of zero where a positive one is needed. */
        NEGATIVE,
        /** Percentiles whose durations do not grow with the percentile, or a percentile given twice. */
        UNORDERED,
        /** A risk or a percentile outside the open interval (0, 1). */
        OUT_OF_RANGE,
        /** A duration without a unit, or with one the advisor does not know. */
        UNKNOWN_UNIT,
        /** A samples file with no sample, or too few for two percentiles. */
        EMPTY_SAMPLES,
        /** Text that is not a number, a percentile name or a {@code name=value} pair. */
        MALFORMED,
        /** A risk no ttl up to the longest one a lock service accepts can meet. */
        UNREACHABLE
    }

    private final Problem problem;

    /**
     * @param problem what is wrong
     * @param message says which input, its value, and what is expected
     */
    public TtlInputException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /**
     * @return what is wrong with the input
     */
    public Problem problem() {
        return problem;
    }
}
