package io.lockbench.naive;

import io.lockbench.api.Lease;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.params.SetParams;

/**
 * {@code naive-pexpire}: a random owner token as the value, but renewal by a bare {@code PEXPIRE} and a
 * release that checks the token with {@code GET} and then {@code DEL}s in a second round trip. Story
 * "leader": a paused ex-leader's renewal extends whoever holds the lock now; and the lock can pass to
 * someone else between the GET and the DEL, which then deletes the new owner's lock.
 */
public final class UncheckedRenewalLockService extends NaiveLockService {

    /** The registered name. */
    public static final String NAME = "naive-pexpire";

    /**
     * @param settings uses the first node
     */
    public UncheckedRenewalLockService(LockSettings settings) {
        super(NAME, settings);
    }

    @Override
    Optional<Lease> attempt(String key, Duration ttl) {
        String token = UUID.randomUUID().toString();
        long sent = System.nanoTime();
        String reply = call(redis -> redis.set(key, token, SetParams.setParams().nx().px(ttl.toMillis())));
        if (reply == null) {
            return Optional.empty();
        }
        return Optional.of(new NaiveLease(key, token, sent, ttl) {
            @Override
            boolean extendOnServer(Duration newTtl) {
                return call(redis -> redis.pexpire(key, newTtl.toMillis())) == 1;
            }

            @Override
            ReleaseResult releaseOnServer() {
                String holder = call(redis -> redis.get(key));
                if (holder == null) {
                    return ReleaseResult.EXPIRED;
                }
                if (!holder.equals(token)) {
                    return ReleaseResult.NOT_OWNER;
                }
                call(redis -> redis.del(key));
                return ReleaseResult.RELEASED;
            }
        });
    }
}
