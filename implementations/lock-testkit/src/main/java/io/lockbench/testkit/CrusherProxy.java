package io.lockbench.testkit;

import org.netcrusher.NetCrusherException;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A {@link NodeProxy} made of two hops: clients connect to a {@link DelayRelay}, which adds the latency, and
 * the relay connects to a NetCrusher 0.10 {@link TcpCrusher}, which freezes, drops replies and disconnects.
 * Latency is not left to NetCrusher because its reactor sends delayed bytes on a tick of at least a
 * millisecond. In NetCrusher's words "outgoing" is client to server and "incoming" is server to client.
 */
final class CrusherProxy implements NodeProxy {

    private static final Logger log = LoggerFactory.getLogger(CrusherProxy.class);

    private static final int BACKLOG = 128;
    private static final int BIND_ATTEMPTS = 5;

    private final String target;
    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final DelayRelay relay;
    private final Faults faults;
    private final URI uri;

    private boolean frozen;
    private boolean closed;

    private CrusherProxy(String target, NioReactor reactor, TcpCrusher crusher, DelayRelay relay, Faults faults) {
        this.target = target;
        this.reactor = reactor;
        this.crusher = crusher;
        this.relay = relay;
        this.faults = faults;
        this.uri = URI.create("redis://" + FreePorts.LOOPBACK + ":" + relay.port());
    }

    /**
     * A proxy on a free loopback port in front of {@code host:port}.
     *
     * @throws IllegalStateException when no port could be bound
     */
    static CrusherProxy start(String host, int port) {
        NioReactor reactor;
        try {
            reactor = new NioReactor();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a NetCrusher reactor for a proxy to " + host + ":" + port, e);
        }
        String target = host + ":" + port;
        Faults faults = new Faults();
        TcpCrusher crusher = null;
        try {
            crusher = openCrusher(reactor, host, port, faults);
            DelayRelay relay = DelayRelay.start(new InetSocketAddress(FreePorts.LOOPBACK,
                crusher.getBindAddress().getPort()));
            CrusherProxy proxy = new CrusherProxy(target, reactor, crusher, relay, faults);
            log.debug("{} open", proxy);
            return proxy;
        } catch (IOException e) {
            crusher.close();
            reactor.close();
            throw new IllegalStateException("Cannot open a delay relay in front of a proxy to " + target, e);
        } catch (RuntimeException e) {
            if (crusher != null) {
                crusher.close();
            }
            reactor.close();
            throw e;
        }
    }

    private static TcpCrusher openCrusher(NioReactor reactor, String host, int port, Faults faults) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int crusherPort = FreePorts.pick();
            try {
                return TcpCrusherBuilder.builder()
                    .withReactor(reactor)
                    .withBindAddress(FreePorts.LOOPBACK, crusherPort)
                    .withConnectAddress(host, port)
                    .withBacklog(BACKLOG)
                    .withIncomingTransformFilterFactory(client -> faults::dropIfAsked)
                    .buildAndOpen();
            } catch (NetCrusherException e) {
                if (!causedByBind(e)) {
                    throw new IllegalStateException("Cannot open a proxy on " + FreePorts.LOOPBACK + ":"
                        + crusherPort + " to " + host + ":" + port, e);
                }
                last = e;
            }
        }
        throw new IllegalStateException("Cannot bind a proxy port to " + host + ":" + port + " after "
            + BIND_ATTEMPTS + " attempts", last);
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public synchronized void addLatency(Duration oneWay) {
        if (oneWay == null || oneWay.isNegative()) {
            throw new IllegalArgumentException("oneWay: must be zero or positive, got " + oneWay);
        }
        requireOpen("addLatency");
        relay.delay(oneWay.toNanos());
    }

    @Override
    public synchronized void freeze() {
        requireOpen("freeze");
        if (!frozen) {
            crusher.freeze();
            frozen = true;
        }
    }

    @Override
    public synchronized void unfreeze() {
        requireOpen("unfreeze");
        if (frozen) {
            crusher.unfreeze();
            frozen = false;
        }
    }

    @Override
    public void dropResponses(boolean on) {
        requireOpen("dropResponses");
        faults.dropping = on;
    }

    @Override
    public synchronized void disconnectAll() {
        requireOpen("disconnectAll");
        relay.disconnectAll();
        crusher.closeAllPairs();
    }

    @Override
    public synchronized void reset() {
        requireOpen("reset");
        dropResponses(false);
        unfreeze();
        addLatency(Duration.ZERO);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            relay.close();
        } finally {
            try {
                crusher.close();
            } finally {
                reactor.close();
            }
        }
        log.debug("Proxy {} -> {} closed", uri, target);
    }

    @Override
    public String toString() {
        return "proxy " + uri + " -> " + target;
    }

    private synchronized void requireOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(operation + ": " + this + " is closed");
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the reactor thread reads for every reply buffer; volatile so that a change applies to open
     * connections at once. A separate object because the filter must exist before the crusher does.
     */
    private static final class Faults {
        volatile boolean dropping;

        void dropIfAsked(ByteBuffer buffer) {
            if (dropping) {
                // An empty buffer is what NetCrusher treats as "nothing to send".
                buffer.position(buffer.limit());
            }
        }
    }
}
