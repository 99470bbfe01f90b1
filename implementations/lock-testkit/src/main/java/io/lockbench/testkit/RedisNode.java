package io.lockbench.testkit;

import redis.clients.jedis.Jedis;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

/**
 * One real Redis server a test can talk to and break: pause it, kill it, restart it, or put a
 * fault-injecting proxy in front of it. Servers we started ({@link #managed()}) support every fault; an
 * external server supports {@link #pause} (through CLIENT PAUSE) and the proxy only.
 */
public interface RedisNode extends AutoCloseable {

    /**
     * Where clients connect directly.
     *
     * @return {@code redis://host:port}
     */
    URI uri();

    /**
     * The host clients connect to.
     *
     * @return the host, {@code 127.0.0.1} for servers we started as processes
     */
    String host();

    /**
     * The port clients connect to; it stays the same across {@link #restart()}.
     *
     * @return the port
     */
    int port();

    /**
     * The server's version, asked once with {@code INFO server}.
     *
     * @return {@code redis_version}, such as {@code 6.2.6}
     */
    String version();

    /**
     * Whether this kit started the server (embedded, path or docker) rather than finding it running.
     *
     * @return true when the server is ours
     */
    boolean managed();

    /**
     * The server's process id, for tools outside the JVM.
     *
     * @return the pid of the process we started (the latest one after a restart), or -1 when the server is
     *     not a process of ours (external, docker)
     */
    long pid();

    /**
     * Makes the server stop answering for {@code d}; returns once it has stopped answering and resumes by
     * itself afterwards. Processes we started get SIGSTOP and SIGCONT: even the TCP accept queue stalls,
     * like a GC pause or a stalled VM. Other servers get {@code CLIENT PAUSE d ALL}: connections and
     * replication go on, commands wait. Pausing a paused process restarts the clock with the new
     * duration; a CLIENT PAUSE first waits for the current one to end.
     *
     * @param d how long; positive
     * @throws IllegalArgumentException when {@code d} is not positive
     * @throws IllegalStateException when the server is not running
     */
    void pause(Duration d);

    /**
     * Ends a {@link #pause} early and returns once the server answers again; no-op when not paused. A
     * CLIENT PAUSE (external and docker servers) cannot be cut short, because Redis holds even
     * {@code CLIENT UNPAUSE} during it; there this waits until the pause is over.
     */
    void resume();

    /**
     * Kills the server with SIGKILL: no shutdown, clients see the connection drop or refused. The port
     * stays reserved for {@link #restart()}. No-op when already dead.
     *
     * @throws UnsupportedOperationException when the server is not a process of ours, saying why
     */
    void kill();

    /**
     * Starts the server again on the same port, empty (nothing is persisted), and waits until it answers.
     * Kills it first when it is still running.
     *
     * @throws UnsupportedOperationException when the server is not a process of ours, saying why
     * @throws IllegalStateException when it does not come back, with the end of its log
     */
    void restart();

    /**
     * The fault-injecting proxy in front of this node, created on first use; the same instance every
     * time. It survives {@link #kill()} and {@link #restart()} and is closed with the node.
     *
     * @return the proxy
     */
    NodeProxy proxy();

    /**
     * Runs a command on one short-lived direct connection (not through the proxy), for checks in tests:
     * {@code node.call(j -> j.pttl(key))}. Connect timeout 2 s, read timeout 5 s.
     *
     * @param command what to do with the connection
     * @param <T> the result type
     * @return what {@code command} returned
     * @throws redis.clients.jedis.exceptions.JedisException when the server cannot be reached or fails
     */
    <T> T call(Function<Jedis, T> command);

    /**
     * Resumes the node if paused, closes its proxy, and stops the server if it is ours; an external server
     * only loses the keys under the kit's key prefix. Idempotent.
     */
    @Override
    void close();
}
