package io.lockbench.lettuce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release channels a service listens on, over the link's one subscriber connection: a channel is
 * subscribed while at least one acquire waits on it and unsubscribed when the last one leaves.
 *
 * <p>A release message wakes one waiter, the longest-waiting one that can take it, not all of them: only
 * one can win the lock, and waking every waiter would cost a round trip each per release.
 */
final class ReleaseChannels {

    /** An acquire waiting on a channel. */
    interface Waiter {

        /**
         * Tells the waiter the key was released: it retries now, or right after its attempt in flight.
         *
         * @return false when it cannot use the news (finished, or still holding earlier news), so that the
         *     next waiter gets it
         */
        boolean signal();
    }

    /** One subscription and the waiters on it, in the order they joined. */
    static final class Membership {

        private final String channel;
        private final LinkedHashSet<Waiter> waiters = new LinkedHashSet<>();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private volatile boolean live;

        private Membership(String channel) {
            this.channel = channel;
        }

        /**
         * Completes (always normally) once SUBSCRIBE was confirmed or failed.
         *
         * @return the stage
         */
        CompletableFuture<Void> ready() {
            return ready;
        }

        /**
         * Whether the server confirmed the subscription: release messages will arrive.
         *
         * @return true once confirmed
         */
        boolean live() {
            return live;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseChannels.class);

    private final RedisLink link;
    private final Map<String, Membership> subscribed = new HashMap<>();

    /**
     * @param link the connection to subscribe on; its messages are routed here
     */
    ReleaseChannels(RedisLink link) {
        this.link = link;
        link.onMessage((channel, message) -> released(channel));
    }

    /**
     * Joins a channel only when its subscription is already confirmed, so that the caller's first attempt is
     * covered and needs no second one after subscribing.
     *
     * @param channel the key's release channel
     * @param waiter who joins
     * @return the membership, or null when the channel is not subscribed yet
     */
    synchronized Membership joinIfLive(String channel, Waiter waiter) {
        Membership membership = subscribed.get(channel);
        if (membership == null || !membership.live()) {
            return null;
        }
        membership.waiters.add(waiter);
        return membership;
    }

    /**
     * Joins a channel, subscribing when nobody waits on it yet.
     *
     * @param channel the key's release channel
     * @param waiter who joins
     * @return the membership; wait for {@link Membership#ready()} before the next attempt
     */
    synchronized Membership join(String channel, Waiter waiter) {
        Membership membership = subscribed.get(channel);
        if (membership == null) {
            Membership fresh = new Membership(channel);
            membership = fresh;
            subscribed.put(channel, fresh);
            // Under this lock, so that the link sees subscribe and unsubscribe of one channel in our order.
            link.subscribe(channel).whenComplete((ignored, error) -> confirmed(fresh, error));
        }
        membership.waiters.add(waiter);
        return membership;
    }

    /**
     * Leaves a channel, unsubscribing when nobody waits on it any more.
     *
     * @param membership what {@link #join} or {@link #joinIfLive} returned
     * @param waiter who leaves
     * @param passSignal whether the waiter leaves without using a release it was told of, which then goes to
     *     the next waiter
     */
    void leave(Membership membership, Waiter waiter, boolean passSignal) {
        synchronized (this) {
            membership.waiters.remove(waiter);
            if (membership.waiters.isEmpty()) {
                Membership current = subscribed.get(membership.channel);
                if (current == membership) {
                    subscribed.remove(membership.channel);
                }
                if (current == membership || current == null) {
                    link.unsubscribe(membership.channel).whenComplete((ignored, error) -> {
                        if (error != null) {
                            LOG.debug("UNSUBSCRIBE {} failed", membership.channel, error);
                        }
                    });
                }
            }
        }
        if (passSignal) {
            released(membership.channel);
        }
    }

    /**
     * A release message arrived: wakes the first waiter that takes it. Waiters are called outside this
     * object's lock, because they call back into it.
     *
     * @param channel the channel it arrived on
     */
    void released(String channel) {
        List<Waiter> candidates;
        synchronized (this) {
            Membership membership = subscribed.get(channel);
            if (membership == null) {
                return;
            }
            candidates = new ArrayList<>(membership.waiters);
        }
        for (Waiter waiter : candidates) {
            if (waiter.signal()) {
                return;
            }
        }
    }

    private void confirmed(Membership membership, Throwable error) {
        if (error != null) {
            LOG.debug("SUBSCRIBE {} failed; its waiters fall back to timed retries", membership.channel, error);
            synchronized (this) {
                // A later joiner subscribes afresh; the members of this one keep retrying on their timers.
                subscribed.remove(membership.channel, membership);
            }
        } else {
            membership.live = true;
        }
        membership.ready.complete(null);
    }
}
