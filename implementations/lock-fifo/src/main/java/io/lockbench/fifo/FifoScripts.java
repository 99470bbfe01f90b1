package io.lockbench.fifo;

import io.lockbench.core.LuaScript;
import io.lockbench.jedis.JedisScripts;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.exceptions.JedisException;

/**
 * fifo.lua's two entry points as calls through lock-jedis's {@link JedisScripts}, each one round trip
 * (two when the server lost its script cache). KEYS, ARGV and reply codes are in the script's header.
 */
final class FifoScripts {

    /** The script; both entry points share its SHA1. */
    static final LuaScript FIFO = LuaScript.load(FifoScripts.class, "fifo.lua");

    /** acquire's first reply element: acquired now. */
    static final long ACQUIRED = 1;
    /** acquire's first reply element: already ours, granted while our attempt was on its way; ttl reset. */
    static final long ALREADY_OURS = 2;
    /** acquire's first reply element: held by another owner (we are queued when we asked to be). */
    static final long HELD = 0;

    /**
     * What acquire answered.
     *
     * @param code {@link #ACQUIRED}, {@link #ALREADY_OURS} or {@link #HELD}
     * @param value the fencing token, or the holder's remaining ttl in ms
     * @param counter when held: the key's fencing counter as the call found it (every grant made later has a
     *     higher token); otherwise the fencing token
     */
    record Reply(long code, long value, long counter) {
    }

    private final JedisScripts jedis;

    /**
     * @param jedis the service's script runner, which counts round trips
     */
    FifoScripts(JedisScripts jedis) {
        this.jedis = jedis;
    }

    /**
     * @param keys the lock's names
     * @param token our owner token
     * @param ttlMillis the lock's ttl
     * @param windowMillis how long the queue keeps us without a further call; 0 to not queue
     * @return acquire's reply
     * @throws JedisException when the call failed; see {@link JedisScripts#mayHaveRun}
     */
    Reply acquire(FifoKeys keys, String token, long ttlMillis, long windowMillis) {
        List<?> reply = (List<?>) jedis.run(FIFO, keys.scriptKeys(), List.of("acquire", token,
                keys.names().channel(), Long.toString(ttlMillis), Long.toString(windowMillis)));
        long code = number(reply.get(0));
        long value = number(reply.get(1));
        return new Reply(code, value, code == HELD ? number(reply.get(2)) : value);
    }

    /**
     * Compare-and-delete, leaving the queue and handing the lock on; sent a second time on a fresh connection
     * when the first one's connection had been dropped (harmless: it acts only on our token).
     *
     * @param keys the lock's names
     * @param token our owner token
     * @return 1 released, 0 gone, -1 held by another owner
     * @throws JedisException when the call failed
     */
    long release(FifoKeys keys, String token) {
        return jedis.againIfDropped(() -> number(jedis.run(FIFO, keys.scriptKeys(),
                List.of("release", token, keys.names().channel()))));
    }

    /**
     * {@link #release} for the outcome resolver: one try, waiting for the answer up to {@code patience}
     * ({@link JedisScripts#runPatiently}).
     *
     * @param keys the lock's names
     * @param token our owner token
     * @param patience how long to wait for the answer
     * @return 1 released, 0 gone, -1 held by another owner
     * @throws JedisException when the call failed
     */
    long releasePatiently(FifoKeys keys, String token, Duration patience) {
        return number(jedis.runPatiently(FIFO, keys.scriptKeys(), List.of("release", token, keys.names().channel()),
                patience));
    }

    /**
     * The shared compare-and-PEXPIRE (a fair lock extends like any other).
     *
     * @param keys the lock's names
     * @param token our owner token
     * @param ttlMillis the new ttl
     * @return 1 extended, 0 gone, -1 held by another owner
     * @throws JedisException when the call failed
     */
    long extend(FifoKeys keys, String token, long ttlMillis) {
        return jedis.extend(keys.names(), token, ttlMillis);
    }

    private static long number(Object reply) {
        return ((Number) reply).longValue();
    }
}
