package io.github.cognitorevoke.internal.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The Lua scripts of the shared tier, kept as {@code .lua} resources next to this class. Each user
 * loads its scripts once, into constants. Whole-line {@code --} comments stay in the files: writes
 * send their script with every {@code EVAL}, so what Redis receives is the code alone.
 */
final class Scripts {

    private Scripts() {
    }

    /**
     * Reads resources and joins them in order: helper functions first, then the script that calls them.
     *
     * @param names resource names, relative to this package
     * @return the script text without its comment lines
     * @throws IllegalStateException if a resource is missing (a broken build)
     */
    static String load(String... names) {
        StringBuilder script = new StringBuilder();
        for (String name : names) {
            try (InputStream in = Scripts.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("cognito-revoke: the script " + name + " is missing from the jar");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                script.append(text.lines().filter(l -> !l.stripLeading().startsWith("--"))
                        .collect(Collectors.joining("\n", "", "\n")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return script.toString();
    }
}
