package io.lockbench.testkit;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

/** What every kind of node does the same way: address, version, proxy and one-off commands. */
abstract class AbstractNode implements RedisNode {

    /**
     * Without CLIENT SETINFO, connecting sends no command, so connecting to a paused server still works;
     * without auto-negotiation Jedis 8 does not warn on every connection.
     */
    private static final JedisClientConfig CALL_CONFIG = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(2_000)
        .socketTimeoutMillis(5_000)
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
        .autoNegotiateProtocol(false)
        .build();

    private final URI uri;
    private CrusherProxy proxy;
    private volatile String version;
    private volatile boolean closed;

    AbstractNode(URI uri) {
        this.uri = uri;
    }

    @Override
    public final URI uri() {
        return uri;
    }

    @Override
    public final String host() {
        return uri.getHost();
    }

    @Override
    public final int port() {
        return uri.getPort();
    }

    @Override
    public final String version() {
        String known = version;
        if (known == null) {
            known = call(jedis -> infoField(jedis.info("server"), "redis_version"));
            version = known;
        }
        return known;
    }

    @Override
    public final synchronized NodeProxy proxy() {
        requireOpen("proxy");
        if (proxy == null) {
            proxy = CrusherProxy.start(host(), port());
        }
        return proxy;
    }

    @Override
    public final <T> T call(Function<Jedis, T> command) {
        // Jedis(URI, config) takes user and password from the URI, which external servers may need.
        try (Jedis jedis = new Jedis(uri, CALL_CONFIG)) {
            return command.apply(jedis);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + host() + ":" + port();
    }

    /** Marks the node closed and closes its proxy; false when it was closed already. */
    final synchronized boolean beginClose() {
        if (closed) {
            return false;
        }
        closed = true;
        if (proxy != null) {
            proxy.close();
        }
        return true;
    }

    final void requireOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(operation + ": " + this + " is closed");
        }
    }

    static Duration requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("d: must be positive, got " + d);
        }
        return d;
    }

    /** One {@code name:value} line of an INFO reply, or null. */
    static String infoField(String info, String name) {
        String prefix = name + ":";
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
        return null;
    }
}
