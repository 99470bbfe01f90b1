package io.lockbench.core;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The Redis names behind one lock: the lock key, its fencing counter and its release channel. All three
 * share one hash tag so that a script touching them runs on one Redis Cluster slot.
 *
 * <p>The tag is the user's key itself, or its hex form when it contains a brace (a brace would end the tag
 * early and split the keys across slots) or starts with {@code hex-} (so that no plain key can equal
 * another key's hex form and share its lock).
 *
 * @param lock the key holding the owner token, {@code lock:{tag}}
 * @param fence the fencing counter, {@code lock:{tag}:fence}
 * @param channel the release channel, {@code lock:{tag}:released}
 */
public record LockKeys(String lock, String fence, String channel) {

    /** Prefix of every key and channel the Lua-based implementations create. */
    public static final String PREFIX = "lock:";

    private static final String HEX = "hex-";

    /**
     * @param key the user's lock name (already validated)
     * @return the names
     */
    public static LockKeys of(String key) {
        String tag = key.indexOf('{') >= 0 || key.indexOf('}') >= 0 || key.startsWith(HEX)
                ? HEX + HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8))
                : key;
        String lock = PREFIX + "{" + tag + "}";
        return new LockKeys(lock, lock + ":fence", lock + ":released");
    }
}
