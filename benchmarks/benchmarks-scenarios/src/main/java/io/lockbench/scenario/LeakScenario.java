package io.lockbench.scenario;

import io.lockbench.api.Capability;
import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;
import io.lockbench.fixture.NodeProxy;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * Story 3, "lock leaked for two hours": a user's lock is taken with the user's long ttl, the request reaches
 * the server and runs, but its reply is lost (the proxy drops replies), so the acquire times out on the client.
 * The network then heals, and the scenario watches the key on a direct connection until it is free or a cap
 * passes: that is how long the user stays locked out.
 *
 * <p>The naive setup ({@code naive-timeout-is-failure}: a timeout read as "not acquired") never releases the key
 * it wrote: the user is locked out for the whole ttl (watched up to the cap, then the ttl the server still holds
 * is added, since nobody holds a lease that could release it). The correct ones resolve the ambiguous acquire
 * with a compare-and-delete by their token: the key is gone within about a round trip of the server answering
 * again (often before, since the compare-and-delete sent while replies were dropped runs too). A setup counts as
 * correct when its service declares {@link Capability#FENCING}.
 */
public final class LeakScenario implements Scenario {

    /**
     * How long things take.
     *
     * @param userTtl the ttl the user's lock is taken with (2 h in the story)
     * @param commandTimeout the client's command timeout: when the acquire gives up waiting for its reply
     * @param cap how long the key is watched at most
     */
    public record Timing(Duration userTtl, Duration commandTimeout, Duration cap) {

        /** @return the story's 2 h ttl, a 500 ms command timeout, watched for 10 s */
        public static Timing story() {
            return new Timing(Duration.ofHours(2), Duration.ofMillis(500), Duration.ofSeconds(10));
        }
    }

    static final String ID = "leak";
    private static final long POLL_MILLIS = 2;

    private final Timing timing;

    /**
     * @param timing the ttl, timeout and cap
     */
    public LeakScenario(Timing timing) {
        this.timing = timing;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "lock leaked: an acquire (" + Durations.label(timing.userTtl())
                + " ttl) runs but its reply is lost; how long is the user locked out? (watched up to "
                + Durations.label(timing.cap()) + ")";
    }

    @Override
    public List<String> defaultImplementations() {
        return List.of("naive-timeout-is-failure", "jedis", "lettuce", "redisson");
    }

    @Override
    public List<ScenarioResult> run(List<String> implementations, ScenarioEnvironment environment)
            throws InterruptedException {
        List<SideBySide.Run<ScenarioResult>> runs = new ArrayList<>();
        for (String impl : implementations) {
            runs.add(() -> List.of(runOne(impl, environment)));
        }
        return SideBySide.run(runs);
    }

    private ScenarioResult runOne(String impl, ScenarioEnvironment environment) throws InterruptedException {
        try (RedisNodes redis = environment.startRedis()) {
            RedisNode node = redis.node(0);
            NodeProxy proxy = node.proxy();
            String key = redis.keyPrefix() + "user:42:lock";
            LockSettings throughProxy = new LockSettings(List.of(proxy.uri()), timing.commandTimeout());
            try (LockService user = LockServices.create(impl, throughProxy);
                 Jedis watcher = direct(node.uri())) {
                boolean correct = user.capabilities().contains(Capability.FENCING);
                user.tryAcquire(redis.keyPrefix() + "warm-up", timing.userTtl()).ifPresent(Lease::close);
                environment.progress(ID, impl, "acquire with the reply dropped, then watching the key");
                String answer = ambiguousAcquire(user, proxy, key);
                long answersAgain = System.nanoTime();
                boolean free = awaitFree(watcher, key);
                double watched = seconds(System.nanoTime() - answersAgain);
                double ttlLeft = free ? 0 : Math.max(0, watcher.pttl(key)) / 1000.0;
                return result(impl, correct, answer, free, watched, ttlLeft);
            } finally {
                node.call(jedis -> jedis.del(key));
            }
        }
    }

    /** The acquire whose request runs but whose reply never comes back. */
    private String ambiguousAcquire(LockService user, NodeProxy proxy, String key) {
        proxy.dropResponses(true);
        try {
            Optional<Lease> lease = user.tryAcquire(key, timing.userTtl());
            lease.ifPresent(Lease::close);
            return lease.isPresent() ? "acquired" : "not acquired";
        } catch (LockBackendException e) {
            return "timed out";
        } finally {
            proxy.dropResponses(false);
        }
    }

    private boolean awaitFree(Jedis watcher, String key) throws InterruptedException {
        long deadline = System.nanoTime() + timing.cap().toNanos();
        while (watcher.exists(key)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return true;
    }

    private ScenarioResult result(String impl, boolean correct, String answer, boolean free, double watched,
                                  double ttlLeft) {
        double lockedOut = free ? watched : watched + ttlLeft;
        List<Outcome> outcomes = List.of(
                new Outcome(ID, impl, "user_ttl", timing.userTtl().toSeconds(), "s"),
                new Outcome(ID, impl, "locked_out", lockedOut, "s"),
                new Outcome(ID, impl, "locked_at_cap", free ? 0 : 1, "count"),
                new Outcome(ID, impl, "watch_cap", timing.cap().toMillis() / 1000.0, "s"));
        String headline = free
                ? "acquire " + answer + "; key free " + Durations.seconds(watched) + " after the server answered again"
                : "acquire " + answer + "; key held at the " + Durations.label(timing.cap()) + " cap, "
                        + Durations.seconds(ttlLeft) + " left: locked out for the ttl";
        return new ScenarioResult(ID, impl, "", !correct, !free, outcomes, headline);
    }

    private Jedis direct(URI uri) {
        return DataLink.open(uri, Duration.ofSeconds(2).plus(timing.commandTimeout().multipliedBy(4)));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
