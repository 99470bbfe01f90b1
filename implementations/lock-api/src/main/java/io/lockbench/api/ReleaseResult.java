package io.lockbench.api;

/** What a {@link Lease#release()} found on the server. */
public enum ReleaseResult {
    /** The server held our owner token and deleted the lock. */
    RELEASED,
    /** The key was gone: the lock had expired (or was released before) and nobody holds it now. */
    EXPIRED,
    /** Another owner holds the key now; the lock was left untouched. */
    NOT_OWNER
}
