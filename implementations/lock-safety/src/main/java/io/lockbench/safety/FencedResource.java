package io.lockbench.safety;

import java.util.ArrayList;
import java.util.List;

/**
 * A resource protected by fencing tokens, as a storage service that checks them would be: it accepts a
 * write only if the writer's token is higher than every token it has accepted before, and records every
 * write it was offered. Thread-safe.
 *
 * <p>Tokens of 0 (services without {@link io.lockbench.api.Capability#FENCING}) can never pass a check
 * after the first write; use {@link #unfenced()} to model a resource that does not check at all.
 */
public final class FencedResource {

    /**
     * One write offered to the resource.
     *
     * @param token the writer's fencing token
     * @param writer who wrote: a {@link SafetyChecker.Section#id()} or any label
     * @param atNanos {@link System#nanoTime()} when the resource received it
     * @param accepted whether the resource took it
     */
    public record Write(long token, String writer, long atNanos, boolean accepted) {
    }

    private final boolean checking;
    private final List<Write> writes = new ArrayList<>();
    private long highest;

    private FencedResource(boolean checking) {
        this.checking = checking;
    }

    /** @return a resource that rejects any token not above the highest accepted */
    public static FencedResource fenced() {
        return new FencedResource(true);
    }

    /** @return a resource that accepts every write, recording it: what most real resources are */
    public static FencedResource unfenced() {
        return new FencedResource(false);
    }

    /**
     * Offers a write.
     *
     * @param token the writer's fencing token
     * @param writer who writes
     * @return whether the write was accepted
     */
    public synchronized boolean write(long token, String writer) {
        boolean accept = !checking || token > highest;
        if (accept) {
            highest = Math.max(highest, token);
        }
        writes.add(new Write(token, writer, System.nanoTime(), accept));
        return accept;
    }

    /** @return the highest token accepted so far, 0 before any */
    public synchronized long highestToken() {
        return highest;
    }

    /** @return a copy of every write offered, in arrival order */
    public synchronized List<Write> writes() {
        return new ArrayList<>(writes);
    }

    /** @return how many writes were accepted */
    public synchronized long accepted() {
        return writes.stream().filter(Write::accepted).count();
    }

    /** @return how many writes were rejected */
    public synchronized long rejected() {
        return writes.size() - accepted();
    }
}
