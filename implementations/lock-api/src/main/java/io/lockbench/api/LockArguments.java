package io.lockbench.api;

import java.time.Duration;

/**
 * The argument checks every {@link LockService} makes, written once so that every implementation refuses
 * the same input with the same message.
 */
public final class LockArguments {

    private static final Duration ONE_MILLISECOND = Duration.ofMillis(1);

    private LockArguments() {
    }

    /**
     * @param key a lock name
     * @return the key
     * @throws IllegalArgumentException when it is null, blank, or not valid Unicode (an unpaired surrogate
     *     has no UTF-8 form: such keys would all be sent as the same bytes and share one lock)
     */
    public static String requireKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key: must not be null or blank, got "
                    + (key == null ? "null" : "'" + key + "'"));
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format(
                        "key: must be valid Unicode, got an unpaired surrogate U+%04X at index %d", (int) c, i));
            }
        }
        return key;
    }

    /**
     * @param ttl a lock ttl
     * @param max the service's {@link LockService#maxTtl()}
     * @return the ttl
     * @throws IllegalArgumentException when it is null, not positive, shorter than a millisecond, or above max
     */
    public static Duration requireTtl(Duration ttl, Duration max) {
        if (ttl == null || ttl.compareTo(ONE_MILLISECOND) < 0) {
            throw new IllegalArgumentException("ttl: must be at least 1 ms, got " + ttl);
        }
        if (ttl.compareTo(max) > 0) {
            throw new IllegalArgumentException("ttl: must be at most " + max + ", got " + ttl);
        }
        return ttl;
    }

    /**
     * @param maxWait how long an acquire may wait
     * @return the wait
     * @throws IllegalArgumentException when it is null or negative
     */
    public static Duration requireWait(Duration maxWait) {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait: must be zero or positive, got " + maxWait);
        }
        return maxWait;
    }

    /**
     * @param closed whether the service was closed
     * @param service the service's name, for the message
     * @throws IllegalStateException when it was
     */
    public static void requireOpen(boolean closed, String service) {
        if (closed) {
            throw new IllegalStateException(service + ": the lock service is closed");
        }
    }
}
