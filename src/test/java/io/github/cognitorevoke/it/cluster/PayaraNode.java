package io.github.cognitorevoke.it.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Payara Micro node that a test manages itself: {@code java -jar payara-micro.jar --deploy <war>}
 * on a fixed port, without Hazelcast (the nodes share nothing but Redis), listening on loopback only;
 * ready when a path of the application answers 200; stopped by its PID.
 */
final class PayaraNode implements AutoCloseable {

    private static final String LOAD_FAILED = "Exception while loading the app";

    private final String name;
    private final Path jar;
    private final Path dir;
    private final int port;
    private final Map<String, String> environment;
    private volatile String lastPoll = "no answer yet";
    private ServerProcess process;
    private String context;

    /**
     * A node, not started yet.
     *
     * @param name        its name (and the name of its directory)
     * @param jar         Payara Micro ({@code it.payara.jar})
     * @param dir         its own directory (root dir, tmp, output), created afresh
     * @param port        its HTTP port
     * @param environment extra environment variables of the server process
     */
    PayaraNode(String name, Path jar, Path dir, int port, Map<String, String> environment) {
        this.name = name;
        this.jar = jar.toAbsolutePath();
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.environment = Map.copyOf(environment);
    }

    /**
     * @param contextRoot a context root, without slashes
     * @return {@code http://127.0.0.1:<port>/<context>/}
     */
    URI url(String contextRoot) {
        return URI.create("http://127.0.0.1:" + port + "/" + contextRoot + "/");
    }

    /**
     * Starts Payara Micro with the WAR and waits until {@code readyPath} of the application answers 200.
     *
     * @param war         the application
     * @param contextRoot its context root
     * @param readyPath   a path under the context root that answers 200 once the application serves
     */
    synchronized void start(Path war, String contextRoot, String readyPath) {
        if (process != null && process.alive()) {
            throw new IllegalStateException(name + " runs already");
        }
        this.context = contextRoot;
        ServerProcess.requireFree(name, port);
        try {
            WildFlyNode.deleteTree(dir);
            Files.createDirectories(dir.resolve("tmp"));
            // loopback only, like WildFly's default configuration
            Files.writeString(dir.resolve("preboot.asadmin"), "set configs.config.server-config.network-config"
                    + ".network-listeners.network-listener.http-listener.address=127.0.0.1\n");
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + dir, e);
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                "-jar", jar.toString(),
                "--nohazelcast", "--port", Integer.toString(port),
                "--rootdir", dir.resolve("root").toString(),
                "--prebootcommandfile", dir.resolve("preboot.asadmin").toString(),
                "--deploy", war.toAbsolutePath().toString(), "--contextroot", contextRoot))
                .directory(dir.toFile());
        pb.environment().putAll(environment);
        process = ServerProcess.start(name, pb, log());
        URI ready = url(contextRoot).resolve(readyPath);
        try {
            await("start of " + name).atMost(WildFlyNode.PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.alive()) {
                            throw new IllegalStateException(name + " exited while starting:\n" + process.tail(30));
                        }
                        if (process.output().contains(LOAD_FAILED)) {
                            throw new IllegalStateException("the deployment failed on " + name + ":\n" + process.tail(40));
                        }
                        return status(ready) == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " did not serve " + ready + " within " + WildFlyNode.PATIENCE
                    + " (the last poll: " + lastPoll + "):\n" + process.tail(30), e);
        }
    }

    /** @return the file its standard output and error go to (Payara Micro logs to the console) */
    Path log() {
        return dir.resolve("server.log");
    }

    /** Stops Payara Micro (TERM, then KILL after a grace period) and waits for it to end. Idempotent. */
    synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    /** @return whether the server process runs */
    synchronized boolean running() {
        return process != null && process.alive();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + " (Payara Micro, HTTP " + port + (context == null ? "" : ", /" + context) + ")";
    }

    /**
     * One GET on a connection of its own (HTTP/1.1, closed after the answer): nothing from a poll before
     * the deployment is reused after it. Remembers the outcome for a timeout's message.
     */
    private int status(URI uri) {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            c.setRequestProperty("Connection", "close");
            int status = c.getResponseCode();
            lastPoll = "HTTP " + status;
            return status;
        } catch (IOException e) {
            lastPoll = e.toString();
            return -1;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }
}
