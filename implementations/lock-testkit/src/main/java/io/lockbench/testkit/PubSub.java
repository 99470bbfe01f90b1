package io.lockbench.testkit;

import io.lockbench.fixture.RedisNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.JedisPubSub;

/** What a test sees of a server's pub/sub: who listens on a channel, and what a listener of its own hears. */
public final class PubSub {

    private PubSub() {
    }

    /**
     * @param node a server
     * @param channel a channel
     * @return the clients subscribed to {@code channel} on that server ({@code PUBSUB NUMSUB})
     */
    public static long subscribers(RedisNode node, String channel) {
        return node.<Map<String, Long>>call(jedis -> jedis.pubsubNumSub(channel)).getOrDefault(channel, 0L);
    }

    /**
     * Subscribes to {@code channel} on {@code node} from a thread of its own; completes with the first message
     * that carries {@code expected} (a message published earlier, say a release of the same key still crossing
     * a cluster's bus, is passed over), then unsubscribes.
     *
     * @param node the server to listen on
     * @param channel the channel
     * @param expected the message to wait for
     * @return completes with {@code expected} once heard, or fails when the connection fails
     */
    public static CompletableFuture<String> listen(RedisNode node, String channel, String expected) {
        CompletableFuture<String> heard = new CompletableFuture<>();
        Thread listener = new Thread(() -> {
            try {
                node.call(jedis -> {
                    jedis.subscribe(new JedisPubSub() {
                        @Override
                        public void onMessage(String from, String message) {
                            if (message.equals(expected)) {
                                heard.complete(message);
                                unsubscribe();
                            }
                        }
                    }, channel);
                    return null;
                });
            } catch (RuntimeException e) {
                heard.completeExceptionally(e);
            }
        }, "pubsub-test-listener");
        listener.setDaemon(true);
        listener.start();
        return heard;
    }
}
