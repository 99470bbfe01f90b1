package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class LockServicesTest {

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> LockServices.create("no-such-lock", LockSettings.of(URI.create("redis://h:1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-lock").hasMessageContaining("known");
    }
}
