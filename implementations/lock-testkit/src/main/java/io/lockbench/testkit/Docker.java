package io.lockbench.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, for {@code docker} sources and for tests that need one:
 * {@code Assumptions.assumeTrue(Docker.available(), "no Docker engine")}.
 */
public final class Docker {

    private static final Logger log = LoggerFactory.getLogger(Docker.class);

    private static volatile Boolean available;

    private Docker() {
    }

    /**
     * Asks Testcontainers once per JVM whether it can reach a Docker engine.
     *
     * @return true when one answers; never throws
     */
    public static boolean available() {
        Boolean known = available;
        if (known == null) {
            synchronized (Docker.class) {
                known = available;
                if (known == null) {
                    known = probe();
                    available = known;
                }
            }
        }
        return known;
    }

    private static boolean probe() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.debug("No Docker engine", e);
            return false;
        }
    }
}
