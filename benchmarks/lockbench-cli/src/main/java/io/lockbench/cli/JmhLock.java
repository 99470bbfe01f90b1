package io.lockbench.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JMH runs one benchmark at a time per machine: each run holds a file lock on {@code <java.io.tmpdir>/jmh.lock}
 * and another run that finds it taken fails with "Another JMH instance might be running". {@code bench} checks
 * before its first step, so that a second run says so at once and leaves no run directory.
 */
final class JmhLock {

    /** What JMH's refusal says, for telling it from its other failures. */
    static final String JMH_REFUSAL = "Unable to acquire the JMH lock";

    private JmhLock() {
    }

    /**
     * The lock file, where JMH puts it.
     *
     * @return {@code <java.io.tmpdir>/jmh.lock}
     */
    static Path file() {
        // JMH joins the two with a slash itself: Runner.JMH_LOCK_FILE.
        return Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
    }

    /**
     * Takes and releases the lock, as JMH will.
     *
     * @throws CommandFailure when another process holds it
     */
    static void checkFree() {
        Path file = file();
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw held();
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw held();
        } catch (IOException e) {
            // Cannot open it to check (another user's file, say): JMH tries for itself and says why it could not.
        }
    }

    /**
     * The failure to report when the lock is taken.
     *
     * @return one line: what and what to do
     */
    static CommandFailure held() {
        Path file = file();
        return new CommandFailure("another benchmark run holds JMH's lock " + file + " (JMH runs one at a time per"
                + " machine); wait until it ends and run again ('fuser " + file + "' shows which process)");
    }
}
