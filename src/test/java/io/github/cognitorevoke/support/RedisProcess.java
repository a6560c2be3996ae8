package io.github.cognitorevoke.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, started as a child process and stopped by its PID.
 *
 * <p>The binary is Redis 6.2 for Linux x86-64, taken from Maven Central's
 * {@code com.github.codemonstur:embedded-redis} jar (a test dependency; only the binary is used).
 * Set {@code -Dredis.server=/usr/bin/redis-server} (or the environment variable
 * {@code REDIS_SERVER}) to test against another build, e.g. Debian's Redis 7 or a Valkey.
 *
 * <p>Nothing is persisted ({@code --save ''}, no AOF): a restart is an empty server, like a
 * failed-over cache without persistence. {@link #stop()} then {@link #start()} keeps the port.
 */
public final class RedisProcess implements AutoCloseable {

    private static final String BINARY_RESOURCE = "/redis-server-6.2.6-v5-linux-amd64";

    private final int port;
    private final Path dir;
    private final List<String> options;
    /** A configuration file given first on the command line (Sentinel's), or null. */
    private Path config;
    private Process process;

    private RedisProcess(int port, Path dir, List<String> options) {
        this.port = port;
        this.dir = dir;
        this.options = List.copyOf(options);
    }

    /**
     * Starts a server on a free loopback port.
     *
     * @param name a name for its working directory under {@code target/redis}
     * @return the running server
     */
    public static RedisProcess start(String name) {
        return start(name, List.of());
    }

    /**
     * Starts a server on a free loopback port with more options, e.g. {@code --cluster-enabled yes}.
     *
     * @param name    a name for its working directory under {@code target/redis}
     * @param options more command-line options, kept for a restart
     * @return the running server
     */
    public static RedisProcess start(String name, List<String> options) {
        if (!options.contains("--cluster-enabled")) {
            RedisProcess redis = new RedisProcess(freePort(), workDir(name), options);
            redis.start();
            return redis;
        }
        // A cluster node also listens on its port + 10000 (the cluster bus), which a port the system
        // handed out may not have free: ports are taken below the system's ephemeral range (where no
        // outgoing connection takes them meanwhile), and a start that still finds one taken is tried
        // again on other ports.
        for (int attempt = 1; ; attempt++) {
            RedisProcess redis = new RedisProcess(freeClusterPort(), workDir(name), options);
            try {
                redis.start();
                return redis;
            } catch (IllegalStateException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts a Sentinel (the same binary with {@code --sentinel}) on a free loopback port that
     * monitors a primary with a quorum of 2, finds it down after 1 s and fails it over.
     *
     * @param name    a name for its working directory
     * @param master  the name Sentinel gives the primary, as in {@code sentinelMasterId}
     * @param primary the primary's port
     * @return the running Sentinel
     */
    public static RedisProcess sentinel(String name, String master, int primary) {
        Path dir = workDir(name);
        try {
            Files.createDirectories(dir);
            // Sentinel rewrites its configuration file: it must be its own and writable.
            Files.writeString(dir.resolve("sentinel.conf"), String.join("\n",
                    "sentinel monitor " + master + " 127.0.0.1 " + primary + " 2",
                    "sentinel down-after-milliseconds " + master + " 1000",
                    "sentinel failover-timeout " + master + " 5000",
                    "sentinel parallel-syncs " + master + " 1", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisProcess sentinel = new RedisProcess(freePort(), dir, List.of("--sentinel"));
        sentinel.config = dir.resolve("sentinel.conf");
        sentinel.start();
        return sentinel;
    }

    /**
     * Starts a server on a given loopback port.
     *
     * @param name a name for its working directory under {@code target/redis}
     * @param port the port
     * @return the running server
     */
    public static RedisProcess startOn(String name, int port) {
        RedisProcess redis = new RedisProcess(port, workDir(name), List.of());
        redis.start();
        return redis;
    }

    /** Starts (or restarts) the process on this server's port and waits until it answers PING. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            List<String> command = new java.util.ArrayList<>(List.of(binary().toString()));
            if (config != null) {
                command.add(config.toString());
            }
            command.addAll(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
            command.addAll(options);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.out").toFile());
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting redis-server", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + dir);
            }
            if ("+PONG".equals(command("PING"))) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 20 s; see " + dir);
    }

    /** Stops the process (by its PID) and waits for it to end; the port is free afterwards. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Kills the process with SIGKILL (by its PID) and waits for it to end: a crash, no goodbye to its
     * clients or replicas.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** @return whether the process runs */
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** @return the PID of the running process */
    public synchronized long pid() {
        return process.pid();
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** @return {@code redis://127.0.0.1:port} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Sends one inline command (space-separated words, no quoting) and returns the first reply line,
     * e.g. {@code +PONG}, {@code :3}, {@code $-1}; null if the server cannot be reached.
     *
     * @param inline the command
     * @return the first reply line, or null
     */
    public String command(String inline) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Sends one command in RESP (any arguments, spaces included) and reads its whole reply: a simple
     * string, an error (as {@code -ERR ...}), an integer or a bulk string as text, an array as its
     * elements joined by newlines, a nil as null. No Lettuce client, so no threads outlive a test.
     *
     * @param args the command and its arguments
     * @return the reply as text
     * @throws UncheckedIOException if the server cannot be reached
     */
    public String call(String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new java.io.BufferedInputStream(s.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port, e);
        }
    }

    private static String reply(InputStream in) throws IOException {
        String line = line(in);
        char kind = line.charAt(0);
        String rest = line.substring(1);
        switch (kind) {
            case '+', ':' -> {
                return rest;
            }
            case '-' -> {
                return line;
            }
            case '$' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(rest);
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    all.append(i == 0 ? "" : "\n").append(reply(in));
                }
                return n < 0 ? null : all.toString();
            }
            default -> throw new IOException("not a RESP reply: " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c < 0) {
            throw new IOException("connection closed");
        }
        return line.toString();
    }

    @Override
    public void close() {
        stop();
    }

    /** The binary: {@code -Dredis.server}, {@code REDIS_SERVER}, or extracted from the embedded-redis jar. */
    static synchronized Path binary() throws IOException {
        String configured = System.getProperty("redis.server", System.getenv("REDIS_SERVER"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path target = Path.of(System.getProperty("redis.dir", "target/redis")).resolve("redis-server-6.2");
        if (!Files.isExecutable(target)) {
            Files.createDirectories(target.getParent());
            try (InputStream in = RedisProcess.class.getResourceAsStream(BINARY_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("no " + BINARY_RESOURCE + " on the test classpath:"
                            + " com.github.codemonstur:embedded-redis is a test dependency");
                }
                Path tmp = Files.createTempFile(target.getParent(), "redis-server", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }

    private static Path workDir(String name) {
        return Path.of(System.getProperty("redis.dir", "target/redis")).resolve(name + "-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime()).toAbsolutePath();
    }

    /** A port p below the ephemeral range with p and p + 10000 free now. */
    private static int freeClusterPort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 1000; i++) {
            int port = random.nextInt(10_000, 22_700);
            if (free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free pair of ports p, p + 10000 below 32768");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a default wait for tests: long enough for a loaded 2-core CI machine */
    public static Duration patience() {
        return Duration.ofSeconds(15);
    }
}
