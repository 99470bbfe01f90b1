/**
 * {@link io.lockbench.redisson.RedissonLockService}: the lock contract over Redisson's {@code RFencedLock},
 * with Redisson's per-thread ownership mapped to one synthetic thread id per lease.
 */
package io.lockbench.redisson;
