package io.github.cognitorevoke.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A server process that a cluster test started itself, and the process tree below it: stopped by the
 * PIDs it started (never by a name), TERM first and KILL after a grace period, and killed by a JVM
 * shutdown hook if the test JVM ends before the test stopped it.
 */
final class ServerProcess {

    /** How long a server may take to shut down after TERM before it is killed. */
    static final Duration GRACE = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path output;
    private final Thread killOnExit;

    private ServerProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.killOnExit = new Thread(this::kill, "kill " + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts a command with its standard output and error in a file.
     *
     * @param name    what the messages call it
     * @param builder the command, environment and working directory
     * @param output  the file for its output (replaced)
     * @return the running process
     */
    static ServerProcess start(String name, ProcessBuilder builder, Path output) {
        try {
            Files.createDirectories(output.getParent());
            Process p = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new ServerProcess(name, p, output);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name + ": " + builder.command(), e);
        }
    }

    /**
     * Fails unless every port is free on loopback: a server of another run (or another worker) on one of
     * them would answer this test's requests, or make the new server fail in a less obvious way.
     *
     * @param name  what the message calls the server
     * @param ports its ports
     */
    static void requireFree(String name, int... ports) {
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " of " + name + " is taken: is a server of another"
                        + " run still up? (" + e.getMessage() + ")");
            }
        }
    }

    /** @return whether the started process runs */
    boolean alive() {
        return process.isAlive();
    }

    /** @return the PID of the started process */
    long pid() {
        return process.pid();
    }

    /** @return what it wrote to standard output and error so far */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The last lines of its output, for a failure message.
     *
     * @param lines how many
     * @return the lines
     */
    String tail(int lines) {
        List<String> all = output().lines().collect(Collectors.toList());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Stops the process tree: TERM to the started process's descendants (for WildFly: the server JVM
     * below the launcher script) and to the process itself, waits up to {@link #GRACE} for each, then
     * KILL to whatever is left. Returns once every process of the tree has ended.
     */
    void stop() {
        List<ProcessHandle> tree = tree();
        // the deepest first: the server JVM shuts down, then the script that waits for it exits
        for (int i = tree.size() - 1; i >= 0; i--) {
            tree.get(i).destroy();
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle p : tree) {
            awaitExit(p, Math.max(0, deadline - System.nanoTime()));
        }
        for (ProcessHandle p : tree) {
            if (p.isAlive()) {
                System.err.println(name + ": process " + p.pid() + " did not stop within " + GRACE + ": killing it");
                p.destroyForcibly();
                awaitExit(p, TimeUnit.SECONDS.toNanos(10));
            }
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS); // reaps the child
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeHook();
    }

    /** KILL to the whole tree at once (the JVM is exiting). */
    private void kill() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        try (Stream<ProcessHandle> below = process.descendants()) {
            below.forEach(tree::add);
        }
        return tree;
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs and finds nothing alive
        }
    }

    private static void awaitExit(ProcessHandle p, long nanos) {
        CompletableFuture<ProcessHandle> exit = p.onExit();
        try {
            exit.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still alive: the caller kills it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
