package io.lockbench.scenario;

import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** Opens the plain connections a story's business code uses for its own data (paid bits, voucher stock). */
final class DataLink {

    private DataLink() {
    }

    /**
     * One connection, used by one thread at a time.
     *
     * @param uri {@code redis://host:port}, directly or through a proxy
     * @param timeout connect and read timeout
     * @return the open connection; the caller closes it
     */
    static Jedis open(URI uri, Duration timeout) {
        int millis = (int) timeout.toMillis();
        return new Jedis(new HostAndPort(uri.getHost(), uri.getPort()), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).autoNegotiateProtocol(false).build());
    }
}
