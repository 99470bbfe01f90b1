package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** lock-api has no provider on its test classpath: every name is unknown here. */
class LockServicesTest {

    private static final LockSettings SETTINGS = LockSettings.of(URI.create("redis://h:1"));

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> LockServices.create("no-such-lock", SETTINGS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("name:").hasMessageContaining("no-such-lock").hasMessageContaining("known");
    }

    @Test
    void nullArgumentsAreIllegalAndNamed() {
        assertThatThrownBy(() -> LockServices.create(null, SETTINGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> LockServices.provider(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> LockServices.create("jedis", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("settings:");
    }

    @Test
    void clusterSettingsAreValidatedBeforeAnyProviderIsAsked() {
        assertThatThrownBy(() -> LockServices.create("no-such-lock",
                LockSettings.of(URI.create("redis-cluster://h:1,h:2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
    }
}
