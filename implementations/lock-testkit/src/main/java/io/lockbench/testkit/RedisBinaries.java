package io.lockbench.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code redis-server} a {@link RedisSource} means: on PATH, at a given path, or extracted from
 * the embedded-redis jar into a cache directory.
 */
final class RedisBinaries {

    static final String SERVER_NAME = "redis-server";

    private static final Logger log = LoggerFactory.getLogger(RedisBinaries.class);
    private static final Pattern VERSION = Pattern.compile("v=(\\d+(?:\\.\\d+)*)");
    private static final long VERSION_TIMEOUT_SECONDS = 10;

    /** Resolved binaries by path: running {@code --version} once per JVM is enough. */
    private static final Map<Path, RedisBinary> BY_PATH = new ConcurrentHashMap<>();
    private static RedisBinary embedded;

    private RedisBinaries() {
    }

    /**
     * The binary a process-based source starts.
     *
     * @throws IllegalArgumentException for docker and external sources, which start no binary
     * @throws IllegalStateException when the binary is missing, too old or cannot be extracted
     */
    static RedisBinary resolve(RedisSource source) {
        if (source instanceof RedisSource.Embedded) {
            return embedded();
        }
        if (source instanceof RedisSource.Path path) {
            RedisBinary binary = given(path.binary());
            if (!binary.isSupported()) {
                throw new IllegalStateException(binary.describe() + " is older than "
                    + RedisBinary.MIN_MAJOR + "." + RedisBinary.MIN_MINOR + ", which the kit needs");
            }
            return binary;
        }
        if (source instanceof RedisSource.Auto) {
            Optional<RedisBinary> onPath = findOnPath().map(RedisBinaries::inspect);
            if (onPath.isPresent() && onPath.get().isSupported()) {
                return onPath.get();
            }
            onPath.ifPresent(old -> log.info("Ignoring {}: older than {}.{}; using the embedded binary",
                old.describe(), RedisBinary.MIN_MAJOR, RedisBinary.MIN_MINOR));
            return embedded();
        }
        throw new IllegalArgumentException(source.describe() + " does not start a redis-server binary");
    }

    /** {@link #resolve} for {@link RedisSource#describe()}, which reports a failure instead of throwing. */
    static String describe(RedisSource source) {
        try {
            return resolve(source).describe();
        } catch (RuntimeException e) {
            String label = source instanceof RedisSource.Path path ? "redis-server " + path.binary()
                : source instanceof RedisSource.Embedded ? "embedded redis-server" : "redis-server";
            return label + " (not usable: " + e.getMessage() + ")";
        }
    }

    /**
     * The embedded-redis jar resource that runs on this OS and CPU.
     *
     * @throws UnsupportedOperationException when the jar ships none (or only one older than 6.2)
     */
    static String embeddedResource(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux")) {
            if (x64) {
                return "redis-server-6.2.6-v5-linux-amd64";
            }
            if (arm64) {
                return "redis-server-6.2.7-linux-arm64";
            }
            if (arch.matches("x86|i[3-6]86")) {
                return "redis-server-6.2.7-linux-386";
            }
        } else if (os.contains("mac") || os.contains("darwin")) {
            if (x64) {
                return "redis-server-6.2.6-v5-darwin-amd64";
            }
            if (arm64) {
                return "redis-server-6.2.6-v5-darwin-arm64";
            }
        }
        throw new UnsupportedOperationException("The embedded-redis jar has no redis-server >= 6.2 for "
            + osName + "/" + osArch + "; install redis-server (lockbench.redis=path), use docker, or point to "
            + "running servers (lockbench.redis=redis://host:port)");
    }

    private static synchronized RedisBinary embedded() {
        if (embedded == null) {
            String resource = embeddedResource(System.getProperty("os.name"), System.getProperty("os.arch"));
            Path file = extract(resource);
            RedisBinary inspected = inspect(file);
            embedded = new RedisBinary(file, inspected.version(), "embedded");
        }
        return embedded;
    }

    /**
     * Copies the resource to the cache directory unless a file of the same size is already there. The copy
     * goes to a temp file first and is then renamed, so a concurrent build never executes half a binary.
     */
    private static Path extract(String resource) {
        URL url = RedisBinaries.class.getResource("/" + resource);
        if (url == null) {
            throw new IllegalStateException("Resource /" + resource + " not found: is com.github.codemonstur:"
                + "embedded-redis on the classpath?");
        }
        Path dir = cacheDir();
        Path target = dir.resolve(resource);
        try {
            URLConnection connection = url.openConnection();
            long size = connection.getContentLengthLong();
            if (size > 0 && Files.isRegularFile(target) && Files.size(target) == size && Files.isExecutable(target)) {
                return target;
            }
            Path temp = Files.createTempFile(dir, resource + ".", ".tmp");
            try {
                try (InputStream in = connection.getInputStream()) {
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                }
                makeExecutable(temp);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            log.info("Extracted embedded {} to {}", resource, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract embedded " + resource + " to " + target, e);
        }
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("Cannot make " + file + " executable", e);
            }
        }
    }

    /** {@code ~/.cache/lockbench}, or a per-user directory under {@code java.io.tmpdir} when home is not writable. */
    private static Path cacheDir() {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "lockbench");
        try {
            Files.createDirectories(home);
            if (Files.isWritable(home)) {
                return home;
            }
        } catch (IOException | SecurityException e) {
            log.debug("Cache directory {} not usable, falling back to java.io.tmpdir", home, e);
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"), "lockbench-" + System.getProperty("user.name"));
        try {
            return Files.createDirectories(temp);
        } catch (IOException e) {
            throw new UncheckedIOException("Neither " + home + " nor " + temp + " can hold the redis-server binary", e);
        }
    }

    private static RedisBinary given(Path binary) {
        if (binary.getParent() == null && !Files.exists(binary)) {
            Path onPath = findOnPath().orElseThrow(() -> new IllegalStateException(
                "No " + binary + " on PATH (" + System.getenv("PATH") + "); install Redis >= 6.2, or use "
                    + "lockbench.redis=embedded"));
            return inspect(onPath);
        }
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new IllegalStateException("Redis binary " + binary.toAbsolutePath() + " is not an executable file");
        }
        RedisBinary inspected = inspect(binary);
        return new RedisBinary(inspected.path(), inspected.version(), "given");
    }

    private static Optional<Path> findOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, SERVER_NAME);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code binary --version}; the origin is "on PATH" and callers relabel it. */
    private static RedisBinary inspect(Path binary) {
        return BY_PATH.computeIfAbsent(binary, RedisBinaries::runVersion);
    }

    private static RedisBinary runVersion(Path binary) {
        String output;
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            // --version prints one line and exits; a hang means the file is not a redis-server.
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(binary + " --version did not exit within "
                    + VERSION_TIMEOUT_SECONDS + " s");
            }
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + binary + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + binary + " --version", e);
        }
        Matcher matcher = VERSION.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException(binary + " --version printed no version: " + output);
        }
        return new RedisBinary(binary, matcher.group(1), "on PATH");
    }
}
