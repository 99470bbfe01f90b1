package io.lockbench.testkit;

import java.nio.file.Path;

/**
 * A {@code redis-server} executable we can start, with the version it reported.
 *
 * @param path the executable
 * @param version as {@code redis-server --version} prints it, such as {@code 6.2.6}
 * @param origin where it came from: {@code embedded}, {@code on PATH} or {@code given}
 */
record RedisBinary(Path path, String version, String origin) {

    /** The oldest server the kit accepts: 6.2 brought CLIENT PAUSE ... ALL/WRITE, GETDEL and SET ... GET. */
    static final int MIN_MAJOR = 6;
    static final int MIN_MINOR = 2;

    String describe() {
        String name = "redis-server " + version + " (" + path + ")";
        return switch (origin) {
            case "embedded" -> "embedded " + name;
            case "on PATH" -> "redis-server " + version + " on PATH (" + path + ")";
            default -> name;
        };
    }

    boolean isSupported() {
        return atLeast(version, MIN_MAJOR, MIN_MINOR);
    }

    /**
     * Whether a dotted version is at least {@code major.minor}; an unreadable version counts as too old.
     */
    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int actualMajor = Integer.parseInt(parts[0]);
            int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return actualMajor > major || (actualMajor == major && actualMinor >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
