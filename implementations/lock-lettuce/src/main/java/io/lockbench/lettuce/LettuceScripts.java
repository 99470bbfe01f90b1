package io.lockbench.lettuce;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lockbench.api.LockBackendException;
import io.lockbench.core.LockKeys;
import io.lockbench.core.LockScripts;
import io.lockbench.core.LuaScript;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The three lock scripts as calls on one {@link RedisLink} (standalone or cluster alike), each one round
 * trip, two when the server lost its script cache. Every call returns at once; replies complete the stages
 * on Lettuce's threads.
 */
final class LettuceScripts {

    /**
     * What acquire.lua answered: a code of {@link LockScripts} and the fencing token or the holder's PTTL,
     * and WAIT's count of replicas that have the write (-1 when no WAIT was sent).
     */
    record AcquireReply(long code, long value, long acknowledged) {
    }

    private final RedisLink link;

    /**
     * @param link the connections the scripts run on
     */
    LettuceScripts(RedisLink link) {
        this.link = link;
    }

    /** @return host:port of the server (or the cluster's seeds), for error messages */
    String address() {
        return link.address();
    }

    /**
     * @param keys the lock's names
     * @param token our owner token
     * @param ttlMillis the lock's ttl
     * @return acquire.lua's reply
     */
    CompletionStage<AcquireReply> acquire(LockKeys keys, String token, long ttlMillis) {
        CompletionStage<List<Object>> reply = run(LockScripts.ACQUIRE, ScriptOutputType.MULTI,
                new String[] {keys.lock(), keys.fence()}, token, Long.toString(ttlMillis));
        return reply.thenApply(answer -> new AcquireReply((Long) answer.get(0), (Long) answer.get(1), -1));
    }

    /**
     * acquire.lua with {@code WAIT replicas timeoutMillis} sent right behind it on the same connection.
     *
     * @param keys the lock's names
     * @param token our owner token
     * @param ttlMillis the lock's ttl
     * @param replicas WAIT's replica count
     * @param timeoutMillis WAIT's timeout
     * @return acquire.lua's reply with WAIT's count
     */
    CompletionStage<AcquireReply> acquire(LockKeys keys, String token, long ttlMillis, int replicas,
                                          long timeoutMillis) {
        String[] names = {keys.lock(), keys.fence()};
        String ttl = Long.toString(ttlMillis);
        CompletionStage<RedisLink.Acknowledged<List<Object>>> reply = LockScripts.ACQUIRE.runAsync(
                sha1 -> link.evalshaThenWait(sha1, ScriptOutputType.MULTI, names, replicas, timeoutMillis, token, ttl),
                source -> link.evalThenWait(source, ScriptOutputType.MULTI, names, replicas, timeoutMillis, token, ttl));
        return reply.thenApply(answer -> new AcquireReply((Long) answer.reply().get(0), (Long) answer.reply().get(1),
                answer.acknowledged()));
    }

    /**
     * Compare-and-delete by our token, announcing the release on the key's channel.
     *
     * @param keys the lock's names
     * @param token our owner token
     * @return release.lua's code: 1 released, 0 gone, -1 held by another owner
     */
    CompletionStage<Long> release(LockKeys keys, String token) {
        return run(LockScripts.RELEASE, ScriptOutputType.INTEGER, new String[] {keys.lock()}, token, keys.channel());
    }

    /**
     * Compare-and-PEXPIRE by our token.
     *
     * @param keys the lock's names
     * @param token our owner token
     * @param ttlMillis the new ttl
     * @return extend.lua's code: 1 extended, 0 gone, -1 held by another owner
     */
    CompletionStage<Long> extend(LockKeys keys, String token, long ttlMillis) {
        return run(LockScripts.EXTEND, ScriptOutputType.INTEGER, new String[] {keys.lock()}, token,
                Long.toString(ttlMillis));
    }

    /**
     * Whether a failed call may have run on the server: only an error reply proves it did not (the server
     * refused the script). A timeout, a dropped connection or a closed client may hide a success.
     *
     * @param error what the call's stage failed with
     * @return false only for an error reply
     */
    static boolean mayHaveRun(Throwable error) {
        return !(unwrap(error) instanceof RedisCommandExecutionException);
    }

    /**
     * @param what the operation, such as {@code acquire of 'orders'}
     * @param error what the call's stage failed with
     * @return the exception callers get, naming the server
     */
    LockBackendException failure(String what, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof LockBackendException backend) {
            return backend;
        }
        return new LockBackendException(link.address(), what + " failed: " + cause, cause);
    }

    /**
     * Waits for a stage as the synchronous API does: its value, or its failure rethrown unwrapped. Not
     * interruptible: every stage of a script call ends within the command timeout.
     *
     * @param stage a stage of this service
     * @param <T> the value type
     * @return the value
     */
    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private <T> CompletionStage<T> run(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return script.runAsync(sha1 -> link.evalsha(sha1, type, keys, args),
                source -> link.eval(source, type, keys, args));
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
