/**
 * Redlock: a lock held by a quorum of N independent Redis nodes. {@link io.lockbench.redlock.RedlockLockService}
 * is the service (registered as {@code "redlock"}); the other classes are its parts: the per-node
 * connections, the parallel fan-out and quorum wait, one acquire attempt, the lease, and the pub/sub
 * wake-ups of waiters.
 */
package io.lockbench.redlock;
