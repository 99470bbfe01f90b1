/**
 * Redlock: a lock held by a quorum of N independent Redis nodes. {@link io.lockbench.redlock.RedlockLockService}
 * is the service (registered as {@code "redlock"}), on the shared skeleton, wait loop and outcome resolver of
 * lock-core; the other classes are its parts: the nodes (lock-lettuce links) and what is fanned out to them,
 * the parallel fan-out and quorum wait, one acquire attempt, and the lease.
 */
package io.lockbench.redlock;
