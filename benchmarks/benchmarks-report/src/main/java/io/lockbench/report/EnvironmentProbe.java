package io.lockbench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Reads the facts of {@link RunEnvironment} from this machine, JVM, classpath and git checkout. */
public final class EnvironmentProbe {

    private static final long GIT_TIMEOUT_SECONDS = 5;

    private EnvironmentProbe() {
    }

    /**
     * The processor: model name from {@code /proc/cpuinfo} (Linux), and the processors available to the JVM.
     *
     * @return the CPU
     */
    public static RunEnvironment.Cpu cpu() {
        String model = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException e) {
            // Not Linux: the architecture is all we know.
        }
        return new RunEnvironment.Cpu(model, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The operating system, from the JVM's system properties.
     *
     * @return the OS
     */
    public static RunEnvironment.Os os() {
        return new RunEnvironment.Os(System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"));
    }

    /**
     * This JVM. The benchmark forks run the same {@code java} binary.
     *
     * @return the JVM
     */
    public static RunEnvironment.Jvm jvm() {
        return new RunEnvironment.Jvm(System.getProperty("java.vm.name"), System.getProperty("java.vendor"),
                Runtime.version().toString());
    }

    /**
     * The versions of libraries on the classpath, read from the {@code pom.properties} Maven puts in every jar
     * (kept in the shaded jar, where manifests are not).
     *
     * @param coordinates {@code groupId:artifactId} of each library
     * @return coordinate to version, {@code absent} for a library not on the classpath
     */
    public static Map<String, String> libraryVersions(List<String> coordinates) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String coordinate : coordinates) {
            versions.put(coordinate, libraryVersion(coordinate).orElse("absent"));
        }
        return versions;
    }

    /**
     * The version of one library on the classpath.
     *
     * @param coordinate {@code groupId:artifactId}
     * @return the version, or empty when its {@code pom.properties} is not on the classpath
     */
    public static Optional<String> libraryVersion(String coordinate) {
        String[] parts = coordinate.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("coordinate: expected groupId:artifactId, got " + coordinate);
        }
        String resource = "META-INF/maven/" + parts[0] + "/" + parts[1] + "/pom.properties";
        try (InputStream in = EnvironmentProbe.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(in);
            return Optional.ofNullable(properties.getProperty("version"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The git revision of a checkout, when git is installed and the directory is in a repository.
     *
     * @param dir a directory inside the checkout
     * @return the commit ({@code unknown} when there is none) and whether tracked files have changes
     */
    public static RunEnvironment.Git git(Path dir) {
        Optional<String> commit = run(dir, "git", "rev-parse", "HEAD");
        if (commit.isEmpty()) {
            return new RunEnvironment.Git("unknown", null);
        }
        Boolean dirty = run(dir, "git", "status", "--porcelain", "--untracked-files=no").map(s -> !s.isEmpty())
                .orElse(null);
        return new RunEnvironment.Git(commit.get(), dirty);
    }

    /** The trimmed output of a command that exited with 0 in time, else empty. */
    private static Optional<String> run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(new String(output, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
