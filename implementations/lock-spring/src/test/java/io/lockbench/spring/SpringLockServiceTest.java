package io.lockbench.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.Capability;
import io.lockbench.api.LockService;
import io.lockbench.api.LockServices;
import io.lockbench.api.LockSettings;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the adapter decides before it talks to a server: names, capabilities, refused settings. */
class SpringLockServiceTest {

    /** Nothing listens here; the registry connects on first use only. */
    private static final LockSettings NOWHERE = LockSettings.of(URI.create("redis://127.0.0.1:1"));

    @Test
    void bothTypesAreRegisteredByName() {
        assertThat(LockServices.names()).contains("spring-spin", "spring-pubsub");
        for (SpringLockType type : SpringLockType.values()) {
            try (LockService service = LockServices.create(type.implementation(), NOWHERE)) {
                assertThat(service.name()).isEqualTo(type.implementation());
                assertThat(service.capabilities()).as("declared honestly: reentrant per thread, on a cluster too,"
                        + " no fencing, no release from another thread").containsExactlyInAnyOrder(Capability.REENTRANT,
                        Capability.CLUSTER);
                assertThat(LockServices.provider(type.implementation()).lockKey("order:42"))
                        .as("the registry prefixes its locks")
                        .isEqualTo("lockbench-spring:order:42");
            }
        }
    }

    @Test
    void nullArgumentsAndReplicaAcknowledgementAreRefused() {
        assertThatThrownBy(() -> new SpringLockService(null, NOWHERE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
        assertThatThrownBy(() -> new SpringLockService(SpringLockType.SPIN, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("settings");
        assertThatThrownBy(() -> new SpringLockService(SpringLockType.PUB_SUB,
                NOWHERE.withReplicaAck(1, Duration.ofMillis(100))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicaAck");
    }
}
