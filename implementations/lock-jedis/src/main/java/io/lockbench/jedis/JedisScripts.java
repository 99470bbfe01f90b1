package io.lockbench.jedis;

import io.lockbench.api.LockBackendException;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.LuaScript;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Pool;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The three lock scripts as calls on one {@link UnifiedJedis} (a pooled client or a cluster client alike),
 * each one round trip, two when the server lost its script cache. Counts the round trips. Public for the
 * implementations built on Jedis (lock-fifo), which run scripts of their own through {@link #run} and
 * classify failures with the same rules.
 */
public final class JedisScripts {

    /**
     * What acquire.lua answered: a code of {@link LockScripts} and the fencing token or the holder's PTTL,
     * and WAIT's count of replicas that have the write (-1 when no WAIT was sent).
     */
    record AcquireReply(long code, long value, long acknowledged) {
    }

    private final UnifiedJedis client;
    private final String address;
    private final LongAdder roundTrips = new LongAdder();

    /**
     * @param client the connection pool or cluster client
     * @param address host:port (or several) for error messages
     */
    public JedisScripts(UnifiedJedis client, String address) {
        this.client = client;
        this.address = address;
    }

    /** @return host:port of the server (or the cluster's seeds) */
    public String address() {
        return address;
    }

    /** @return EVALSHA and EVAL commands sent so far */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /**
     * @param keys the lock's names
     * @param token our owner token
     * @param ttlMillis the lock's ttl
     * @return acquire.lua's reply
     * @throws JedisException when the call failed; see {@link #mayHaveRun}
     */
    AcquireReply acquire(LockKeys keys, String token, long ttlMillis) {
        List<?> reply = (List<?>) run(LockScripts.ACQUIRE, List.of(keys.lock(), keys.fence()),
                List.of(token, Long.toString(ttlMillis)));
        return new AcquireReply(number(reply.get(0)), number(reply.get(1)), -1);
    }

    /**
     * acquire.lua followed by {@code WAIT replicas timeout} in one pipeline on one pooled connection: one
     * round trip plus the replication wait. WAIT counts the replicas that have every write this connection
     * made, the script's included. Not for a cluster client, whose pipeline routes by key.
     *
     * @param keys the lock's names
     * @param token our owner token
     * @param ttlMillis the lock's ttl
     * @param replicas WAIT's replica count
     * @param timeoutMillis WAIT's timeout
     * @return acquire.lua's reply with WAIT's count
     * @throws JedisException when the call failed; see {@link #mayHaveRun}
     */
    AcquireReply acquire(LockKeys keys, String token, long ttlMillis, int replicas, long timeoutMillis) {
        List<String> names = List.of(keys.lock(), keys.fence());
        List<String> args = List.of(token, Long.toString(ttlMillis));
        return LockScripts.ACQUIRE.run(
                sha1 -> thenWait(pipeline -> pipeline.evalsha(sha1, names, args), replicas, timeoutMillis),
                source -> thenWait(pipeline -> pipeline.eval(source, names, args), replicas, timeoutMillis));
    }

    private AcquireReply thenWait(Function<Pipeline, Response<Object>> script, int replicas, long timeoutMillis) {
        roundTrips.increment();
        try (Pipeline pipeline = (Pipeline) client.pipelined()) {
            Response<Object> reply = script.apply(pipeline);
            Response<Long> acknowledged = pipeline.waitReplicas(replicas, timeoutMillis);
            pipeline.sync();
            // get() throws the script's error reply (NOSCRIPT: LuaScript re-sends by source, WAIT included).
            List<?> answer = (List<?>) reply.get();
            return new AcquireReply(number(answer.get(0)), number(answer.get(1)), acknowledged.get());
        }
    }

    /**
     * Compare-and-delete, sent a second time on a fresh connection when the first one's connection had been
     * dropped: the script acts only on our token, so a repeat is harmless (a first call that did land makes
     * the second answer "gone").
     *
     * @param keys the lock's names
     * @param token our owner token
     * @return release.lua's code: 1 released, 0 gone, -1 held by another owner
     * @throws JedisException when the call failed
     */
    long release(LockKeys keys, String token) {
        return againIfDropped(() -> number(run(LockScripts.RELEASE, List.of(keys.lock()),
                List.of(token, keys.channel()))));
    }

    /**
     * Compare-and-PEXPIRE, sent a second time on a fresh connection when the first one's connection had
     * been dropped (harmless: the script acts only on our token).
     *
     * @param keys the lock's names
     * @param token our owner token
     * @param ttlMillis the new ttl
     * @return extend.lua's code: 1 extended, 0 gone, -1 held by another owner
     * @throws JedisException when the call failed
     */
    public long extend(LockKeys keys, String token, long ttlMillis) {
        return againIfDropped(() -> number(run(LockScripts.EXTEND, List.of(keys.lock()),
                List.of(token, Long.toString(ttlMillis)))));
    }

    /**
     * Runs a call, and once more on a fresh connection when the first one's connection had been dropped; for
     * calls that act only on our token, which a repeat cannot harm.
     *
     * @param call the call
     * @return its answer
     * @throws JedisException when the call failed (again)
     */
    public long againIfDropped(LongSupplier call) {
        try {
            return call.getAsLong();
        } catch (JedisException first) {
            if (!connectionDropped(first)) {
                throw first;
            }
            evictIdleConnections();
            try {
                return call.getAsLong();
            } catch (JedisException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    /**
     * @param what the operation, such as {@code acquire of 'orders'}
     * @param cause the client's exception
     * @return the exception callers get, naming the server
     */
    public LockBackendException failure(String what, JedisException cause) {
        return new LockBackendException(address, what + " failed: " + cause.getMessage(), cause);
    }

    /**
     * Whether a failed call may have reached the server. Only a failure to connect or to get a pooled
     * connection proves it did not; a timeout or a broken connection after the write may hide a success.
     *
     * @param failure the client's exception
     * @return false only when the request was certainly never written
     */
    public static boolean mayHaveRun(JedisException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof ConnectException || t instanceof InterruptedException || message != null
                    && (message.startsWith("Failed to connect to") || message.startsWith("Failed to create socket")
                    || message.startsWith("Could not get a resource from the pool"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a call failed because its connection had been closed by the server or the network (a restart,
     * a proxy or firewall cutting it), rather than because the server was slow.
     *
     * @param failure the client's exception
     * @return true for end of stream, connection reset or broken pipe
     */
    public static boolean connectionDropped(JedisException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof SocketException || message != null && message.startsWith("Unexpected end of stream")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes the idle pooled connections: when one was found dropped, its idle siblings usually were too,
     * and each would otherwise fail one call.
     */
    public void evictIdleConnections() {
        if (client instanceof RedisClient pooled) {
            pooled.getPool().clear();
        } else if (client instanceof RedisSentinelClient sentineled) {
            sentineled.getPrimaryNodesConnectionMap().values().forEach(Pool::clear);
        } else if (client instanceof RedisClusterClient cluster) {
            cluster.getClusterNodes().values().forEach(Pool::clear);
        }
    }

    /**
     * @param failure the client's exception
     * @return whether the thread was interrupted while waiting for a pooled connection
     */
    public static boolean interrupted(JedisException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a script by SHA1 (by source after NOSCRIPT), counting each command sent.
     *
     * @param script the script
     * @param keys its KEYS
     * @param args its ARGV
     * @return the script's reply
     * @throws JedisException when the call failed; see {@link #mayHaveRun}
     */
    public Object run(LuaScript script, List<String> keys, List<String> args) {
        return script.run(
                sha1 -> {
                    roundTrips.increment();
                    return client.evalsha(sha1, keys, args);
                },
                source -> {
                    roundTrips.increment();
                    return client.eval(source, keys, args);
                });
    }

    private static long number(Object reply) {
        return ((Number) reply).longValue();
    }
}
