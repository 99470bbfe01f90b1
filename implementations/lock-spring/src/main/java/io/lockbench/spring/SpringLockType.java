package io.lockbench.spring;

import org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType;

/**
 * The two ways Spring's {@code RedisLockRegistry} waits for a held lock, each registered as an implementation
 * of its own.
 */
public enum SpringLockType {

    /** {@link RedisLockType#SPIN_LOCK}: retries the acquire script every 100 ms (the registry's default). */
    SPIN("spring-spin", RedisLockType.SPIN_LOCK),
    /**
     * {@link RedisLockType#PUB_SUB_LOCK}: waits for the release message on {@code <registry>-channel:<key>},
     * retrying once when the wait runs out; it does not notice a holder's lock expiring.
     */
    PUB_SUB("spring-pubsub", RedisLockType.PUB_SUB_LOCK);

    private final String implementation;
    private final RedisLockType redisLockType;

    SpringLockType(String implementation, RedisLockType redisLockType) {
        this.implementation = implementation;
        this.redisLockType = redisLockType;
    }

    /** @return the registered implementation name, {@code spring-spin} or {@code spring-pubsub} */
    public String implementation() {
        return implementation;
    }

    /** @return the registry's lock type */
    RedisLockType redisLockType() {
        return redisLockType;
    }
}
