package io.lockbench.api;

/**
 * Makes {@link LockService}s of one implementation. Each implementation module registers one in
 * {@code META-INF/services/io.lockbench.api.LockServiceProvider}, so the benchmarks, the CLI and the tests
 * find it by name, and an in-house lock dropped onto the classpath is benchmarked like ours.
 */
public interface LockServiceProvider {

    /**
     * The implementation's name, unique on the classpath; equal to {@link LockService#name()}.
     *
     * @return a short, stable, lower-case name such as {@code "jedis"}
     */
    String name();

    /**
     * Creates a service connected to the given nodes.
     *
     * @param settings where the servers are and how long a command may take
     * @return a new service; the caller closes it
     * @throws LockBackendException when the implementation connects eagerly and cannot reach a server
     */
    LockService create(LockSettings settings);

    /**
     * The Redis key that exists while the lock named {@code key} is held, for observers outside the service: the
     * chaos run samples it to find locks held by no one (an orphan after an unresolved timeout) and locks without a
     * ttl. The key itself unless the implementation stores the lock under another name.
     *
     * @param key the lock's name, as given to {@link LockService#tryAcquire}
     * @return the name of the key holding the lock on the server
     */
    default String lockKey(String key) {
        return key;
    }
}
