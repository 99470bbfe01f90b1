package io.lockbench.naive;

import io.lockbench.api.Lease;
import io.lockbench.api.LockSettings;
import io.lockbench.api.ReleaseResult;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code naive-setnx-expire}: {@code SETNX key 1}, then {@code PEXPIRE key ttl} as a second command; release
 * by plain {@code DEL}, extend by plain {@code PEXPIRE}. Story "leak" in its worst form: when the client
 * crashes, or a command times out, after {@code SETNX} has run and before the {@code PEXPIRE} has, the key is
 * left with no ttl at all, and the lock is held forever by nobody. It is the code written before Redis 2.6.12
 * gave {@code SET} its {@code NX} and {@code PX} options, still copied today.
 *
 * <p>The value is the constant {@code "1"}, as in that code (its other common form stores a timestamp, which
 * identifies no owner either): this lock cannot tell its own key from the next holder's, so it releases with a
 * bare {@code DEL}, which a holder whose lock expired aims at whoever holds it now. A random token would only
 * matter with an owner-checked release, which this code never had. The ttl is set with {@code PEXPIRE}
 * rather than the usual {@code EXPIRE} so that sub-second ttls keep their meaning; the gap between the two
 * commands is the same.
 */
public final class SetnxThenExpireLockService extends NaiveLockService {

    /** The registered name. */
    public static final String NAME = "naive-setnx-expire";

    private static final String VALUE = "1";

    /**
     * @param settings uses the first node
     */
    public SetnxThenExpireLockService(LockSettings settings) {
        super(NAME, settings);
    }

    @Override
    Optional<Lease> attempt(String key, Duration ttl) {
        long sent = System.nanoTime();
        if (call(redis -> redis.setnx(key, VALUE)) == 0) {
            return Optional.empty();
        }
        // The anti-pattern: the key exists, ttl-less, until this second round trip succeeds. A failure here
        // propagates and nothing removes the key.
        call(redis -> redis.pexpire(key, ttl.toMillis()));
        return Optional.of(new NaiveLease(key, VALUE, sent, ttl) {
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
