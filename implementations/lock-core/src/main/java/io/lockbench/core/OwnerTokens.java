package io.lockbench.core;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Owner tokens: 128 bits drawn afresh for every grant from a cryptographically strong generator, as 32 hex
 * characters. Each thread has its own generator (a DRBG at 128-bit strength, seeded by the operating system),
 * so a draw takes no lock shared with other threads and costs well under a microsecond.
 */
public final class OwnerTokens {

    /** The length of every token: 128 bits in hex. */
    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(OwnerTokens::generator);

    private OwnerTokens() {
    }

    /** @return a new token: 128 fresh random bits */
    public static String next() {
        byte[] bits = new byte[16];
        RANDOM.get().nextBytes(bits);
        return HEX.formatHex(bits);
    }

    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(128, DrbgParameters.Capability.NONE, null));
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
