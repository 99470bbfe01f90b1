package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.util.JedisClusterCRC16;

class LockKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"orders", "a", "user:42", "{orders}", "a{b}c", "{", "}", "}{", "{}", "a{}b",
            "{{x}}", "x}y{z", "ключ", "hex-6f", "with space", "lbt:5f3a9c01:handoff:3"})
    void lockFenceAndChannelShareOneHashSlot(String key) {
        LockKeys keys = LockKeys.of(key);
        int slot = JedisClusterCRC16.getSlot(keys.lock());
        assertThat(JedisClusterCRC16.getSlot(keys.fence())).as("fence slot of %s", keys.fence()).isEqualTo(slot);
        assertThat(JedisClusterCRC16.getSlot(keys.channel())).as("channel slot of %s", keys.channel()).isEqualTo(slot);
    }

    @Test
    void namesKeepThePlainKeyReadable() {
        LockKeys keys = LockKeys.of("orders");
        assertThat(keys.lock()).isEqualTo("lock:{orders}");
        assertThat(keys.fence()).isEqualTo("lock:{orders}:fence");
        assertThat(keys.channel()).isEqualTo("lock:{orders}:released");
    }

    @Test
    void aKeyWithABraceIsTaggedByItsHexForm() {
        LockKeys keys = LockKeys.of("a{b}c");
        assertThat(keys.lock()).isEqualTo("lock:{hex-617b627d63}");
        assertThat(keys.lock().chars().filter(c -> c == '{').count()).isEqualTo(1);
    }

    @Test
    void differentKeysNeverShareALock() {
        List<String> userKeys = List.of("a{", "hex-617b", "orders", "{orders}", "hex-7b6f72646572737d", "a", "A",
                "a}", "hex-617d", "hex-");
        Map<String, String> byLock = new HashMap<>();
        for (String key : userKeys) {
            String clash = byLock.put(LockKeys.of(key).lock(), key);
            assertThat(clash).as("'%s' and '%s' map to the same lock %s", clash, key, LockKeys.of(key).lock()).isNull();
        }
    }
}
