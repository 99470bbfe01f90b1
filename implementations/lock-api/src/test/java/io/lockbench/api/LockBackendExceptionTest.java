package io.lockbench.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LockBackendExceptionTest {

    @Test
    void messageNamesTheAddress() {
        LockBackendException e = new LockBackendException("127.0.0.1:6390", "connection refused", null);
        assertThat(e.getMessage()).isEqualTo("connection refused [127.0.0.1:6390]");
        assertThat(e.address()).isEqualTo("127.0.0.1:6390");
    }
}
