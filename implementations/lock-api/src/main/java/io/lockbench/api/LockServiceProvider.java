package io.lockbench.api;

import java.util.Set;

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

    /**
     * What every service of this provider declares ({@link LockService#capabilities()}), known without
     * connecting: the benchmark runner leaves an implementation out of a benchmark that needs a capability
     * it lacks (the async benchmark runs only where {@link Capability#ASYNC} is declared).
     *
     * @return the capabilities; the default, none, keeps a provider that does not say out of such benchmarks
     */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * Why this implementation does not run on a Redis Cluster, in a few words a benchmark plan can print
     * beside its name when a cluster run leaves it out. Asked only when {@link #capabilities()} lacks
     * {@link Capability#CLUSTER}.
     *
     * @return the reason; the default says only that the capability is not declared
     */
    default String clusterUnsupportedReason() {
        return "its provider does not declare Capability.CLUSTER";
    }
}
