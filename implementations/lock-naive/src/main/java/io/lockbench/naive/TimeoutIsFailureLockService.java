package io.lockbench.naive;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import io.lockbench.core.LockScripts;
import io.lockbench.core.LuaScript;
import io.lockbench.core.OwnerTokens;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.params.SetParams;

/**
 * {@code naive-timeout-is-failure}: story "leak" exactly. {@code SET key token NX PX ttl} with a random owner
 * token, and when the reply does not arrive within the command timeout the attempt counts as "not acquired":
 * {@link #tryAcquire} returns empty and nothing is cleaned up. The request may well have run, and then the key
 * stays held, by no lease anyone has, for the whole ttl the caller asked for (two hours in the story).
 *
 * <p>Everything else is done right, so that the ambiguous timeout is the only defect: a 128-bit token per
 * grant, and release and extend by the shared compare-and-act scripts ({@code release.lua},
 * {@code extend.lua}), which never touch another owner's lock. Only a read timeout is taken for "not
 * acquired"; a server that cannot be reached at all is still a {@link LockBackendException}, since the
 * request never left.
 */
public final class TimeoutIsFailureLockService extends NaiveLockService {

    /** The registered name. */
    public static final String NAME = "naive-timeout-is-failure";

    /**
     * @param settings uses the first node
     */
    public TimeoutIsFailureLockService(LockSettings settings) {
        super(NAME, settings);
    }

    @Override
    Optional<Lease> attempt(String key, Duration ttl) {
        String token = OwnerTokens.next();
        long sent = System.nanoTime();
        String reply;
        try {
            reply = call(redis -> redis.set(key, token, SetParams.setParams().nx().px(ttl.toMillis())));
        } catch (LockBackendException e) {
            if (replyTimedOut(e)) {
                // The bug: a timeout says nothing about whether the SET ran, yet it is read as "the key was
                // held". The fix resolves it (GET and compare the token, or release by token).
                return Optional.empty();
            }
            throw e;
        }
        if (reply == null) {
            return Optional.empty();
        }
        List<String> keys = List.of(key);
        return Optional.of(new NaiveLease(key, token, sent, ttl) {
            @Override
            boolean extendOnServer(Duration newTtl) {
                List<String> args = List.of(token, Long.toString(newTtl.toMillis()));
                return runScript(LockScripts.EXTEND, keys, args) == 1;
            }

            @Override
            ReleaseResult releaseOnServer() {
                // Nobody subscribes to the channel (the naive wait polls); release.lua wants one anyway.
                List<String> args = List.of(token, key + ":released");
                return LockScripts.releaseResult(runScript(LockScripts.RELEASE, keys, args));
            }
        });
    }

    private long runScript(LuaScript script, List<String> keys, List<String> args) {
        return call(redis -> (Long) script.run(sha1 -> redis.evalsha(sha1, keys, args),
                source -> redis.eval(source, keys, args)));
    }

    private static boolean replyTimedOut(LockBackendException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
