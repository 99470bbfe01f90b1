package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Argument checks of {@link LeaderElection}; its behaviour against real Redis is in LeaderElectionContract. */
class LeaderElectionTest {

    /** Never asked for a lock: the builder only reads its maximum ttl. */
    private static final LockService UNUSED = new LockService() {
        @Override
        public String name() {
            return "unused";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Duration maxTtl() {
            return Duration.ofMinutes(1);
        }

        @Override
        public Optional<Lease> tryAcquire(String key, Duration ttl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Lease> acquire(String key, Duration ttl, Duration maxWait) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    };

    private static final LeaderCallbacks NOTHING = LeaderCallbacks.of(lease -> { }, reason -> { });

    @Test
    void builderArgumentsAreCheckedAndNamed() {
        assertIllegal("service", () -> LeaderElection.builder(null, "k"));
        assertIllegal("key", () -> LeaderElection.builder(UNUSED, null));
        assertIllegal("key", () -> LeaderElection.builder(UNUSED, " "));
        LeaderElection.Builder builder = LeaderElection.builder(UNUSED, "k");
        assertIllegal("ttl", () -> builder.ttl(null));
        assertIllegal("ttl", () -> builder.ttl(Duration.ZERO));
        assertIllegal("ttl", () -> builder.ttl(Duration.ofMinutes(2)));
        assertIllegal("renewEvery", () -> builder.renewEvery(null));
        assertIllegal("renewEvery", () -> builder.renewEvery(Duration.ZERO));
        assertIllegal("renewEvery", () -> builder.renewEvery(Duration.ofMillis(-5)));
        assertIllegal("renewal", () -> builder.renewal(null));
        assertIllegal("participantId", () -> builder.participantId(""));
        assertIllegal("callbacks", () -> builder.callbacks(null));
        assertIllegal("callbacks", builder::start);
        assertIllegal("renewEvery", () -> LeaderElection.builder(UNUSED, "k").ttl(Duration.ofSeconds(1))
                .renewEvery(Duration.ofSeconds(1)).callbacks(NOTHING).start());
    }

    @Test
    void callbacksFromLambdasCheckTheirArguments() {
        assertIllegal("onElected", () -> LeaderCallbacks.of(null, reason -> { }));
        assertIllegal("onRevoked", () -> LeaderCallbacks.of(lease -> { }, null));
    }

    @Test
    void renewalFailuresMapToRevocationReasons() {
        assertThat(RevocationReason.of(RenewalFailure.REFUSED)).isEqualTo(RevocationReason.LOST);
        assertThat(RevocationReason.of(RenewalFailure.LATE)).isEqualTo(RevocationReason.RENEWAL_FAILED);
        assertThat(RevocationReason.of(RenewalFailure.EXPIRED)).isEqualTo(RevocationReason.RENEWAL_FAILED);
        assertThat(RevocationReason.of(RenewalFailure.FAILED)).isEqualTo(RevocationReason.RENEWAL_FAILED);
    }

    private static void assertIllegal(String argument, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(argument + ":");
    }
}
