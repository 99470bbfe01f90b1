package io.lockbench.jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Release messages of a Redis Cluster, heard on every master: one {@link ReleaseSubscriber} per master, each
 * connecting to its own master first (and, should that fail, to the cluster's other nodes in turn).
 *
 * <p>Why not one connection to any node: a PUBLISH reaches the subscribers of the node that ran it at once,
 * but every other node only over the cluster bus, whose connections Redis (up to 7 at least) opens without
 * TCP_NODELAY, so a message there can wait for the previous one's delayed ACK: 20 to 40 ms on Linux
 * (redis/redis#11869, valkey-io/valkey#1758). Measured on a 3-master cluster, 4 threads on 16 keys: with one
 * subscriber connection 4 % of fifo's acquires waited more than 20 ms for a grant that had been published at
 * once. A lock's release runs on the master of its slot, so its subscriber there hears it without the bus.
 *
 * <p>Each release therefore arrives once per subscriber: the first copy is passed on, the copies that follow
 * over the bus are dropped. A release message names an owner token released once (a fifo grant, a token and
 * a fencing token issued once), so a message seen among the last {@value #RECENT} is a copy. Subscribing
 * completes once any subscriber is live: every one of them hears every release, some later than others.
 */
final class EveryMasterSubscriber implements ReleaseListener {

    /** How many recent messages are remembered to drop their copies: far more than arrive in a bus delay. */
    static final int RECENT = 1 << 16;

    private final List<ReleaseSubscriber> subscribers = new ArrayList<>();
    /** Guarded by {@link #recent}: copies dropped since creation. */
    private long copiesDropped;
    private final Map<String, Boolean> recent = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT;
        }
    };

    /**
     * @param nodes one supplier per master, each giving its master first
     * @param config connect and socket timeouts
     * @param onRelease called with the channel and the message of each release, once
     * @param onResubscribed called after any subscriber's lost subscription is back
     * @param commandTimeout bounds how long close waits for each thread
     */
    EveryMasterSubscriber(List<Supplier<HostAndPort>> nodes, JedisClientConfig config,
                          BiConsumer<String, String> onRelease, Runnable onResubscribed, Duration commandTimeout) {
        BiConsumer<String, String> once = (channel, message) -> {
            if (firstCopy(channel, message)) {
                onRelease.accept(channel, message);
            }
        };
        for (Supplier<HostAndPort> node : nodes) {
            subscribers.add(new ReleaseSubscriber(node, config, once, onResubscribed, commandTimeout));
        }
    }

    /**
     * One supplier per master: its own master first, then every node in turn, starting after it.
     *
     * @param masters the cluster's masters
     * @return the suppliers, in the masters' order
     */
    static List<Supplier<HostAndPort>> ownMasterFirst(List<HostAndPort> masters) {
        List<Supplier<HostAndPort>> suppliers = new ArrayList<>();
        for (int i = 0; i < masters.size(); i++) {
            int first = i;
            AtomicInteger next = new AtomicInteger();
            suppliers.add(() -> masters.get(Math.floorMod(first + next.getAndIncrement(), masters.size())));
        }
        return suppliers;
    }

    private boolean firstCopy(String channel, String message) {
        synchronized (recent) {
            boolean first = recent.put(channel + ' ' + message, Boolean.TRUE) == null;
            if (!first) {
                copiesDropped++;
            }
            return first;
        }
    }

    /** @return how many copies of messages already passed on were dropped */
    long copiesDropped() {
        synchronized (recent) {
            return copiesDropped;
        }
    }

    /** Starts every subscriber; completes once any is live, fails once all failed (closed). */
    @Override
    public CompletionStage<Void> subscribe(String channel) {
        CompletableFuture<Void> anyLive = new CompletableFuture<>();
        AtomicInteger failed = new AtomicInteger();
        for (ReleaseSubscriber subscriber : subscribers) {
            subscriber.subscribe(channel).whenComplete((ignored, failure) -> {
                if (failure == null) {
                    anyLive.complete(null);
                } else if (failed.incrementAndGet() == subscribers.size()) {
                    anyLive.completeExceptionally(failure);
                }
            });
        }
        return anyLive;
    }

    /** Nothing to do: the pattern subscriptions stay for the service's lifetime. */
    @Override
    public void unsubscribe(String channel) {
    }

    /** @return true: each subscriber's one pattern subscription covers every key's channel */
    @Override
    public boolean listensToEveryChannel() {
        return true;
    }

    @Override
    public void close() {
        subscribers.forEach(ReleaseSubscriber::close);
    }
}
