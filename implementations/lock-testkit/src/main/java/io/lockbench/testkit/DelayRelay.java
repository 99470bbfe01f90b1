package io.lockbench.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on a loopback port that delays every chunk of bytes by a one-way delay that can change at any
 * time. It exists because NetCrusher's reactor sends delayed bytes on a tick of at least a millisecond, which
 * turned a 0.25 ms one-way delay into a 2.3 ms round trip; here each direction of each connection has its own
 * writer thread that parks until the chunk is due, waking late only by the operating system's timer slack.
 *
 * <p>Each chunk keeps the due time it was stamped with when read, and chunks leave in the order they came,
 * so a delay change applies to bytes read after it. With no delay and nothing queued, the reader writes the
 * chunk itself. End of stream from the client is passed on as a half-close once the bytes before it are
 * delivered; end of stream from upstream closes the whole connection at that point, since a Redis server
 * never half-closes. An error on either side closes the connection at once.
 *
 * <p>Threads are platform daemon threads named {@code lockbench-delay-<port>-...}: one acceptor, and a reader
 * and a writer per direction per connection. {@link #close()} ends all of them before it returns.
 */
final class DelayRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DelayRelay.class);

    private static final int CHUNK_BYTES = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final long JOIN_MS = 2_000;

    private final InetSocketAddress upstream;
    private final ServerSocketChannel server;
    private final int port;
    private final Thread acceptor;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private volatile long delayNanos;
    private volatile boolean closed;

    private DelayRelay(InetSocketAddress upstream, ServerSocketChannel server) throws IOException {
        this.upstream = upstream;
        this.server = server;
        this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        this.acceptor = daemon("accept", this::acceptLoop);
    }

    /**
     * A relay listening on a free loopback port that forwards to {@code upstream}, with no delay yet.
     *
     * @throws IOException when no port can be bound
     */
    static DelayRelay start(InetSocketAddress upstream) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(FreePorts.LOOPBACK, 0), 128);
            DelayRelay relay = new DelayRelay(upstream, server);
            relay.acceptor.start();
            return relay;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** Sets the one-way delay, in both directions, for bytes read from now on; zero turns it off. */
    void delay(long nanos) {
        delayNanos = nanos;
    }

    /** Closes every relayed connection; the relay keeps accepting new ones. */
    void disconnectAll() {
        List<Connection> open = new ArrayList<>(connections);
        open.forEach(Connection::close);
        open.forEach(Connection::join);
    }

    /** Stops accepting, closes every connection and waits for all threads of the relay to end. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        join(acceptor);
        disconnectAll();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Delay relay on port {} stopped accepting", port, e);
                }
                return;
            }
            SocketChannel toUpstream = null;
            try {
                toUpstream = SocketChannel.open();
                toUpstream.socket().connect(upstream, CONNECT_TIMEOUT_MS);
                Connection connection = new Connection(connectionIds.incrementAndGet(), client, toUpstream);
                connections.add(connection);
                if (closed) {
                    connection.close();
                } else {
                    connection.start();
                }
            } catch (IOException e) {
                log.debug("Delay relay on port {}: cannot reach {}, dropping the client", port, upstream, e);
                closeQuietly(client);
                closeQuietly(toUpstream);
            }
        }
    }

    private Thread daemon(String role, Runnable body) {
        Thread thread = new Thread(body, "lockbench-delay-" + port + "-" + role);
        thread.setDaemon(true);
        return thread;
    }

    private static void join(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing {} failed", channel, e);
        }
    }

    /** One client connection and its upstream connection: two {@link Direction}s, four threads. */
    private final class Connection {

        private final SocketChannel client;
        private final SocketChannel toUpstream;
        private final Direction request;
        private final Direction reply;
        private volatile boolean closing;

        Connection(int id, SocketChannel client, SocketChannel toUpstream) throws IOException {
            this.client = client;
            this.toUpstream = toUpstream;
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            toUpstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
            this.request = new Direction(this, id + "-request", client, toUpstream, false);
            this.reply = new Direction(this, id + "-reply", toUpstream, client, true);
        }

        void start() {
            request.start();
            reply.start();
        }

        void close() {
            closing = true;
            connections.remove(this);
            closeQuietly(client);
            closeQuietly(toUpstream);
            request.stop();
            reply.stop();
        }

        void join() {
            request.join();
            reply.join();
        }

        boolean closing() {
            return closing;
        }
    }

    /** A chunk of bytes, or end of stream when {@code bytes} is null, and when it is due. */
    private record Chunk(ByteBuffer bytes, long dueNanos) {
    }

    /** Bytes one way: a reader that stamps chunks and a writer that sends them when due. */
    private final class Direction {

        private final Connection connection;
        private final SocketChannel from;
        private final SocketChannel to;
        /** End of stream closes the connection instead of half-closing it. */
        private final boolean eofCloses;
        private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        /** Chunks queued or being written; only the reader increments it, so zero means the writer is idle. */
        private final AtomicInteger pending = new AtomicInteger();
        private final Thread reader;
        private final Thread writer;

        Direction(Connection connection, String name, SocketChannel from, SocketChannel to, boolean eofCloses) {
            this.connection = connection;
            this.from = from;
            this.to = to;
            this.eofCloses = eofCloses;
            this.reader = daemon(name + "-read", this::readLoop);
            this.writer = daemon(name + "-write", this::writeLoop);
        }

        void start() {
            writer.start();
            reader.start();
        }

        void stop() {
            writer.interrupt();
        }

        void join() {
            DelayRelay.join(reader);
            DelayRelay.join(writer);
        }

        private void readLoop() {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
            try {
                while (!connection.closing()) {
                    buffer.clear();
                    int read = from.read(buffer);
                    long delay = delayNanos;
                    long due = System.nanoTime() + delay;
                    ByteBuffer chunk = read < 0 ? null : ByteBuffer.allocate(read).put(buffer.flip()).flip();
                    if (delay == 0 && pending.get() == 0) {
                        send(chunk);
                    } else {
                        pending.incrementAndGet();
                        queue.add(new Chunk(chunk, due));
                    }
                    if (chunk == null) {
                        return;
                    }
                }
            } catch (IOException e) {
                failed(e);
            }
        }

        private void writeLoop() {
            try {
                while (!connection.closing()) {
                    Chunk chunk = queue.take();
                    for (long wait = chunk.dueNanos() - System.nanoTime(); wait > 0;
                            wait = chunk.dueNanos() - System.nanoTime()) {
                        LockSupport.parkNanos(this, wait);
                        if (Thread.interrupted()) {
                            return;
                        }
                    }
                    send(chunk.bytes());
                    pending.decrementAndGet();
                    if (chunk.bytes() == null) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // close() interrupts the writer to end it; the sockets are closed already.
            } catch (IOException e) {
                failed(e);
            }
        }

        /** Writes a chunk out in full, or passes end of stream on. */
        private void send(ByteBuffer chunk) throws IOException {
            if (chunk == null) {
                if (eofCloses) {
                    connection.close();
                } else {
                    to.shutdownOutput();
                }
                return;
            }
            while (chunk.hasRemaining()) {
                to.write(chunk);
            }
        }

        private void failed(IOException e) {
            if (!connection.closing() && !(e instanceof ClosedChannelException)) {
                log.debug("Delay relay on port {}: connection failed, closing it", port, e);
            }
            connection.close();
        }
    }

    @Override
    public String toString() {
        return "delay relay " + FreePorts.LOOPBACK + ":" + port + " -> " + upstream;
    }
}
