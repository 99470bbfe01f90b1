package io.lockbench.fifo;

import io.lockbench.core.LockKeys;
import java.util.List;

/**
 * The Redis names behind one fair lock: the lock key, fencing counter and channel of {@link LockKeys}, plus
 * the queue of waiters and their deadlines. All share the lock's hash tag, so fifo.lua runs on one slot.
 *
 * @param names the lock key, fencing counter and channel
 * @param queue the waiter tokens in arrival order, {@code lock:{tag}:queue}
 * @param waiters each queued token's deadline and ttl, {@code lock:{tag}:waiters}
 */
record FifoKeys(LockKeys names, String queue, String waiters) {

    /**
     * @param key the user's lock name (already validated)
     * @return the names
     */
    static FifoKeys of(String key) {
        LockKeys names = LockKeys.of(key);
        return new FifoKeys(names, names.lock() + ":queue", names.lock() + ":waiters");
    }

    /** @return fifo.lua's KEYS, in its order */
    List<String> scriptKeys() {
        return List.of(names.lock(), names.fence(), queue, waiters);
    }
}
