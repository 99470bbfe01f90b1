package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockbench.api.ReleaseResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LockScriptsTest {

    /**
     * The SHA1 of each script, pinned as literals (as redsync pins its scripts): a change to a script's text
     * must show up here, and the IT checks that the server computes the same hash.
     */
    static final Map<String, String> PINNED = Map.of(
            "acquire.lua", "879b6d3db809e0e32e5260701f6e4d6a8d19b8ee",
            "release.lua", "4543c1c173c01ea593a888900e2f99e2603ce21c",
            "extend.lua", "59cc65261e474b53d0eb40263d6bee88b7144bcc");

    @Test
    void everyScriptHasItsPinnedSha1() {
        for (LuaScript script : LockScripts.all()) {
            assertThat(script.sha1()).as(script.name()).isEqualTo(PINNED.get(script.name()));
        }
    }

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
