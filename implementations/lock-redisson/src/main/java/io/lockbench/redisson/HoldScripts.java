package io.lockbench.redisson;

import io.lockbench.api.ReplicaAck;
import io.lockbench.core.LuaScript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.redisson.RedissonObject;
import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.pubsub.LockPubSub;

/**
 * Release and extend of one grant of a Redisson lock, addressed by its hold field
 * {@code "<client id>:<thread id>"} rather than by the calling thread, so that any thread can run them.
 *
 * <p>Redisson's own {@code unlockAsync(threadId)} could release by thread id too, but it answers only
 * "released" or {@link IllegalMonitorStateException}, cannot tell an expired lock from one another holder
 * took, and costs a second command (it deletes an unlock-latch key after every unlock). Redisson has no
 * extend by thread id that does not re-enter the lock. Both scripts therefore act on Redisson's data
 * layout directly: the hash named after the lock, the hold field, and the release channel its waiters
 * subscribe to. Each is one round trip.
 */
final class HoldScripts {

    /** Compare-and-delete on the hold field, publishing Redisson's unlock message. */
    static final LuaScript RELEASE = LuaScript.load("/io/lockbench/redisson/release.lua");
    /** Compare-and-PEXPIRE on the hold field. */
    static final LuaScript EXTEND = LuaScript.load("/io/lockbench/redisson/extend.lua");

    /** The channel prefix of {@code RedissonLock.getChannelName()}, which is not public. */
    private static final String CHANNEL_PREFIX = "redisson_lock__channel";
    private static final String UNLOCK_MESSAGE = LockPubSub.UNLOCK_MESSAGE.toString();

    private final RedissonClient client;
    private final RScript script;
    private final String clientId;

    /**
     * @param client the client whose locks these are; its id is the first half of every hold field
     */
    HoldScripts(RedissonClient client) {
        this.client = client;
        this.script = client.getScript(StringCodec.INSTANCE);
        this.clientId = client.getId();
    }

    /**
     * The hash field Redisson stores for a holder, as {@code RedissonBaseLock.getLockName(threadId)} builds it.
     *
     * @param threadId the (synthetic) thread id the lock was taken with
     * @return {@code "<client id>:<thread id>"}
     */
    String field(long threadId) {
        return clientId + ":" + threadId;
    }

    /**
     * Deletes the lock if the grant of {@code threadId} still holds it.
     *
     * @param key the lock's name
     * @param threadId the grant's thread id
     * @return release.lua's code: 1 released, 0 expired, -1 not owner
     */
    CompletionStage<Long> release(String key, long threadId) {
        return run(RELEASE, key, field(threadId), RedissonObject.prefixName(CHANNEL_PREFIX, key), UNLOCK_MESSAGE);
    }

    /**
     * Resets the lock's ttl if the grant of {@code threadId} still holds it.
     *
     * @param key the lock's name
     * @param threadId the grant's thread id
     * @param ttl the new ttl, at least a millisecond
     * @return extend.lua's code: 1 extended, 0 expired, -1 not owner
     */
    CompletionStage<Long> extend(String key, long threadId, Duration ttl) {
        return run(EXTEND, key, field(threadId), Long.toString(ttl.toMillis()));
    }

    /**
     * What {@link #extendAcknowledged} found: extend.lua's code and {@code WAIT}'s count.
     *
     * @param code extend.lua's code: 1 extended, 0 expired, -1 not owner
     * @param acknowledged how many replicas have every write of the connection, the extend included
     */
    record Acknowledged(long code, int acknowledged) {
    }

    /**
     * Extend (a write, so it advances the primary's replication offset past the grant) and
     * {@code WAIT replicas timeout} in one Redisson batch: one connection, one round trip plus the
     * replication wait. A replica that acknowledged the extend has every earlier write of the primary, the
     * grant included, so when the extend answers 1 the count is the grant's acknowledgement. Redisson adds
     * the WAIT for {@link BatchOptions#sync} and reports its answer as {@link BatchResult#getSyncedSlaves()},
     * without judging it; no resend.
     *
     * @param key the lock's name
     * @param threadId the grant's thread id
     * @param ttl the ttl to re-arm, the grant's own
     * @param ack how many replicas to wait for, and how long
     * @return the extend's code and WAIT's count
     */
    CompletionStage<Acknowledged> extendAcknowledged(String key, long threadId, Duration ttl, ReplicaAck ack) {
        List<Object> keys = List.of(key);
        Object[] args = {field(threadId), Long.toString(ttl.toMillis())};
        return EXTEND.runAsync(
                sha1 -> acknowledged(ack, batch -> batch.getScript(StringCodec.INSTANCE).<Long>evalShaAsync(key,
                        RScript.Mode.READ_WRITE, sha1, RScript.ReturnType.LONG, keys, args)),
                source -> acknowledged(ack, batch -> batch.getScript(StringCodec.INSTANCE).<Long>evalAsync(key,
                        RScript.Mode.READ_WRITE, source, RScript.ReturnType.LONG, keys, args)));
    }

    private CompletionStage<Acknowledged> acknowledged(ReplicaAck ack, Function<RBatch, RFuture<Long>> extend) {
        RBatch batch = client.createBatch(BatchOptions.defaults()
                .sync(ack.replicas(), Duration.ofMillis(ack.timeoutMillis()))
                .retryAttempts(0));
        RFuture<Long> code = extend.apply(batch);
        return batch.executeAsync().thenCombine(code, (result, extended) ->
                new Acknowledged(extended, result.getSyncedSlaves()));
    }

    private CompletionStage<Long> run(LuaScript lua, String key, Object... args) {
        List<Object> keys = List.of(key);
        return lua.runAsync(
                sha1 -> script.<Long>evalShaAsync(key, RScript.Mode.READ_WRITE, sha1, RScript.ReturnType.LONG, keys, args),
                source -> script.<Long>evalAsync(key, RScript.Mode.READ_WRITE, source, RScript.ReturnType.LONG, keys, args));
    }
}
