package io.lockbench.cli;

import io.lockbench.report.EnvironmentProbe;
import io.lockbench.report.RunEnvironment;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Names a run's results directory: the UTC start time, then the short host name and commit, such as
 * {@code 2026-11-22T03-41-00Z-buildbox-3f9c2e1}. Sorts by time; colons are avoided for file systems that
 * refuse them.
 */
final class RunId {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int HOST_LENGTH = 20;
    private static final int COMMIT_LENGTH = 7;

    private RunId() {
    }

    /**
     * A run that starts now: its time, commit, id and directory, the same way for every command.
     *
     * @param time when it started
     * @param nanos {@link System#nanoTime()} then, for {@link #elapsed()}
     * @param git the commit of the working directory
     * @param id the run id ({@link #of})
     * @param dir {@code <out>/<id>}
     */
    record Started(Instant time, long nanos, RunEnvironment.Git git, String id, Path dir) {
        /** @return how long the run has taken so far */
        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - nanos);
        }
    }

    /**
     * Starts a run whose results go to {@code out}.
     *
     * @param out the results directory given on the command line
     * @return the run's time, commit, id and directory (not created yet)
     */
    static Started start(Path out) {
        Instant time = Instant.now();
        long nanos = System.nanoTime();
        RunEnvironment.Git git = EnvironmentProbe.git(Path.of("").toAbsolutePath());
        String id = of(time, hostName(), git.commit());
        return new Started(time, nanos, git, id, out.resolve(id));
    }

    /**
     * The run id.
     *
     * @param start when the run started
     * @param host the host name; its first label is used, reduced to letters, digits and dashes
     * @param commit the git commit, or {@code unknown}
     * @return the id
     */
    static String of(Instant start, String host, String commit) {
        StringBuilder id = new StringBuilder(TIME.format(start.truncatedTo(ChronoUnit.SECONDS)));
        String shortHost = host == null ? "" : host.split("\\.")[0].toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "");
        if (!shortHost.isEmpty()) {
            id.append('-').append(shortHost, 0, Math.min(HOST_LENGTH, shortHost.length()));
        }
        if (commit != null && commit.matches("[0-9a-f]{7,40}")) {
            id.append('-').append(commit, 0, COMMIT_LENGTH);
        }
        return id.toString();
    }

    /**
     * This machine's name, for {@link #of}: {@code $HOSTNAME}, else what the resolver says.
     *
     * @return the host name, or empty when unknown
     */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
