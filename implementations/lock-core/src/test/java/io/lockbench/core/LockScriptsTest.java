package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.ReleaseResult;
import org.junit.jupiter.api.Test;

class LockScriptsTest {

    @Test
    void releaseCodesMapToResults() {
        assertThat(LockScripts.releaseResult(1)).isEqualTo(ReleaseResult.RELEASED);
        assertThat(LockScripts.releaseResult(0)).isEqualTo(ReleaseResult.EXPIRED);
        assertThat(LockScripts.releaseResult(-1)).isEqualTo(ReleaseResult.NOT_OWNER);
        assertThatThrownBy(() -> LockScripts.releaseResult(2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void scriptsAreLoadedWithAHeaderAndASha1() {
        assertThat(LockScripts.all()).extracting(LuaScript::name)
                .containsExactly("acquire.lua", "release.lua", "extend.lua");
        for (LuaScript script : LockScripts.all()) {
            assertThat(script.source()).startsWith("--").contains("KEYS[1]").contains("Returns");
            assertThat(script.sha1()).matches("[0-9a-f]{40}");
        }
    }
}
