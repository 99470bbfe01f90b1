package io.lockbench.fifo;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The grants this service's waiters expect, by owner token. fifo.lua publishes {@code "<token> <fence>"} on
 * the key's channel when a release hands the lock to a queued waiter; the subscriber passes each message to
 * {@link #received}, which records the fencing token for the waiter that owns the token (messages for other
 * services' waiters, and the plain release messages of other implementations, are ignored).
 */
final class Grants {

    /** A waiter's wake-up name and the fencing token of its grant (0 until the grant arrives). */
    private record Expected(String waiter, long fence) {
    }

    private final ConcurrentMap<String, Expected> expected = new ConcurrentHashMap<>();

    /**
     * @param token an owner token that is, or is about to be, queued
     * @param waiter the name the waiter is woken by
     */
    void expect(String token, String waiter) {
        expected.put(token, new Expected(waiter, 0));
    }

    /**
     * Stops expecting a grant for {@code token}; a grant still on its way is ignored (the waiter's giving up
     * releases it on the server).
     *
     * @param token the token
     */
    void forget(String token) {
        expected.remove(token);
    }

    /**
     * @param token a waiter's token
     * @return the highest fencing token of the grants announced for it, or 0 when none arrived
     */
    long fence(String token) {
        Expected entry = expected.get(token);
        return entry == null ? 0 : entry.fence();
    }

    /**
     * A message arrived on a lock channel.
     *
     * @param message {@code "<token> <fence>"} for a grant; anything else is ignored
     * @return the waiter to wake, or null when the message is no grant for a waiter of ours
     */
    String received(String message) {
        int space = message.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        long fence;
        try {
            fence = Long.parseLong(message.substring(space + 1));
        } catch (NumberFormatException notAGrant) {
            return null;
        }
        Expected granted = expected.computeIfPresent(message.substring(0, space),
                (token, entry) -> new Expected(entry.waiter(), Math.max(entry.fence(), fence)));
        return granted == null ? null : granted.waiter();
    }
}
