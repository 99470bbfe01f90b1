package io.lockbench.testkit;

import java.net.URI;
import java.time.Duration;

/**
 * A fault-injecting TCP proxy in front of one {@link RedisNode}: clients connect to {@link #uri()} instead
 * of the node and the test decides what the network does. Obtained from {@link RedisNode#proxy()}, closed
 * with its node. All faults apply to connections already open as well as to new ones.
 */
public interface NodeProxy extends AutoCloseable {

    /**
     * Where clients connect to go through the proxy.
     *
     * @return {@code redis://127.0.0.1:proxyPort}
     */
    URI uri();

    /**
     * Delays every chunk of bytes by this much in each direction, so a round trip gains twice this. Each
     * chunk is held until its due time by a thread of its own, so the delay is accurate to the operating
     * system's timer slack and thread wake-up, typically a few tens of microseconds. A change applies to
     * bytes read after it; bytes already held keep their due time and order.
     *
     * @param oneWay the delay per direction; zero turns it off
     * @throws IllegalArgumentException when negative
     */
    void addLatency(Duration oneWay);

    /**
     * Stops all traffic: open connections stay open but no bytes pass either way; new connections complete
     * their TCP handshake (the kernel does that) but get nothing until {@link #unfreeze()}. Idempotent.
     */
    void freeze();

    /**
     * Lets traffic pass again after {@link #freeze()}, on open and new connections alike; no-op when not
     * frozen.
     */
    void unfreeze();

    /**
     * While on, requests still reach the server and are executed, but the server's replies are discarded:
     * the client times out on a command that did happen (story 3, "SETNX timed out but was written").
     * Bytes already in flight when this is switched may be cut mid-reply.
     *
     * @param on whether to discard server to client bytes
     */
    void dropResponses(boolean on);

    /** Closes every proxied connection now; clients see the connection drop and may reconnect. */
    void disconnectAll();

    /** No latency, not frozen, not dropping. Open connections stay open. */
    void reset();

    /** Stops listening and closes every proxied connection. Idempotent. */
    @Override
    void close();
}
