package io.lockbench.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A Lua script read from a {@code .lua} resource, with its SHA1 computed once, and the one way every
 * client runs it: EVALSHA, falling back to EVAL when the server answers NOSCRIPT (after a restart or a
 * SCRIPT FLUSH). The fallback costs one extra round trip, once per server until it caches the script again.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /**
     * Reads {@code name} from this package's resources.
     *
     * @param name resource file name, such as {@code acquire.lua}
     * @return the script
     * @throws IllegalStateException when the resource is missing
     */
    public static LuaScript load(String name) {
        return load(LuaScript.class, name);
    }

    /**
     * Reads a script from the resources of {@code owner}'s package: how an implementation module loads a
     * script of its own.
     *
     * @param owner a class whose package holds the resource
     * @param name resource file name, such as {@code fifo.lua}
     * @return the script
     * @throws IllegalStateException when the resource is missing
     */
    public static LuaScript load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Lua script resource missing: "
                        + owner.getPackageName().replace('.', '/') + "/" + name);
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lua script " + name, e);
        }
    }

    /** @return the resource name, such as {@code acquire.lua} */
    public String name() {
        return name;
    }

    /** @return the script text, as sent by EVAL and SCRIPT LOAD */
    public String source() {
        return source;
    }

    /** @return the lower-case hex SHA1 of {@link #source()}, as SCRIPT LOAD returns it */
    public String sha1() {
        return sha1;
    }

    /**
     * Runs the script by SHA1, and by source when the server does not have it cached.
     *
     * @param evalSha sends EVALSHA with the given SHA1
     * @param eval sends EVAL with the given source
     * @param <T> the reply type
     * @return the reply
     */
    public <T> T run(Function<String, T> evalSha, Function<String, T> eval) {
        try {
            return evalSha.apply(sha1);
        } catch (RuntimeException e) {
            if (isNoScript(e)) {
                return eval.apply(source);
            }
            throw e;
        }
    }

    /**
     * Runs the script asynchronously by SHA1, and by source when the server does not have it cached.
     *
     * @param evalSha sends EVALSHA with the given SHA1
     * @param eval sends EVAL with the given source
     * @param <T> the reply type
     * @return the reply's stage
     */
    public <T> CompletionStage<T> runAsync(Function<String, CompletionStage<T>> evalSha,
                                           Function<String, CompletionStage<T>> eval) {
        return evalSha.apply(sha1)
                .handle((reply, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(reply);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (isNoScript(cause)) {
                        return eval.apply(source);
                    }
                    return CompletableFuture.<T>failedFuture(cause);
                })
                .thenCompose(Function.identity());
    }

    /**
     * Whether a client exception is the server's NOSCRIPT error (message starts with NOSCRIPT in every client).
     *
     * @param error an exception from a client library
     * @return true for NOSCRIPT anywhere in its cause chain
     */
    public static boolean isNoScript(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static String sha1Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return name + "@" + sha1;
    }
}
