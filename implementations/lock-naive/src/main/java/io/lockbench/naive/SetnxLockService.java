package io.lockbench.naive;

import io.lockbench.api.Lease;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import java.time.Duration;
import java.util.Optional;
import redis.clients.jedis.params.SetParams;

/**
 * {@code naive-setnx}: {@code SET key 1 NX PX ttl}, release by plain {@code DEL}, extend by plain
 * {@code PEXPIRE}. The lock most teams start with (stories "bonus" and "leak"): the value says nothing about
 * who holds the lock, so a holder whose lock expired deletes, or extends, the next holder's lock.
 */
public final class SetnxLockService extends NaiveLockService {

    /** The registered name. */
    public static final String NAME = "naive-setnx";

    /**
     * @param settings uses the first node
     */
    public SetnxLockService(LockSettings settings) {
        super(NAME, settings);
    }

    @Override
    Optional<Lease> attempt(String key, Duration ttl) {
        long sent = System.nanoTime();
        String reply = call(redis -> redis.set(key, "1", SetParams.setParams().nx().px(ttl.toMillis())));
        if (reply == null) {
            return Optional.empty();
        }
        return Optional.of(new NaiveLease(key, "1", sent, ttl) {
            @Override
            boolean extendOnServer(Duration newTtl) {
                return call(redis -> redis.pexpire(key, newTtl.toMillis())) == 1;
            }

            @Override
            ReleaseResult releaseOnServer() {
                return call(redis -> redis.del(key)) == 1 ? ReleaseResult.RELEASED : ReleaseResult.EXPIRED;
            }
        });
    }
}
