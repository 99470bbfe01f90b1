package io.lockbench.testkit;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where the Redis servers of a test or benchmark run come from.
 *
 * <p>Chosen by a spec string (system property {@value #PROPERTY}, else environment variable
 * {@value #ENVIRONMENT}, else {@code auto}):
 * <ul>
 *   <li>{@code auto}: a {@code redis-server} on PATH if it is 6.2 or newer, else {@code embedded};</li>
 *   <li>{@code embedded}: the binary shipped inside the {@code embedded-redis} jar, extracted once to a
 *       cache directory; no install and no Docker needed;</li>
 *   <li>{@code path} or {@code path:/some/redis-server}: that binary (bare {@code path} = the one on PATH);</li>
 *   <li>{@code docker} or {@code docker:image}: Testcontainers, image {@value Docker#DEFAULT_IMAGE} unless
 *       named;</li>
 *   <li>{@code redis://host:port[,redis://host:port...]}: servers you already run. They are never started,
 *       stopped or flushed; only keys under a {@link RedisNodes#keyPrefix()} are deleted.</li>
 * </ul>
 */
public sealed interface RedisSource {

    /** System property that holds the spec; wins over {@link #ENVIRONMENT}. */
    String PROPERTY = "lockbench.redis";

    /** Environment variable that holds the spec when {@link #PROPERTY} is not set. */
    String ENVIRONMENT = "LOCKBENCH_REDIS";

    /** A {@code redis-server} on PATH when it is recent enough, else the embedded binary. */
    record Auto() implements RedisSource {
        @Override
        public String describe() {
            return "auto: " + RedisBinaries.describe(this);
        }
    }

    /** The binary shipped inside the {@code embedded-redis} jar, started as our own child process. */
    record Embedded() implements RedisSource {
        @Override
        public String describe() {
            return RedisBinaries.describe(this);
        }
    }

    /**
     * A {@code redis-server} binary started as our own child process.
     *
     * @param binary the executable; a bare file name (such as {@code redis-server}) is looked up on PATH
     */
    record Path(java.nio.file.Path binary) implements RedisSource {
        /**
         * @param binary the executable; a bare file name is looked up on PATH
         * @throws NullPointerException when {@code binary} is null
         */
        public Path {
            Objects.requireNonNull(binary, "binary");
        }

        @Override
        public String describe() {
            return RedisBinaries.describe(this);
        }
    }

    /**
     * Servers in Docker containers, through Testcontainers; only when a Docker engine answers.
     *
     * @param image the image, such as {@code redis:7.4}
     */
    record Docker(String image) implements RedisSource {
        /** The image {@code docker} without a tag means. */
        public static final String DEFAULT_IMAGE = "redis:7.4";

        /**
         * @param image the image, such as {@code redis:7.4}
         * @throws IllegalArgumentException when {@code image} is null or blank
         */
        public Docker {
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException("image: a Docker image name is needed, got '" + image + "'");
            }
        }

        @Override
        public String describe() {
            return "docker " + image;
        }
    }

    /**
     * Servers somebody else runs; never started, stopped or flushed.
     *
     * @param uris the servers, each {@code redis://host:port}; at least one
     */
    record External(List<URI> uris) implements RedisSource {
        /**
         * @param uris the servers, each {@code redis://host:port}; at least one
         * @throws IllegalArgumentException when {@code uris} is empty or holds something other than
         *     redis://host:port
         */
        public External {
            if (uris == null || uris.isEmpty()) {
                throw new IllegalArgumentException("uris: at least one redis://host:port is needed");
            }
            for (URI uri : uris) {
                if (uri == null || !"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
                    throw new IllegalArgumentException("uris: expected redis://host:port, got " + uri);
                }
            }
            uris = List.copyOf(uris);
        }

        @Override
        public String describe() {
            return "external " + uris.stream().map(URI::toString).collect(Collectors.joining(", "));
        }
    }

    /**
     * Reads a spec: {@code auto}, {@code embedded}, {@code path}, {@code path:/bin/redis-server},
     * {@code docker}, {@code docker:redis:7.4}, or a comma-separated list of {@code redis://host:port}.
     * Keywords are case-insensitive; a blank spec means {@code auto}.
     *
     * @param spec the spec
     * @return the source it names
     * @throws IllegalArgumentException when the spec is none of these, naming it
     */
    static RedisSource parse(String spec) {
        String trimmed = spec == null ? "" : spec.strip();
        String keyword = trimmed.toLowerCase(Locale.ROOT);
        if (keyword.isEmpty() || keyword.equals("auto")) {
            return new Auto();
        }
        if (keyword.equals("embedded")) {
            return new Embedded();
        }
        if (keyword.equals("path")) {
            return new Path(java.nio.file.Path.of(RedisBinaries.SERVER_NAME));
        }
        if (keyword.startsWith("path:") && trimmed.length() > "path:".length()) {
            return new Path(java.nio.file.Path.of(trimmed.substring("path:".length())));
        }
        if (keyword.equals("docker")) {
            return new Docker(Docker.DEFAULT_IMAGE);
        }
        if (keyword.startsWith("docker:") && !trimmed.substring("docker:".length()).isBlank()) {
            return new Docker(trimmed.substring("docker:".length()).strip());
        }
        if (keyword.startsWith("redis://")) {
            List<URI> uris = new ArrayList<>();
            for (String part : trimmed.split(",")) {
                uris.add(parseUri(part.strip(), spec));
            }
            return new External(uris);
        }
        throw new IllegalArgumentException(invalid(spec, "unknown source"));
    }

    /**
     * The source this run was asked for: system property {@value #PROPERTY}, else environment variable
     * {@value #ENVIRONMENT}, else {@code auto}. Blank means {@code auto}.
     *
     * @return the configured source
     * @throws IllegalArgumentException when the configured spec does not parse, naming where it came from
     */
    static RedisSource fromEnvironment() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return parseFrom(property, "system property " + PROPERTY);
        }
        String variable = System.getenv(ENVIRONMENT);
        if (variable != null && !variable.isBlank()) {
            return parseFrom(variable, "environment variable " + ENVIRONMENT);
        }
        return new Auto();
    }

    /**
     * One line saying what this source resolves to, for logs and {@code env.json}, such as
     * {@code embedded redis-server 6.2.6 (/root/.cache/lockbench/redis-server-6.2.6-v5-linux-amd64)}.
     * Resolving a binary may extract it; a source that cannot be used says why instead of throwing.
     *
     * @return the description
     */
    String describe();

    private static RedisSource parseFrom(String spec, String origin) {
        try {
            return parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    private static URI parseUri(String part, String spec) {
        URI uri;
        try {
            uri = new URI(part);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(invalid(spec, "'" + part + "' is not a URI"), e);
        }
        // URI accepts "redis://host" and "redis://h:p/x"; we need exactly a host and a port to connect to.
        if (!"redis".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
            throw new IllegalArgumentException(invalid(spec, "'" + part + "' is not redis://host:port"));
        }
        return URI.create("redis://" + uri.getRawAuthority());
    }

    private static String invalid(String spec, String why) {
        return "Redis source '" + spec + "': " + why + "; expected auto | embedded | path[:binary]"
            + " | docker[:image] | redis://host:port[,redis://host:port...]";
    }
}
