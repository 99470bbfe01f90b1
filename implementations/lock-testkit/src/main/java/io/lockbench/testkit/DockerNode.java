package io.lockbench.testkit;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;
import java.time.Duration;

/**
 * A server in a Docker container, through Testcontainers. Paused with CLIENT PAUSE; kill and restart are
 * not offered because a restarted container gets a new host port, which would break {@link #port()}.
 */
final class DockerNode extends AbstractNode {

    private static final int REDIS_PORT = 6379;

    private final GenericContainer<?> container;
    private final ClientPause clientPause = new ClientPause(this);

    private DockerNode(GenericContainer<?> container) {
        super(URI.create("redis://" + container.getHost() + ":" + container.getMappedPort(REDIS_PORT)));
        this.container = container;
    }

    /**
     * Starts one container; Testcontainers waits until the port answers.
     *
     * @throws IllegalStateException when no Docker engine answers
     */
    static DockerNode start(String image) {
        if (!Docker.available()) {
            throw new IllegalStateException("docker was asked for (" + image + ") but no Docker engine answers; "
                + "use lockbench.redis=auto or embedded");
        }
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
            .withExposedPorts(REDIS_PORT)
            .withCommand("redis-server", "--save", "", "--appendonly", "no");
        try {
            container.start();
            return new DockerNode(container);
        } catch (RuntimeException e) {
            container.stop();
            throw new IllegalStateException("Cannot start a " + image + " container", e);
        }
    }

    @Override
    public boolean managed() {
        return true;
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public void pause(Duration d) {
        requireOpen("pause");
        clientPause.pause(d);
    }

    @Override
    public void resume() {
        clientPause.resume();
    }

    @Override
    public void kill() {
        throw unsupported("kill");
    }

    @Override
    public void restart() {
        throw unsupported("restart");
    }

    @Override
    public void close() {
        if (beginClose()) {
            container.stop();
        }
    }

    private UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(operation + ": " + uri() + " runs in Docker, where a restarted "
            + "container gets a new port; use lockbench.redis=embedded or path for kill and restart");
    }
}
