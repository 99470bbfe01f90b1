package io.lockbench.core;

import java.util.List;

/**
 * The three scripts every Lua-based implementation runs. Each costs one round trip. Headers of the
 * {@code .lua} files give KEYS, ARGV and return codes.
 */
public final class LockScripts {

    /** SET NX PX our token and INCR the fencing counter; or report our own hold; or the remaining PTTL. */
    public static final LuaScript ACQUIRE = LuaScript.load("acquire.lua");
    /** Compare-and-delete, PUBLISHing on the release channel. */
    public static final LuaScript RELEASE = LuaScript.load("release.lua");
    /** Compare-and-PEXPIRE. */
    public static final LuaScript EXTEND = LuaScript.load("extend.lua");

    /** acquire.lua's first reply element: acquired now. */
    public static final long ACQUIRED = 1;
    /** acquire.lua's first reply element: already held with our token. */
    public static final long ALREADY_OURS = 2;
    /** acquire.lua's first reply element: held by another owner; the second element is its PTTL. */
    public static final long HELD = 0;

    private LockScripts() {
    }

    /** @return every script, for SCRIPT LOAD and for the SHA1 pinning test */
    public static List<LuaScript> all() {
        return List.of(ACQUIRE, RELEASE, EXTEND);
    }

    /**
     * Maps release.lua's and extend.lua's reply code to a release result.
     *
     * @param code 1, 0 or -1
     * @return RELEASED, EXPIRED or NOT_OWNER
     */
    public static io.lockbench.api.ReleaseResult releaseResult(long code) {
        if (code == 1) {
            return io.lockbench.api.ReleaseResult.RELEASED;
        }
        if (code == 0) {
            return io.lockbench.api.ReleaseResult.EXPIRED;
        }
        if (code == -1) {
            return io.lockbench.api.ReleaseResult.NOT_OWNER;
        }
        throw new IllegalStateException("release.lua answered " + code + ", expected 1, 0 or -1");
    }
}
