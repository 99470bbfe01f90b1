package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The Lua scripts on a real server, called directly through Jedis: their pinned SHA1s, every reply code,
 * the release message, and the loader's EVAL fallback after SCRIPT FLUSH.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockScriptsIT {

    private static final String TTL_MS = "30000";

    private RedisNodes redis;
    private RedisNode node;
    private Jedis jedis;
    private final AtomicInteger keys = new AtomicInteger();

    @BeforeAll
    void start() {
        redis = RedisNodes.start(1);
        node = redis.node(0);
        jedis = connect();
    }

    @AfterAll
    void stop() {
        if (jedis != null) {
            jedis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyScriptsSha1IsTheOneScriptLoadReturns() {
        for (LuaScript script : LockScripts.all()) {
            assertThat(jedis.scriptLoad(script.source())).as(script.name())
                    .isEqualTo(LockScriptsTest.PINNED.get(script.name()));
        }
    }

    @Test
    void acquireGrantsThenReportsOurHoldThenTheHoldersTtl() {
        LockKeys keys = newKeys("acquire");
        String mine = OwnerTokens.next();
        List<Long> first = acquire(keys, mine);
        assertThat(first.get(0)).isEqualTo(LockScripts.ACQUIRED);
        long fence = first.get(1);
        assertThat(fence).isPositive();
        assertThat(jedis.get(keys.lock())).isEqualTo(mine);
        assertThat(jedis.pttl(keys.lock())).isBetween(1L, 30_000L);
        assertThat(jedis.ttl(keys.fence())).as("the fencing counter never expires").isEqualTo(-1);

        List<Long> again = acquire(keys, mine);
        assertThat(again).containsExactly(LockScripts.ALREADY_OURS, fence);

        List<Long> other = acquire(keys, OwnerTokens.next());
        assertThat(other.get(0)).isEqualTo(LockScripts.HELD);
        assertThat(other.get(1)).as("holder's pttl").isBetween(1L, 30_000L);
        assertThat(jedis.get(keys.lock())).as("a held lock keeps its owner").isEqualTo(mine);
    }

    @Test
    void fencingTokensIncreaseAcrossGrants() {
        LockKeys keys = newKeys("fence");
        long previous = 0;
        for (int i = 0; i < 5; i++) {
            String token = OwnerTokens.next();
            List<Long> reply = acquire(keys, token);
            assertThat(reply.get(0)).isEqualTo(LockScripts.ACQUIRED);
            assertThat(reply.get(1)).isGreaterThan(previous);
            previous = reply.get(1);
            assertThat(release(keys, token)).isEqualTo(1L);
        }
    }

    @Test
    void releaseDeletesOnlyOurTokenAndPublishesTheRelease() throws Exception {
        LockKeys keys = newKeys("release");
        String mine = OwnerTokens.next();
        acquire(keys, mine);
        BlockingQueue<String> messages = new ArrayBlockingQueue<>(10);
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                messages.add(channel + "=" + message);
            }
        };
        Jedis subscriber = connect();
        Thread thread = new Thread(() -> subscriber.subscribe(listener, keys.channel()), "lock-scripts-it-subscriber");
        thread.start();
        try {
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("subscribed").isTrue();

            assertThat(release(keys, OwnerTokens.next())).as("another owner's token").isEqualTo(-1L);
            assertThat(jedis.get(keys.lock())).isEqualTo(mine);

            assertThat(release(keys, mine)).as("our token").isEqualTo(1L);
            assertThat(jedis.exists(keys.lock())).isFalse();
            assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo(keys.channel() + "=" + mine);

            assertThat(release(keys, mine)).as("already gone").isEqualTo(0L);
            assertThat(messages.poll(200, TimeUnit.MILLISECONDS)).as("no message without a release").isNull();
        } finally {
            listener.unsubscribe();
            thread.join(10_000);
            subscriber.close();
        }
    }

    @Test
    void extendResetsTheTtlOnlyForOurToken() {
        LockKeys keys = newKeys("extend");
        String mine = OwnerTokens.next();
        acquire(keys, mine);
        assertThat(extend(keys, mine, "120000")).isEqualTo(1L);
        assertThat(jedis.pttl(keys.lock())).isGreaterThan(30_000L);

        assertThat(extend(keys, OwnerTokens.next(), "500000")).as("another owner's token").isEqualTo(-1L);
        assertThat(jedis.pttl(keys.lock())).isLessThanOrEqualTo(120_000L);

        release(keys, mine);
        assertThat(extend(keys, mine, "120000")).as("gone").isEqualTo(0L);
        assertThat(jedis.exists(keys.lock())).as("extend does not recreate the key").isFalse();
    }

    @Test
    void runFallsBackToEvalAfterScriptFlush() {
        LockKeys keys = newKeys("flush");
        jedis.scriptLoad(LockScripts.ACQUIRE.source());
        jedis.scriptFlush();
        assertThat(jedis.scriptExists(LockScripts.ACQUIRE.sha1())).isFalse();
        AtomicInteger evalShas = new AtomicInteger();
        AtomicInteger evals = new AtomicInteger();
        List<String> keyList = List.of(keys.lock(), keys.fence());
        List<String> args = List.of(OwnerTokens.next(), TTL_MS);
        Object reply = LockScripts.ACQUIRE.run(
                sha1 -> {
                    evalShas.incrementAndGet();
                    return jedis.evalsha(sha1, keyList, args);
                },
                source -> {
                    evals.incrementAndGet();
                    return jedis.eval(source, keyList, args);
                });
        assertThat(numbers(reply).get(0)).isEqualTo(LockScripts.ACQUIRED);
        assertThat(evalShas).hasValue(1);
        assertThat(evals).as("one EVAL after NOSCRIPT").hasValue(1);
        assertThat(jedis.scriptExists(LockScripts.ACQUIRE.sha1())).as("EVAL cached the script again").isTrue();
        assertThat(numbers(acquire(keys, OwnerTokens.next())).get(0)).isEqualTo(LockScripts.HELD);
    }

    private Jedis connect() {
        return new Jedis(new HostAndPort(node.host(), node.port()),
                DefaultJedisClientConfig.builder().timeoutMillis(5_000).build());
    }

    private LockKeys newKeys(String name) {
        return LockKeys.of(redis.keyPrefix() + name + ":" + keys.incrementAndGet());
    }

    private List<Long> acquire(LockKeys keys, String token) {
        return numbers(run(LockScripts.ACQUIRE, List.of(keys.lock(), keys.fence()), List.of(token, TTL_MS)));
    }

    private long release(LockKeys keys, String token) {
        return (Long) run(LockScripts.RELEASE, List.of(keys.lock()), List.of(token, keys.channel()));
    }

    private long extend(LockKeys keys, String token, String ttlMillis) {
        return (Long) run(LockScripts.EXTEND, List.of(keys.lock()), List.of(token, ttlMillis));
    }

    private Object run(LuaScript script, List<String> keyList, List<String> args) {
        return script.run(sha1 -> jedis.evalsha(sha1, keyList, args), source -> jedis.eval(source, keyList, args));
    }

    @SuppressWarnings("unchecked")
    private static List<Long> numbers(Object reply) {
        return (List<Long>) reply;
    }
}
