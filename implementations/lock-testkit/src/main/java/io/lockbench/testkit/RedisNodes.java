package io.lockbench.testkit;

import io.lockbench.api.LockSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * n independent real Redis servers for one test class or benchmark run, from the configured
 * {@link RedisSource}. Close it (try-with-resources or {@code @AfterAll}); servers we started are also
 * killed when the JVM exits.
 *
 * <pre>{@code
 * try (RedisNodes redis = RedisNodes.start(3)) {
 *     LockService locks = new RedlockLockService(redis.settings());
 *     redis.node(0).pause(Duration.ofSeconds(2));
 *     String key = redis.keyPrefix() + "order-42";
 * }
 * }</pre>
 */
public final class RedisNodes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisNodes.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisSource source;
    private final List<RedisNode> nodes;
    private final String keyPrefix;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisNodes(RedisSource source, List<RedisNode> nodes, String keyPrefix,
                       ScheduledExecutorService scheduler) {
        this.source = source;
        this.nodes = List.copyOf(nodes);
        this.keyPrefix = keyPrefix;
        this.scheduler = scheduler;
    }

    /**
     * Starts (or, for external servers, connects to) n servers from {@link RedisSource#fromEnvironment()}.
     *
     * @param n how many; at least 1
     * @return the running servers
     * @throws IllegalArgumentException when n is below 1 or the configured source does not parse
     * @throws IllegalStateException when a server cannot be started or reached, saying which and why
     */
    public static RedisNodes start(int n) {
        return start(n, RedisSource.fromEnvironment());
    }

    /**
     * Starts (or, for external servers, connects to) n servers from this source.
     *
     * @param n how many; at least 1 (an external source must list at least n servers; the first n are used)
     * @param source where the servers come from
     * @return the running servers
     * @throws IllegalArgumentException when n is below 1 or an external source lists fewer than n servers
     * @throws IllegalStateException when a server cannot be started or reached, saying which and why
     */
    public static RedisNodes start(int n, RedisSource source) {
        if (n < 1) {
            throw new IllegalArgumentException("n: at least one node is needed, got " + n);
        }
        if (source instanceof RedisSource.External external && external.uris().size() < n) {
            throw new IllegalArgumentException(n + " nodes were asked for but " + source.describe() + " names only "
                + external.uris().size());
        }
        String keyPrefix = "lbt:" + HexFormat.of().toHexDigits(RANDOM.nextInt()) + ":";
        ScheduledExecutorService scheduler = newResumeScheduler();
        List<RedisNode> started = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                started.add(startNode(source, i, keyPrefix, scheduler));
            }
        } catch (RuntimeException e) {
            started.forEach(RedisNodes::closeQuietly);
            scheduler.shutdownNow();
            throw e;
        }
        RedisNodes redis = new RedisNodes(source, started, keyPrefix, scheduler);
        log.info("Redis for this run: {} at {}", source.describe(), redis.uris());
        return redis;
    }

    /**
     * How many servers there are.
     *
     * @return n as given to {@code start}
     */
    public int size() {
        return nodes.size();
    }

    /**
     * One server.
     *
     * @param i 0 to {@code size() - 1}
     * @return the node
     * @throws IndexOutOfBoundsException when i is out of range
     */
    public RedisNode node(int i) {
        return nodes.get(i);
    }

    /**
     * All servers, in start order.
     *
     * @return an unmodifiable list
     */
    public List<RedisNode> nodes() {
        return nodes;
    }

    /**
     * Where clients connect directly.
     *
     * @return {@code redis://host:port} of each node, in node order
     */
    public List<URI> uris() {
        return nodes.stream().map(RedisNode::uri).toList();
    }

    /**
     * Lock settings that reach every node directly, with the default command timeout.
     *
     * @return {@code LockSettings.of(uris())}
     */
    public LockSettings settings() {
        return LockSettings.of(uris());
    }

    /**
     * Where these servers came from.
     *
     * @return the source given to {@code start}
     */
    public RedisSource source() {
        return source;
    }

    /**
     * A prefix unique to this instance, such as {@code lbt:5f3a9c01:}. Tests put every key under it (or
     * under its hash-tagged form {@code {lbt:5f3a9c01:...}}), which is how keys left on an external server
     * are found and deleted, and how runs sharing a server stay apart.
     *
     * @return the prefix, ending with {@code :}
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * Resumes paused nodes, closes proxies, kills the servers we started, and on external servers deletes
     * the keys under {@link #keyPrefix()}. Idempotent; a node that fails to close does not keep the others
     * running.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            nodes.forEach(RedisNodes::closeQuietly);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "RedisNodes " + uris() + " from " + source;
    }

    private static RedisNode startNode(RedisSource source, int index, String keyPrefix,
                                       ScheduledExecutorService scheduler) {
        if (source instanceof RedisSource.External external) {
            ExternalNode node = new ExternalNode(external.uris().get(index), keyPrefix);
            try {
                node.call(jedis -> jedis.ping());
            } catch (JedisException e) {
                throw new IllegalStateException("External Redis " + node.uri() + " does not answer PING", e);
            }
            return node;
        }
        if (source instanceof RedisSource.Docker docker) {
            return DockerNode.start(docker.image());
        }
        return ProcessNode.start(RedisBinaries.resolve(source), List.of(), false, scheduler);
    }

    /** One daemon thread per instance sends the SIGCONT that ends a pause; close() stops it. */
    static ScheduledExecutorService newResumeScheduler() {
        ScheduledThreadPoolExecutor scheduler = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1,
            task -> {
                Thread thread = new Thread(task, "lockbench-redis-resume");
                thread.setDaemon(true);
                return thread;
            });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    static void closeQuietly(RedisNode node) {
        try {
            node.close();
        } catch (RuntimeException e) {
            log.warn("Could not close {}", node, e);
        }
    }
}
