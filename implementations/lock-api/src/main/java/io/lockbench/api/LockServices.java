package io.lockbench.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds the {@link LockServiceProvider}s on the classpath by name. */
public final class LockServices {

    private LockServices() {
    }

    /**
     * The names of every registered implementation, sorted.
     *
     * @return the provider names
     */
    public static List<String> names() {
        return new ArrayList<>(providers().keySet());
    }

    /**
     * Creates a service of the named implementation.
     *
     * <p>Settings that name a Redis Cluster ({@code redis-cluster://}, see {@link LockSettings#cluster()}) give
     * the implementation's cluster-mode service; an implementation that does not declare
     * {@link Capability#CLUSTER} is refused with its {@linkplain LockServiceProvider#clusterUnsupportedReason()
     * reason}.
     *
     * @param name a provider name, as listed by {@link #names()}
     * @param settings where the servers are
     * @return a new service; the caller closes it
     * @throws IllegalArgumentException when no provider has that name (the message lists the known ones),
     *     settings is null, or the settings name a cluster the implementation cannot run on
     */
    public static LockService create(String name, LockSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings: must not be null");
        }
        LockServiceProvider provider = provider(name);
        if (settings.cluster().isPresent() && !provider.capabilities().contains(Capability.CLUSTER)) {
            throw new IllegalArgumentException(name + " does not run on a Redis Cluster ("
                    + provider.clusterUnsupportedReason() + "); got " + settings.nodes().get(0));
        }
        return provider.create(settings);
    }

    /**
     * The provider of that name.
     *
     * @param name a provider name
     * @return the provider
     * @throws IllegalArgumentException when no provider has that name (the message lists the known ones)
     */
    public static LockServiceProvider provider(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name: must not be null; known: " + names());
        }
        Map<String, LockServiceProvider> all = providers();
        LockServiceProvider provider = all.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("name: no lock implementation called '" + name
                    + "' on the classpath; known: " + all.keySet());
        }
        return provider;
    }

    private static Map<String, LockServiceProvider> providers() {
        Map<String, LockServiceProvider> byName = new TreeMap<>();
        for (LockServiceProvider provider : ServiceLoader.load(LockServiceProvider.class)) {
            LockServiceProvider clash = byName.putIfAbsent(provider.name(), provider);
            if (clash != null) {
                throw new IllegalStateException("two lock implementations are called '" + provider.name() + "': "
                        + clash.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return byName;
    }
}
