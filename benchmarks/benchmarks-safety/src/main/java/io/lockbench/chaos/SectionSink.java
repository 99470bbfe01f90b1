package io.lockbench.chaos;

/**
 * Where a worker reports its critical sections, so that the harness records them on its own clock. The
 * in-process workers call the harness directly; a {@link ChaosClient} process reports through its stdout.
 */
public interface SectionSink {

    /**
     * The worker starts an acquire of the key, or its acquire returned (granted or not; before {@link #begin}).
     * A key that stands free while a worker waits for it is held hostage; the waiter-kill fault measures that.
     *
     * @param holder who waits
     * @param key the lock key
     * @param starts true when the acquire starts, false when it returned
     */
    default void waiting(String holder, String key, boolean starts) {
    }

    /**
     * The worker holds the lock now.
     *
     * @param section a number unique within the worker's process
     * @param holder who holds it
     * @param key the lock key
     * @param token the lease's fencing token
     */
    void begin(long section, String holder, String key, long token);

    /**
     * The worker writes its token to the protected resources (a plain one and a fenced one).
     *
     * @param section the section's number
     */
    void write(long section);

    /**
     * The worker is about to renew its lease: a renewal counts as stale when a newer holder was granted the
     * lock before this moment and the renewal still succeeded.
     *
     * @param section the section's number
     */
    void renewing(long section);

    /**
     * The worker renewed its lease.
     *
     * @param section the section's number
     * @param extended what {@code Lease.extend} returned
     */
    void renewed(long section, boolean extended);

    /**
     * The worker is about to release.
     *
     * @param section the section's number
     */
    void end(long section);
}
