package io.lockbench.testkit;

import org.netcrusher.NetCrusherException;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A {@link NodeProxy} over a NetCrusher 0.10 {@link TcpCrusher}. In NetCrusher's words "outgoing" is
 * client to server and "incoming" is server to client.
 */
final class CrusherProxy implements NodeProxy {

    private static final Logger log = LoggerFactory.getLogger(CrusherProxy.class);

    /**
     * The reactor's select timeout; a delayed buffer is sent on the first tick after it is due, so this
     * bounds how much extra latency the proxy adds (NetCrusher's default of 20 ms would swamp a 0.5 ms RTT).
     */
    private static final long TICK_MS = 1;
    private static final int BACKLOG = 128;
    private static final int BIND_ATTEMPTS = 5;

    private final String target;
    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final Faults faults;
    private final URI uri;

    private boolean frozen;
    /** See {@link #unfreeze()}. */
    private boolean delayedWhileFrozen;
    /** {@code System.nanoTime()} until which bytes delayed before latency was switched off may be pending. */
    private long delaysPendingUntil = System.nanoTime();
    private boolean closed;

    private CrusherProxy(String target, NioReactor reactor, TcpCrusher crusher, Faults faults, int port) {
        this.target = target;
        this.reactor = reactor;
        this.crusher = crusher;
        this.faults = faults;
        this.uri = URI.create("redis://" + FreePorts.LOOPBACK + ":" + port);
    }

    /**
     * A proxy on a free loopback port in front of {@code host:port}.
     *
     * @throws IllegalStateException when no port could be bound
     */
    static CrusherProxy start(String host, int port) {
        NioReactor reactor;
        try {
            reactor = new NioReactor(TICK_MS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a NetCrusher reactor for a proxy to " + host + ":" + port, e);
        }
        String target = host + ":" + port;
        Faults faults = new Faults();
        RuntimeException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int proxyPort = FreePorts.pick();
            try {
                TcpCrusher crusher = TcpCrusherBuilder.builder()
                    .withReactor(reactor)
                    .withBindAddress(FreePorts.LOOPBACK, proxyPort)
                    .withConnectAddress(host, port)
                    .withBacklog(BACKLOG)
                    .withOutgoingThrottlerFactory(client -> faults::delay)
                    .withIncomingThrottlerFactory(client -> faults::delay)
                    .withIncomingTransformFilterFactory(client -> faults::dropIfAsked)
                    .buildAndOpen();
                CrusherProxy proxy = new CrusherProxy(target, reactor, crusher, faults, proxyPort);
                log.debug("{} open", proxy);
                return proxy;
            } catch (NetCrusherException e) {
                if (!causedByBind(e)) {
                    reactor.close();
                    throw new IllegalStateException("Cannot open a proxy on " + FreePorts.LOOPBACK + ":" + proxyPort
                        + " to " + target, e);
                }
                last = e;
            }
        }
        reactor.close();
        throw new IllegalStateException("Cannot bind a proxy port to " + target + " after " + BIND_ATTEMPTS
            + " attempts", last);
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
        long previous = faults.delayNanos;
        faults.delayNanos = oneWay.toNanos();
        delaysPendingUntil = Math.max(delaysPendingUntil, System.nanoTime() + previous);
        if (frozen && !oneWay.isZero()) {
            delayedWhileFrozen = true;
        }
    }

    @Override
    public synchronized void freeze() {
        requireOpen("freeze");
        if (!frozen) {
            crusher.freeze();
            frozen = true;
            delayedWhileFrozen = faults.delayNanos > 0 || System.nanoTime() - delaysPendingUntil < 0;
        }
    }

    /**
     * NetCrusher 0.10 loses the end of a send delay that falls while frozen: that connection then never
     * sends again and its selector key spins. So when latency was on during the freeze, the proxied
     * connections are closed on unfreeze; clients reconnect. Without latency they stay open.
     */
    @Override
    public synchronized void unfreeze() {
        requireOpen("unfreeze");
        if (frozen) {
            crusher.unfreeze();
            frozen = false;
            if (delayedWhileFrozen) {
                log.debug("Proxy {}: closing connections that were delayed while frozen", uri);
                crusher.closeAllPairs();
            }
            delayedWhileFrozen = false;
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
            crusher.close();
        } finally {
            reactor.close();
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
     * What the reactor thread reads for every buffer; volatile so that a change applies to open connections
     * at once. A separate object because the throttler and filter must exist before the crusher does.
     */
    private static final class Faults {
        volatile long delayNanos;
        volatile boolean dropping;

        long delay(ByteBuffer buffer) {
            long nanos = delayNanos;
            return nanos > 0 ? nanos : Throttler.NO_DELAY_NS;
        }

        void dropIfAsked(ByteBuffer buffer) {
            if (dropping) {
                // An empty buffer is what NetCrusher treats as "nothing to send".
                buffer.position(buffer.limit());
            }
        }
    }
}
