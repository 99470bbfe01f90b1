package io.lockbench.redlock;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Wakes waiting acquires when a key is released. release.lua PUBLISHes the releasing owner's token on the
 * key's channel on every node it deletes from; each waiter counts the messages from owners other than
 * itself (its own clean-up after a failed attempt must not wake it), so one holder's release wakes it up
 * to N times, and a message that arrives during an attempt makes the next wait return at once.
 *
 * <p>A channel is subscribed on every node while at least one waiter listens to it. Messages lost to a
 * broken pub/sub connection only delay a waiter until its backoff ends.
 */
final class ReleaseSignals {

    /** The subscriptions of one channel and the waiters that share them. */
    private record Channel(Set<Waiter> waiters, CompletableFuture<Void> subscribed) {
    }

    private final Function<String, CompletableFuture<Void>> subscribe;
    private final Consumer<String> unsubscribe;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    /**
     * @param subscribe subscribes a channel on every node; completes when enough nodes confirmed
     * @param unsubscribe unsubscribes a channel on every node
     */
    ReleaseSignals(Function<String, CompletableFuture<Void>> subscribe, Consumer<String> unsubscribe) {
        this.subscribe = subscribe;
        this.unsubscribe = unsubscribe;
    }

    /**
     * Starts listening on a channel.
     *
     * @param channel the key's release channel
     * @param confirmNanos how long to wait for the subscription to be confirmed, so that a release after
     *     this call returns is not missed
     * @return the waiter; close it when the acquire ends
     */
    Waiter listen(String channel, long confirmNanos) {
        Waiter waiter = new Waiter(channel);
        Channel subscribed;
        synchronized (this) {
            subscribed = channels.get(channel);
            if (subscribed == null) {
                CompletableFuture<Void> confirmed = new CompletableFuture<>();
                subscribed = new Channel(new CopyOnWriteArraySet<>(), confirmed);
                channels.put(channel, subscribed);
                subscribe.apply(channel).whenComplete((done, error) -> confirmed.complete(null));
            }
            subscribed.waiters().add(waiter);
        }
        try {
            subscribed.subscribed().get(confirmNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception notConfirmed) {
            // the waiter falls back to its backoff until the subscription works
        }
        return waiter;
    }

    private synchronized void stop(Waiter waiter) {
        Channel subscribed = channels.get(waiter.channel);
        if (subscribed != null && subscribed.waiters().remove(waiter) && subscribed.waiters().isEmpty()) {
            channels.remove(waiter.channel);
            unsubscribe.accept(waiter.channel);
        }
    }

    /** @return the channels that have waiters now, for a pub/sub connection that (re)opens */
    List<String> channels() {
        return List.copyOf(channels.keySet());
    }

    /**
     * Delivers a release message; called on a client I/O thread, never blocks.
     *
     * @param channel the channel it came on
     * @param releasedToken the owner token of the lock that was deleted
     */
    void deliver(String channel, String releasedToken) {
        Channel subscribed = channels.get(channel);
        if (subscribed != null) {
            for (Waiter waiter : subscribed.waiters()) {
                waiter.signal(releasedToken);
            }
        }
    }

    /** One waiting acquire's wake-up signal. Used by one thread; messages arrive from others. */
    final class Waiter implements AutoCloseable {

        private final String channel;
        private final Semaphore releases = new Semaphore(0);
        private final Set<String> ownTokens = ConcurrentHashMap.newKeySet();

        private Waiter(String channel) {
            this.channel = channel;
        }

        /**
         * Registers a token of this waiter's own attempts, whose releases must not wake it.
         *
         * @param token an owner token this acquire used
         */
        void own(String token) {
            ownTokens.add(token);
        }

        private void signal(String releasedToken) {
            if (!ownTokens.contains(releasedToken)) {
                releases.release();
            }
        }

        /** Forgets the releases seen so far: called just before an attempt, which sees their effect itself. */
        void forget() {
            releases.drainPermits();
        }

        /**
         * Waits for a release by another owner since the last {@link #forget()}.
         *
         * @param nanos at most this long
         * @throws InterruptedException when interrupted
         */
        void await(long nanos) throws InterruptedException {
            if (releases.tryAcquire(nanos, TimeUnit.NANOSECONDS)) {
                releases.drainPermits();
            }
        }

        @Override
        public void close() {
            stop(this);
        }
    }
}
