package io.lockbench.lettuce;

import io.lettuce.core.ScriptOutputType;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The few Redis calls the lock logic makes, so that one lock implementation runs on standalone Redis and on
 * Redis Cluster alike: scripts by SHA1 or by source, and release-channel subscriptions on one shared
 * subscriber connection. Every call returns at once; replies complete the stages on Lettuce's threads.
 *
 * <p>Public for lock-redlock, whose nodes are standalone links ({@link StandaloneLink#lazy}).
 */
public interface RedisLink extends AutoCloseable {

    /**
     * The server address for error messages.
     *
     * @return {@code host:port}, or several separated by commas
     */
    String address();

    /**
     * Starts opening the command connection unless it is open or opening; never blocks. Commands open it
     * on their own: this lets a caller pay for the handshake before it starts a clock.
     *
     * @return completes when the command connection is open; fails when it could not be opened
     */
    CompletionStage<Void> connect();

    /**
     * Sends EVALSHA, routed by the first key.
     *
     * @param sha1 the script's SHA1
     * @param type how to read the reply
     * @param keys KEYS, all in one hash slot
     * @param args ARGV
     * @param <T> the reply type
     * @return the reply
     */
    <T> CompletionStage<T> evalsha(String sha1, ScriptOutputType type, String[] keys, String... args);

    /**
     * Sends EVAL, routed by the first key.
     *
     * @param source the script's text
     * @param type how to read the reply
     * @param keys KEYS, all in one hash slot
     * @param args ARGV
     * @param <T> the reply type
     * @return the reply
     */
    <T> CompletionStage<T> eval(String source, ScriptOutputType type, String[] keys, String... args);

    /**
     * A script's reply and the count {@code WAIT} returned right after it on the same connection.
     *
     * @param reply the script's reply
     * @param acknowledged how many replicas have every write the connection made, the script's included
     * @param <T> the reply type
     */
    record Acknowledged<T>(T reply, long acknowledged) {
    }

    /**
     * Sends EVALSHA and {@code WAIT replicas timeoutMillis} behind it on the command connection, without
     * waiting in between: one round trip plus the replication wait. Standalone (and Sentinel) links only.
     *
     * @param sha1 the script's SHA1
     * @param type how to read the reply
     * @param keys KEYS
     * @param replicas WAIT's replica count
     * @param timeoutMillis WAIT's timeout, shorter than the command timeout
     * @param args ARGV
     * @param <T> the reply type
     * @return both replies; fails with the script's error when it failed
     */
    <T> CompletionStage<Acknowledged<T>> evalshaThenWait(String sha1, ScriptOutputType type, String[] keys,
                                                         int replicas, long timeoutMillis, String... args);

    /**
     * Sends EVAL and {@code WAIT} behind it, as {@link #evalshaThenWait} does.
     *
     * @param source the script's text
     * @param type how to read the reply
     * @param keys KEYS
     * @param replicas WAIT's replica count
     * @param timeoutMillis WAIT's timeout
     * @param args ARGV
     * @param <T> the reply type
     * @return both replies
     */
    <T> CompletionStage<Acknowledged<T>> evalThenWait(String source, ScriptOutputType type, String[] keys,
                                                      int replicas, long timeoutMillis, String... args);

    /**
     * Subscribes the shared subscriber connection to a channel.
     *
     * @param channel the channel
     * @return completes when the server confirmed the subscription
     */
    CompletionStage<Void> subscribe(String channel);

    /**
     * Unsubscribes the shared subscriber connection from a channel. Subscribe and unsubscribe calls reach
     * the server in the order they were made.
     *
     * @param channel the channel
     * @return completes when the server confirmed it
     */
    CompletionStage<Void> unsubscribe(String channel);

    /**
     * Sets who hears of messages on subscribed channels; called once, before the first subscription.
     *
     * @param listener receives the channel a message arrived on and the message (release.lua publishes the
     *     releasing owner token), on a Lettuce I/O thread
     */
    void onMessage(BiConsumer<String, String> listener);

    /**
     * Closes the connections and stops the client's threads (not those of resources shared with other
     * links); waits for them to end.
     */
    @Override
    void close();
}
