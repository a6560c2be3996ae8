package io.github.cognitorevoke.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The log of the server the current Failsafe execution runs ({@code arquillian.launch}), for tests that grep
 * it (leaked secrets, deployment errors). Take a {@link #mark()} before the action, read {@link #since(long)}.
 *
 * <ul>
 *   <li>WildFly: {@code target/wildfly-<v>/standalone/log/server.log}, one server for the whole execution.</li>
 *   <li>Payara Micro: {@code --logToFile target/payara-server.log} (JUL appends a generation suffix:
 *       {@code payara-server.log.0}); each deployment is a new Payara JVM.</li>
 * </ul>
 */
public final class ServerLogs {
    private ServerLogs() {}

    /** The qualifier of the server under test: {@code wildfly} or {@code payara}. */
    public static String server() {
        return System.getProperty("arquillian.launch", "");
    }

    /** The server's log file, if it exists yet. */
    public static Optional<Path> file() {
        if ("wildfly".equals(server())) {
            Path p = Path.of(System.getProperty("it.wildfly.home"), "standalone", "log", "server.log");
            return Files.exists(p) ? Optional.of(p) : Optional.empty();
        }
        Path dir = Path.of(System.getProperty("it.build.dir", "target"));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith("payara-server.log") && !n.endsWith(".lck");
                    })
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The current length of the log, to read only what follows. */
    public static long mark() {
        return file().map(p -> p.toFile().length()).orElse(0L);
    }

    /** What the server logged after {@code mark} (everything if the file was replaced meanwhile). */
    public static String since(long mark) {
        Optional<Path> f = file();
        if (f.isEmpty()) {
            return "";
        }
        try {
            byte[] all = Files.readAllBytes(f.get());
            int from = mark <= all.length ? (int) mark : 0;
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
