package io.lockbench.jedis;

import io.lockbench.api.LockBackendException;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.LuaScript;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.Pool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

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

    private static final CommandObjects COMMANDS = new CommandObjects(RedisProtocol.RESP2);

    private final UnifiedJedis client;
    private final String address;
    private final LongAdder roundTrips = new LongAdder();
    /** Connections of {@link #runPatiently} calls in progress, which {@link #abortPatientCalls} cuts. */
    private final Set<Connection> patientCalls = ConcurrentHashMap.newKeySet();
    private volatile boolean patientCallsAborted;

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
     * Compare-and-delete for the outcome resolver, waiting for its answer up to {@code patience}
     * ({@link #runPatiently}).
     *
     * @param keys the lock's names
     * @param token our owner token
     * @param patience how long to wait for the answer
     * @return release.lua's code: 1 released, 0 gone, -1 held by another owner
     * @throws JedisException when the call failed
     */
    long releasePatiently(LockKeys keys, String token, Duration patience) {
        return number(runPatiently(LockScripts.RELEASE, List.of(keys.lock()), List.of(token, keys.channel()),
                patience));
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

    /**
     * Runs a script like {@link #run}, on a connection of the pool that serves its first key, waiting for the
     * answer up to {@code patience} instead of the command timeout. For the outcome resolver, which is off every
     * caller's path: after a timeout Jedis gives its connection up, so each of the resolver's tries would
     * otherwise be a new connection that had to be set up and answered within the command timeout, which a
     * loaded machine or a slow link misses again and again (chaos, ambiguous-acquire with a 50 ms command
     * timeout beside two busy CPUs: a lock left held by nobody for 1 to 2 s while every try timed out, where a
     * try that waits deletes it at once). {@link #abortPatientCalls} cuts the calls in progress.
     *
     * @param script the script
     * @param keys its KEYS (the first one picks the node)
     * @param args its ARGV
     * @param patience how long to wait for the answer
     * @return the script's reply
     * @throws JedisException when the call failed, or was aborted
     */
    public Object runPatiently(LuaScript script, List<String> keys, List<String> args, Duration patience) {
        try {
            return runPatientlyOnce(script, keys, args, patience);
        } catch (JedisRedirectionException moved) {
            // A cluster's slot moved: the client's own path follows the redirection and refreshes its slot map.
            return run(script, keys, args);
        }
    }

    private Object runPatientlyOnce(LuaScript script, List<String> keys, List<String> args, Duration patience) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, patience.toMillis()));
        try (Connection connection = connectionFor(keys.get(0))) {
            if (connection == null) {
                return run(script, keys, args);
            }
            patientCalls.add(connection);
            try {
                if (patientCallsAborted) {
                    throw new JedisConnectionException("the service is closing");
                }
                connection.setSoTimeout(millis);
                Object reply = script.run(
                        sha1 -> {
                            roundTrips.increment();
                            return connection.executeCommand(COMMANDS.evalsha(sha1, keys, args));
                        },
                        source -> {
                            roundTrips.increment();
                            return connection.executeCommand(COMMANDS.eval(source, keys, args));
                        });
                return reply;
            } finally {
                patientCalls.remove(connection);
                restoreTimeout(connection);
            }
        }
    }

    /**
     * Ends the {@link #runPatiently} calls in progress by closing their connections (each fails at once), and
     * makes later ones fail; for the service's close, so that no call outlives it.
     */
    public void abortPatientCalls() {
        patientCallsAborted = true;
        for (Connection connection : patientCalls) {
            connection.setBroken();
            try {
                connection.disconnect();
            } catch (JedisException alreadyBroken) {
                // It fails its call either way.
            }
        }
    }

    /** Gives a connection back its command timeout before it returns to the pool, or marks it broken. */
    private void restoreTimeout(Connection connection) {
        if (patientCallsAborted) {
            connection.setBroken();
        }
        if (!connection.isBroken()) {
            try {
                connection.rollbackTimeout();
            } catch (JedisException e) {
                connection.setBroken();
            }
        }
    }

    /** @return a pooled connection to the node serving {@code key}, or null for a client of another kind */
    private Connection connectionFor(String key) {
        if (client instanceof RedisClient pooled) {
            return pooled.getPool().getResource();
        }
        if (client instanceof RedisSentinelClient sentineled) {
            Pool<Connection> primary = sentineled.getPrimaryNodesConnectionMap().values().stream().findFirst()
                    .orElseThrow(() -> new JedisConnectionException("no primary known to the Sentinels"));
            return primary.getResource();
        }
        if (client instanceof RedisClusterClient cluster) {
            return cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(key));
        }
        return null;
    }

    private static long number(Object reply) {
        return ((Number) reply).longValue();
    }
}
