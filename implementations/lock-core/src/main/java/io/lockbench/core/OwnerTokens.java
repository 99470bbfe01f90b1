package io.lockbench.core;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Owner tokens: 128 random bits as 32 hex characters. The first 64 bits are drawn once per process from
 * {@link SecureRandom} (so two processes never share a prefix by seeding alike); the other 64 come from
 * {@link ThreadLocalRandom}, which costs nanoseconds and takes no lock on the acquire path.
 */
public final class OwnerTokens {

    private static final String PROCESS_PART = hex16(new SecureRandom().nextLong());

    private OwnerTokens() {
    }

    /** @return a new token, unique per call */
    public static String next() {
        return PROCESS_PART + hex16(ThreadLocalRandom.current().nextLong());
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
