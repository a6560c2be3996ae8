package io.github.cognitorevoke.it.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One WildFly node that a test manages itself (no Arquillian): its own copy of the provisioned server's
 * {@code standalone} directory ({@code jboss.server.base.dir}), its own port offset, started from
 * {@code bin/standalone.sh} and stopped by the PIDs of that process tree. Deploys by the deployment
 * scanner's marker files: copy a WAR into {@code deployments/}, wait for {@code .deployed} (or
 * {@code .failed}); delete {@code .deployed}, wait for {@code .undeployed}.
 *
 * <p>The copy scans every 500 ms instead of every 5 s (only the copy's {@code standalone.xml} is changed).
 *
 * <p>Public for {@code SharedTierBenchmark}'s end-to-end mode (src/jmh), which boots two nodes the same way.
 */
public final class WildFlyNode implements AutoCloseable {

    /** How long a boot, a deployment or an undeployment may take on a busy CI machine. */
    static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final int HTTP_PORT = 8080;
    private static final String BOOTED = "WFLYSRV0025"; // "... started in N ms"
    private static final String BOOTED_WITH_ERRORS = "WFLYSRV0026"; // "... started (with errors) in N ms"

    private final String name;
    private final Path home;
    private final Path base;
    private final int portOffset;
    private final Map<String, String> environment;
    private ServerProcess process;
    private int starts;

    /**
     * A node, not started yet.
     *
     * @param name        its name (also {@code jboss.node.name}, and the name of its directory)
     * @param home        the provisioned WildFly ({@code it.wildfly.home})
     * @param base        its own server directory, created afresh by {@link #start()}'s first call
     * @param portOffset  {@code jboss.socket.binding.port-offset}: HTTP on 8080 + offset
     * @param environment extra environment variables of the server process
     */
    public WildFlyNode(String name, Path home, Path base, int portOffset, Map<String, String> environment) {
        this.name = name;
        this.home = home.toAbsolutePath();
        this.base = base.toAbsolutePath();
        this.portOffset = portOffset;
        this.environment = Map.copyOf(environment);
    }

    /** @return the node's name */
    String name() {
        return name;
    }

    /** @return its HTTP port */
    int httpPort() {
        return HTTP_PORT + portOffset;
    }

    /**
     * @param context a context root, without slashes
     * @return {@code http://127.0.0.1:<port>/<context>/}
     */
    public URI url(String context) {
        return URI.create("http://127.0.0.1:" + httpPort() + "/" + context + "/");
    }

    /** @return its {@code standalone} copy */
    Path base() {
        return base;
    }

    /**
     * Starts the server and waits until it has booted (the boot includes every deployment already in
     * {@code deployments/}). The first start makes a fresh copy of the provisioned server's configuration.
     *
     * @throws IllegalStateException if it does not boot, or boots with errors
     */
    public synchronized void start() {
        if (process != null && process.alive()) {
            throw new IllegalStateException(name + " runs already");
        }
        // HTTP, HTTPS, AJP, management HTTP and HTTPS, transaction recovery and status, all shifted by the offset
        ServerProcess.requireFree(name, IntStream.of(8080, 8443, 8009, 9990, 9993, 4712, 4713)
                .map(p -> p + portOffset).toArray());
        if (starts == 0) {
            prepareBase();
        }
        starts++;
        Path console = base.resolve("log").resolve("console-" + starts + ".log");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin").resolve("standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + portOffset,
                "-Djboss.node.name=" + name)
                .directory(base.toFile());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1"); // the script forwards TERM to the JVM
        pb.environment().putAll(environment);
        process = ServerProcess.start(name, pb, console);
        try {
            await("boot of " + name).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.alive()) {
                            throw new IllegalStateException(name + " exited while booting:\n" + process.tail(30));
                        }
                        String out = process.output();
                        return out.contains(BOOTED) || out.contains(BOOTED_WITH_ERRORS);
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " did not boot within " + PATIENCE + ":\n" + process.tail(30), e);
        }
        if (process.output().contains(BOOTED_WITH_ERRORS)) {
            throw new IllegalStateException(name + " booted with errors:\n" + process.tail(40));
        }
    }

    /**
     * Deploys a WAR through the deployment scanner and waits for the outcome.
     *
     * @param war the archive; deployed under its file name
     * @throws IllegalStateException if the deployment fails (with the scanner's reason) or takes too long
     */
    public void deploy(Path war) {
        String file = war.getFileName().toString();
        Path deployments = base.resolve("deployments");
        try {
            // whole or not at all: the scanner must never see half a file
            Path part = base.resolve("tmp").resolve(file + ".part");
            Files.createDirectories(part.getParent());
            Files.copy(war, part, StandardCopyOption.REPLACE_EXISTING);
            // The new archive replaces the one a previous test left (undeployed) before that one's markers go:
            // the scanner deploys an unmarked archive on its own, and it must never find the old one unmarked.
            Files.move(part, deployments.resolve(file), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            for (String marker : List.of(".deployed", ".failed", ".undeployed", ".skipdeploy", ".pending")) {
                Files.deleteIfExists(deployments.resolve(file + marker));
            }
            Files.writeString(deployments.resolve(file + ".dodeploy"), "");
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + war + " into " + deployments, e);
        }
        awaitMarker(file, ".deployed", "deployment");
    }

    /**
     * Whether a deployment is deployed now, by its marker (no request to the server).
     *
     * @param file the WAR's file name
     * @return whether {@code deployments/<file>.deployed} exists and {@code .failed} does not
     */
    boolean isDeployed(String file) {
        Path deployments = base.resolve("deployments");
        return Files.exists(deployments.resolve(file + ".deployed")) && !Files.exists(deployments.resolve(file + ".failed"));
    }

    /**
     * Whether the current run's console says the deployment was deployed during or after this boot.
     *
     * @param file the WAR's file name
     * @return whether {@code WFLYSRV0010: Deployed "<file>"} appears in this run's output
     */
    boolean deployedInThisRun(String file) {
        return process != null && process.output().contains("Deployed \"" + file + "\"");
    }

    /**
     * Undeploys through the scanner: deletes the {@code .deployed} marker and waits for {@code .undeployed}.
     *
     * @param file the WAR's file name
     */
    void undeploy(String file) {
        Path deployments = base.resolve("deployments");
        try {
            if (!Files.deleteIfExists(deployments.resolve(file + ".deployed"))) {
                throw new IllegalStateException(file + " is not deployed on " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitMarker(file, ".undeployed", "undeployment");
    }

    /** Stops the server and waits until the launcher and the server JVM have ended. Idempotent. */
    public synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    /** Stops and starts the server again; the deployments in {@code deployments/} are deployed again by the boot. */
    void restart() {
        stop();
        start();
    }

    /** @return whether the server process runs */
    synchronized boolean running() {
        return process != null && process.alive();
    }

    /** @return the tail of this run's console output, for a failure message */
    synchronized String tail() {
        return process == null ? "(not running)" : process.tail(40);
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Closes each of a test's resources (nodes, Redis, the stub), in this order, skipping nulls.
     *
     * @param resources what the test opened
     * @throws Exception the first that failed to close
     */
    static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable c : resources) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (WildFly, HTTP " + httpPort() + ")";
    }

    private void awaitMarker(String file, String marker, String what) {
        Path deployments = base.resolve("deployments");
        Path failed = deployments.resolve(file + ".failed");
        try {
            await(what + " of " + file + " on " + name).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (Files.exists(failed)) {
                            throw new IllegalStateException(what + " of " + file + " failed on " + name + ": "
                                    + Files.readString(failed, StandardCharsets.UTF_8));
                        }
                        if (!running()) {
                            throw new IllegalStateException(name + " exited:\n" + tail());
                        }
                        return Files.exists(deployments.resolve(file + marker));
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(what + " of " + file + " on " + name + " took longer than " + PATIENCE
                    + ":\n" + tail(), e);
        }
    }

    /**
     * A fresh {@code standalone} copy: the provisioned configuration and modules' extras, an empty
     * {@code deployments/}, no data, log or tmp of an earlier run, and no deployments recorded in
     * {@code standalone.xml} (another test run may have left one there).
     */
    private void prepareBase() {
        Path source = home.resolve("standalone");
        try {
            deleteTree(base);
            Files.createDirectories(base.resolve("deployments"));
            for (String dir : List.of("configuration", "lib")) {
                copyTree(source.resolve(dir), base.resolve(dir));
            }
            deleteTree(base.resolve("configuration").resolve("standalone_xml_history"));
            Path xml = base.resolve("configuration").resolve("standalone.xml");
            String config = Files.readString(xml, StandardCharsets.UTF_8)
                    .replaceAll("(?s)<deployments>.*?</deployments>", "")
                    .replaceFirst("(<deployment-scanner [^>]*scan-interval=\")5000(\")", "$1500$2");
            if (!config.contains("scan-interval=\"500\"")) {
                throw new IllegalStateException("no deployment-scanner with scan-interval=\"5000\" in " + xml);
            }
            Files.writeString(xml, config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + base + " from " + source, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(from)) {
            paths = new ArrayList<>(walk.toList());
        }
        for (Path p : paths) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) {
            Files.delete(p);
        }
    }
}
