package io.lockbench.cli;

/**
 * A run cannot go on for a reason the user can act on (another run holds the machine, a server is missing):
 * {@link Main} prints its message as one line, without a stack trace, and exits with 1. The message says what
 * happened and what to do.
 */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened and what to do, one line
     */
    CommandFailure(String message) {
        super(message);
    }
}
