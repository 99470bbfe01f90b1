package io.lockbench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The libfaketime timestamp file of the servers started under it: {@code +N} seconds ahead of the real
 * clock. With {@code FAKETIME_NO_CACHE=1} the servers read it at every clock call, so a write moves their
 * clock at once. It only moves forward.
 */
final class FakeClock implements AutoCloseable {

    private final Path file;
    private long aheadMillis;

    private FakeClock(Path file) {
        this.file = file;
    }

    static FakeClock create() {
        try {
            Path file = Files.createTempFile("lockbench-faketime-", ".rc");
            FakeClock clock = new FakeClock(file);
            clock.write();
            return clock;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the libfaketime timestamp file", e);
        }
    }

    Path file() {
        return file;
    }

    /**
     * Moves the servers' clock forward.
     *
     * @param by how far
     */
    synchronized void jump(Duration by) {
        aheadMillis += by.toMillis();
        write();
    }

    private void write() {
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, String.format(java.util.Locale.ROOT, "+%.3f%n", aheadMillis / 1000.0));
            // A rename, so that a server never reads a half-written offset.
            Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file, e);
        }
    }
}
