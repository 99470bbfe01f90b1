package io.lockbench.scenario;

import io.lockbench.api.Capability;
import io.lockbench.api.LockServices;
import io.lockbench.fixture.FreezableLockService;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Story 4, "ordered consumer by leader lock": two pods compete for one lock; the leader consumes messages. Two
 * faults, each in a run of its own: the leader is killed (its connections close, nothing is released), and the
 * leader is paused past the ttl (its client and threads stall), then resumed and watched for a while. Measured:
 * the failover time (from the fault to the other pod's first message) and the time with two leaders.
 *
 * <p>The naive setup is the story's code ({@link BareRenewalPod}: renew with a bare {@code PEXPIRE}, retry every
 * renewal interval): the paused ex-leader wakes, renews a lock that now belongs to the other pod and goes on
 * consuming, so both lead. The fix ({@link ElectedPod}: {@link io.lockbench.api.LeaderElection}, owner-checked
 * renewal) has no time with two leaders. A setup counts as correct when its service declares
 * {@link Capability#FENCING}. Each timing (the story's 30 s ttl, and a short one) is a variant.
 */
public final class LeaderScenario implements Scenario {

    /**
     * How long things take.
     *
     * @param ttl the leader lock's ttl
     * @param renewEvery how often the leader renews
     * @param retryEvery how often the naive followers try to take the lock
     * @param consumeEvery how often the leader consumes a message
     * @param watchAfterResume how long the resumed ex-leader is watched
     */
    public record Timing(Duration ttl, Duration renewEvery, Duration retryEvery, Duration consumeEvery,
                         Duration watchAfterResume) {

        /** @return the story's: ttl 30 s, renewal and retry every 10 s */
        public static Timing story() {
            return new Timing(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10),
                    Duration.ofMillis(100), Duration.ofSeconds(5));
        }

        /** @return the same with a short ttl: 2 s, renewal and retry every 700 ms */
        public static Timing shortTtl() {
            return new Timing(Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofMillis(700),
                    Duration.ofMillis(50), Duration.ofMillis(1500));
        }

        /** @return the variant label, such as {@code ttl=30s} */
        String label() {
            return "ttl=" + Durations.label(ttl);
        }

        /** @return how long a new leader may take at most: a ttl, a retry, and slack for a loaded machine */
        Duration failoverCap() {
            return ttl.plus(retryEvery).plus(ttl.dividedBy(2)).plusSeconds(2);
        }
    }

    /** What one fault did. */
    private record Fault(boolean correct, boolean failedOver, double failoverSeconds, double twoLeaderSeconds,
                         long staleMessages, long staleRenewals) {
    }

    static final String ID = "leader";
    private static final String LEADER = "pod-1";
    private static final String FOLLOWER = "pod-2";

    private final List<Timing> timings;

    /**
     * @param timings one variant per timing, such as the story's and a short one
     */
    public LeaderScenario(Timing... timings) {
        this.timings = List.of(timings);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "two leaders: the leader is killed, or paused past its ttl and resumed ("
                + String.join(", ", timings.stream().map(t -> t.label() + "/renew "
                + Durations.label(t.renewEvery())).toList()) + ")";
    }

    @Override
    public List<String> defaultImplementations() {
        return List.of("naive-pexpire", "jedis", "lettuce", "redisson");
    }

    @Override
    public List<ScenarioResult> run(List<String> implementations, ScenarioEnvironment environment)
            throws InterruptedException {
        List<SideBySide.Run<ScenarioResult>> runs = new ArrayList<>();
        for (String impl : implementations) {
            for (Timing timing : timings) {
                runs.add(() -> List.of(runVariant(impl, timing, environment)));
            }
        }
        return SideBySide.run(runs);
    }

    private ScenarioResult runVariant(String impl, Timing timing, ScenarioEnvironment environment)
            throws Exception {
        List<SideBySide.Run<Fault>> faults = List.of(() -> List.of(fault(impl, timing, true, environment)),
                () -> List.of(fault(impl, timing, false, environment)));
        List<Fault> both = SideBySide.run(faults);
        Fault kill = both.get(0);
        Fault pause = both.get(1);
        boolean correct = kill.correct();
        String v = timing.label() + ":";
        double twoLeaders = kill.twoLeaderSeconds() + pause.twoLeaderSeconds();
        List<Outcome> outcomes = List.of(
                new Outcome(ID, impl, v + "failover_kill", kill.failoverSeconds(), "s"),
                new Outcome(ID, impl, v + "failover_pause", pause.failoverSeconds(), "s"),
                new Outcome(ID, impl, v + "two_leaders", twoLeaders, "s"),
                new Outcome(ID, impl, v + "stale_messages", pause.staleMessages(), "count"),
                new Outcome(ID, impl, v + "stale_renewals", pause.staleRenewals(), "count"));
        boolean noFailover = !kill.failedOver() || !pause.failedOver();
        String headline = String.format(Locale.ROOT, "two leaders for %.1f s of %s watched; resumed ex-leader: %d"
                        + " messages, %d renewals%s", twoLeaders, Durations.label(timing.watchAfterResume()),
                pause.staleMessages(), pause.staleRenewals(), noFailover ? "; NO new leader within "
                        + Durations.label(timing.failoverCap()) : "");
        return new ScenarioResult(ID, impl, timing.label(), !correct, twoLeaders > 0 || (correct && noFailover),
                outcomes, headline);
    }

    private Fault fault(String impl, Timing timing, boolean kill, ScenarioEnvironment environment)
            throws InterruptedException {
        LeaderLog log = new LeaderLog(timing.consumeEvery().toNanos());
        try (RedisNodes redis = environment.startRedis();
             Pod leader = pod(impl, LEADER, redis, log, timing);
             Pod follower = pod(impl, FOLLOWER, redis, log, timing)) {
            leader.start();
            long started = System.nanoTime();
            if (await(log, LEADER, started, timing.failoverCap()).isEmpty()) {
                throw new IllegalStateException(impl + ": " + LEADER + " never became the leader");
            }
            follower.start();
            // The follower has made its first attempt once it has had a consume interval to run.
            TimeUnit.NANOSECONDS.sleep(timing.consumeEvery().multipliedBy(2).toNanos());
            environment.progress(ID, impl, timing.label() + ": leader " + (kill ? "killed" : "paused")
                    + ", waiting for the follower to take over (up to " + Durations.label(timing.failoverCap())
                    + ")");
            long faultAt = System.nanoTime();
            if (kill) {
                leader.kill();
            } else {
                leader.pause();
            }
            OptionalLong takeover = await(log, FOLLOWER, faultAt, timing.failoverCap());
            double failover = (takeover.orElse(System.nanoTime()) - faultAt) / 1e9;
            environment.progress(ID, impl, timing.label() + ": " + (takeover.isPresent() ? "the follower leads "
                    + Durations.seconds(failover) + " after the " + (kill ? "kill" : "pause") : "no new leader")
                    + (kill ? "" : "; resuming the ex-leader for " + Durations.label(timing.watchAfterResume())));
            long staleMessages = 0;
            long staleRenewals = 0;
            if (!kill) {
                long renewalsBefore = leader.renewalsConfirmed();
                long resumedAt = System.nanoTime();
                leader.resume();
                TimeUnit.NANOSECONDS.sleep(timing.watchAfterResume().toNanos());
                staleMessages = log.countFrom(LEADER, resumedAt);
                staleRenewals = Math.max(0, leader.renewalsConfirmed() - renewalsBefore);
            }
            double twoLeaders = log.twoLeaderNanos(LEADER, FOLLOWER) / 1e9;
            return new Fault(leader.client.capabilities().contains(Capability.FENCING), takeover.isPresent(), failover, twoLeaders, staleMessages, staleRenewals);
        }
    }

    private static Pod pod(String impl, String id, RedisNodes redis, LeaderLog log, Timing timing) {
        FreezableLockService client = new FreezableLockService(LockServices.create(impl, redis.settings()));
        String key = redis.keyPrefix() + "svc_lockmq";
        return client.capabilities().contains(Capability.FENCING)
                ? new ElectedPod(id, client, log, key, timing)
                : new BareRenewalPod(id, client, log, key, timing);
    }

    /** Waits for {@code who}'s first message at or after {@code since}. */
    private static OptionalLong await(LeaderLog log, String who, long since, Duration cap) throws InterruptedException {
        long deadline = System.nanoTime() + cap.toNanos();
        while (true) {
            OptionalLong first = log.firstAt(who, since);
            if (first.isPresent() || System.nanoTime() - deadline > 0) {
                return first;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
