package io.lockbench.api;

/**
 * The Redis server (or servers) behind a {@link LockService} could not be reached, did not answer within
 * the command timeout, or answered with an error. The message names the address.
 */
public class LockBackendException extends RuntimeException {

    private final String address;

    /**
     * @param address the server's address, such as {@code 127.0.0.1:6379}, or a list of them
     * @param message what failed
     * @param cause the client library's exception, may be null
     */
    public LockBackendException(String address, String message, Throwable cause) {
        super(message + " [" + address + "]", cause);
        this.address = address;
    }

    /**
     * The address of the server that failed.
     *
     * @return host:port, or several separated by commas
     */
    public String address() {
        return address;
    }
}
