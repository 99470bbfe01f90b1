/**
 * {@code spring-spin} and {@code spring-pubsub}: Spring Integration's {@code RedisLockRegistry}, the lock most
 * Spring teams already have, adapted to {@link io.lockbench.api.LockService} as measured rows. The adapter is
 * thin on purpose: where the registry breaks the contract, the contract suite shows it (see the module's
 * README), rather than the adapter repairing it.
 */
package io.lockbench.spring;
