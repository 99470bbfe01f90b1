package io.lockbench.jmh;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The commands {@link BaselineBenchmark} times, on one connection of one client library. One thin adapter per
 * library, so each adds nothing but its own cost to the round trip.
 */
interface RoundTripClient extends AutoCloseable {

    /** The client libraries, by the name the {@code client} parameter uses. */
    String JEDIS = "jedis";
    /** See {@link #JEDIS}. */
    String LETTUCE = "lettuce";

    /** {@code PING}. */
    String ping();

    /** {@code SET key value}. */
    String set(String key, String value);

    /** {@code DEL key}. */
    long del(String key);

    /**
     * {@code SET key value NX PX ttl}: the hand-written lock's acquire.
     *
     * @return whether the key was set
     */
    boolean setNxPx(String key, String value, long ttlMillis);

    /**
     * {@code EVALSHA} of {@link #COMPARE_AND_DELETE}, loaded when the connection opened: the hand-written lock's
     * release.
     *
     * @return 1 when the key held {@code value} and was deleted, else 0
     */
    long compareAndDelete(String key, String value);

    /** Deletes the key only while it holds the caller's value, in one step. */
    String COMPARE_AND_DELETE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1])"
            + " else return 0 end";

    @Override
    void close();

    /**
     * A connection of the named library.
     *
     * @param client {@value #JEDIS} or {@value #LETTUCE}
     * @param server where to connect
     * @return the open connection
     */
    static RoundTripClient open(String client, URI server) {
        return switch (client) {
            case JEDIS -> new JedisClient(server);
            case LETTUCE -> new LettuceClient(server);
            default -> throw new IllegalArgumentException("client: expected jedis or lettuce, got " + client);
        };
    }

    /** One plain Jedis connection. */
    final class JedisClient implements RoundTripClient {
        private final Jedis jedis;
        private final String compareAndDelete;

        JedisClient(URI server) {
            jedis = new Jedis(server, DefaultJedisClientConfig.builder().socketTimeoutMillis(5_000).build());
            compareAndDelete = jedis.scriptLoad(COMPARE_AND_DELETE);
        }

        @Override
        public String ping() {
            return jedis.ping();
        }

        @Override
        public String set(String key, String value) {
            return jedis.set(key, value);
        }

        @Override
        public long del(String key) {
            return jedis.del(key);
        }

        @Override
        public boolean setNxPx(String key, String value, long ttlMillis) {
            return "OK".equals(jedis.set(key, value, SetParams.setParams().nx().px(ttlMillis)));
        }

        @Override
        public long compareAndDelete(String key, String value) {
            return (Long) jedis.evalsha(compareAndDelete, List.of(key), List.of(value));
        }

        @Override
        public void close() {
            jedis.close();
        }
    }

    /** One Lettuce connection used through its synchronous API, with a client of its own. */
    final class LettuceClient implements RoundTripClient {
        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;
        private final RedisCommands<String, String> commands;
        private final String compareAndDelete;

        LettuceClient(URI server) {
            client = RedisClient.create(RedisURI.builder().withHost(server.getHost()).withPort(server.getPort())
                    .withTimeout(Duration.ofSeconds(5)).build());
            try {
                connection = client.connect();
            } catch (RuntimeException e) {
                client.shutdown();
                throw e;
            }
            commands = connection.sync();
            compareAndDelete = commands.scriptLoad(COMPARE_AND_DELETE);
        }

        @Override
        public String ping() {
            return commands.ping();
        }

        @Override
        public String set(String key, String value) {
            return commands.set(key, value);
        }

        @Override
        public long del(String key) {
            return commands.del(key);
        }

        @Override
        public boolean setNxPx(String key, String value, long ttlMillis) {
            return "OK".equals(commands.set(key, value, SetArgs.Builder.nx().px(ttlMillis)));
        }

        @Override
        public long compareAndDelete(String key, String value) {
            return commands.evalsha(compareAndDelete, ScriptOutputType.INTEGER, new String[] {key}, value);
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
