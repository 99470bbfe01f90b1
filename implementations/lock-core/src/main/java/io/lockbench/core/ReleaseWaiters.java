package io.lockbench.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waiters of one service, by release channel, and how release messages reach them. A channel is
 * subscribed (through the client's {@link Subscriptions}) while at least one waiter is on it.
 *
 * <p>A release frees the lock once, so a message wakes one waiter, the longest waiting one that can use it:
 * waking all of them would send every waiter's retry to the server for one winner. After a subscription was
 * lost and restored, {@link #wakeAll()} wakes everyone, because messages sent in between were lost.
 */
public final class ReleaseWaiters {

    /** How a client listens on release channels. */
    public interface Subscriptions {

        /**
         * Starts listening on a channel (a client that listens on every channel at once just makes sure it
         * listens).
         *
         * @param channel the key's release channel
         * @return completes when the server confirmed the subscription; fails when it could not
         */
        CompletionStage<Void> subscribe(String channel);

        /**
         * Stops listening on a channel nobody waits on any more; subscribe and unsubscribe of one channel
         * must reach the server in call order.
         *
         * @param channel the channel
         */
        void unsubscribe(String channel);

        /**
         * Whether the client listens on every release channel at once (one pattern subscription), so that
         * joining a channel sends nothing to the server. Such a client's waiters join before their first
         * attempt; a client that subscribes channel by channel lets an acquire that finds the key free pay
         * no SUBSCRIBE and UNSUBSCRIBE ({@link #joinEarly}).
         *
         * @return false unless overridden
         */
        default boolean listensToEveryChannel() {
            return false;
        }
    }

    /** One waiting acquire, as the registry sees it. */
    public interface Waiter {

        /**
         * The key was released.
         *
         * @param releasedBy the owner token the release message carried, or null when unknown
         * @return false when the waiter cannot use the news (finished, its own release, or still holding
         *     earlier news), so the next waiter gets it
         */
        boolean wake(String releasedBy);
    }

    /** One waiter's place on a channel; closing it leaves. */
    public final class Membership implements AutoCloseable {

        private final Channel channel;
        private final Waiter waiter;
        private final boolean behindOthers;
        private boolean left;

        private Membership(Channel channel, Waiter waiter, boolean behindOthers) {
            this.channel = channel;
            this.waiter = waiter;
            this.behindOthers = behindOthers;
        }

        /** @return whether other waiters were already on the channel when this one joined */
        public boolean behindOthers() {
            return behindOthers;
        }

        /** @return completes (always normally) once the subscription was confirmed or has failed */
        public CompletableFuture<Void> ready() {
            return channel.ready;
        }

        /** @return whether the server confirmed the subscription, so release messages will arrive */
        public boolean live() {
            return channel.live;
        }

        @Override
        public void close() {
            synchronized (ReleaseWaiters.this) {
                if (left) {
                    return;
                }
                left = true;
                channel.waiters.remove(waiter);
                if (channel.waiters.isEmpty() && channels.get(channel.name) == channel) {
                    channels.remove(channel.name);
                    subscriptions.unsubscribe(channel.name);
                }
            }
        }
    }

    /** One subscribed channel and its waiters in the order they joined; guarded by the registry. */
    private static final class Channel {
        private final String name;
        private final LinkedHashSet<Waiter> waiters = new LinkedHashSet<>();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private volatile boolean live;

        private Channel(String name) {
            this.name = name;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseWaiters.class);

    private final Subscriptions subscriptions;
    private final Map<String, Channel> channels = new HashMap<>();

    /**
     * @param subscriptions how the client subscribes; its messages are to be passed to {@link #released}
     */
    public ReleaseWaiters(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /**
     * Joins a channel, subscribing when nobody waits on it yet. Join before the attempt whose "held" answer
     * you will wait on: a release after that attempt then finds you.
     *
     * @param channel the key's release channel
     * @param waiter who joins
     * @return the membership; close it when the acquire ends
     */
    public Membership join(String channel, Waiter waiter) {
        Channel subscribed;
        boolean fresh;
        boolean behindOthers;
        synchronized (this) {
            subscribed = channels.get(channel);
            fresh = subscribed == null;
            if (fresh) {
                subscribed = new Channel(channel);
                channels.put(channel, subscribed);
            }
            behindOthers = !subscribed.waiters.isEmpty();
            subscribed.waiters.add(waiter);
            if (fresh) {
                // Under the lock, so that subscribe and unsubscribe of one channel go out in call order.
                confirm(subscribed);
            }
        }
        return new Membership(subscribed, waiter, behindOthers);
    }

    /**
     * Joins a channel before the first attempt when that costs no subscription: the client listens on every
     * channel at once, or other waiters of this service are on the channel already. Otherwise joins nothing:
     * an acquire that finds the key free then sends no SUBSCRIBE and UNSUBSCRIBE (two commands, and on
     * Lettuce two hand-overs to its I/O threads, besides the lock's own two round trips), and a waiter joins
     * after its first attempt found the key held, then repeats that attempt once the subscription is
     * confirmed, since a release in between would have found nobody listening.
     *
     * @param channel the key's release channel
     * @param waiter who joins
     * @return the membership, or null when the waiter should join only once its first attempt found the key
     *     held
     */
    public Membership joinEarly(String channel, Waiter waiter) {
        synchronized (this) {
            if (!subscriptions.listensToEveryChannel() && !channels.containsKey(channel)) {
                return null;
            }
            return join(channel, waiter);
        }
    }

    private void confirm(Channel channel) {
        CompletionStage<Void> confirmed;
        try {
            confirmed = subscriptions.subscribe(channel.name);
        } catch (RuntimeException e) {
            confirmed = CompletableFuture.failedFuture(e);
        }
        confirmed.whenComplete((ignored, error) -> {
            if (error == null) {
                channel.live = true;
            } else {
                LOG.debug("SUBSCRIBE {} failed; its waiters fall back to timed retries", channel.name, error);
                synchronized (this) {
                    // The next joiner subscribes afresh; these waiters keep retrying on their timers.
                    channels.remove(channel.name, channel);
                }
            }
            channel.ready.complete(null);
        });
    }

    /**
     * A release message arrived: wakes the first waiter that takes it. Waiters are called outside the
     * registry's lock, because they call back into it.
     *
     * @param channel the channel it arrived on
     * @param releasedBy the owner token it carried, or null
     */
    public void released(String channel, String releasedBy) {
        List<Waiter> candidates;
        synchronized (this) {
            Channel subscribed = channels.get(channel);
            if (subscribed == null) {
                return;
            }
            candidates = new ArrayList<>(subscribed.waiters);
        }
        for (Waiter waiter : candidates) {
            if (waiter.wake(releasedBy)) {
                return;
            }
        }
    }

    /** Wakes every waiter: release messages may have been lost while a subscription was down. */
    public void wakeAll() {
        List<Waiter> everyone = new ArrayList<>();
        synchronized (this) {
            channels.values().forEach(channel -> everyone.addAll(channel.waiters));
        }
        everyone.forEach(waiter -> waiter.wake(null));
    }

    /** @return the channels that have waiters now, for a subscriber connection that (re)opens */
    public synchronized List<String> channels() {
        return List.copyOf(channels.keySet());
    }
}
