package io.github.cognitorevoke.jmh;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.it.TestWars;
import io.github.cognitorevoke.it.cluster.WildFlyNode;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.redis.RedisDenylist;
import io.github.cognitorevoke.support.RedisCluster;
import io.github.cognitorevoke.support.RedisProcess;
import io.github.cognitorevoke.support.RedisSentinel;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * The shared tier's figures for BENCHMARKS.md, against a real redis-server started here and
 * stopped by PID. Not JMH: these are latencies across processes and wall-clock sync times.
 *
 * <pre>
 *   propagation RATE SECONDS OUT   node A writes RATE entries a second for SECONDS; for each, the time from
 *                                  A's write call until node B's local check sees it (B's check spins on
 *                                  its Caffeine, as a request would find it). HdrHistogram, corrected for
 *                                  coordinated omission; percentile distribution written to OUT.
 *   e2e RATE SECONDS OUT           the same on two real WildFly nodes sharing one Redis: RATE logouts a second
 *                                  ({@code POST /logout} on node A); for each, the time from sending it until
 *                                  node B first answers 401 (revoked) to a {@code GET} with that token, which
 *                                  is polled on its own connection, one request in flight at a time, at most
 *                                  once a millisecond (-De2e.pollGapMicros): resolution a poll gap or a round
 *                                  trip. After 10 s at half the rate, drained; latency from each logout's due
 *                                  time (a late start counts); recorded with recordValue, since the generator
 *                                  is open-loop (logouts overlap), not with the serial correction.
 *   sync N                         N live entries in Redis; the time a new node takes from start to in sync
 *                                  (subscribe, index pages, load into Caffeine), and the heap it retains.
 *   failover RATE SECONDS          two nodes write RATE entries a second between them (alternating) for SECONDS;
 *                                  a third of the way in, the primary (of the prefix's slot) is killed with
 *                                  SIGKILL. Reports the time from the kill until every node is ready again
 *                                  and a write is confirmed again, the writes sent meanwhile, and the
 *                                  confirmed writes lost (missing on a node started afterwards), which must be 0.
 * </pre>
 *
 * Where Redis runs: {@code -Dtier.topology=single} (one server, the default), {@code cluster} (three
 * primaries with a replica each, {@link RedisCluster}; prefix <code>{cognito-revoke}:</code>) or
 * {@code sentinel} (a primary, two replicas and three Sentinels, through a {@code redis-sentinel://} URI).
 * Mode {@code failover} needs {@code cluster} or {@code sentinel}; mode {@code e2e} runs on any of the three (both
 * WildFly nodes get the topology's URI and prefix).
 *
 * Nodes are two {@link RedisDenylist}s with their own Lettuce client and Caffeine in one JVM: the
 * same code a WildFly node runs, without HTTP in between. Mode {@code e2e} adds HTTP and the servers:
 * nodes from {@link WildFlyNode} (system properties {@code it.wildfly.home}, and those of {@link TestWars}:
 * {@code it.library.jar}, {@code it.war-lib.dir}, {@code it.war-lib-lettuce.dir}), the Cognito wire stub in
 * this JVM.
 */
public final class SharedTierBenchmark {

    private SharedTierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        switch (args[0]) {
            case "propagation" -> propagation(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "e2e" -> e2e(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "sync" -> sync(Integer.parseInt(args[1]));
            case "failover" -> failover(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(
                    "propagation RATE SECONDS OUT | e2e RATE SECONDS OUT | sync N | failover RATE SECONDS");
        }
    }

    private static RevocationSettings settings(Topology redis) {
        return RevocationSettings.builder("eu-west-1", "local_bench", "benchclient")
                .endpoint("http://127.0.0.1:9")
                .redisUri(redis.uri())
                .redisKeyPrefix(redis.prefix())
                .redisSyncTimeout(Duration.ofMinutes(5))
                .redisTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The library's default {@code redisKeyPrefix}, kept where the topology needs no hash tag. */
    private static final String DEFAULT_PREFIX = RevocationSettings.builder("eu-west-1", "local_bench", "benchclient")
            .endpoint("http://127.0.0.1:9").build().redisKeyPrefix();

    /** The hash tag of the cluster's prefix. */
    private static final String TAG = "cognito-revoke";

    /**
     * The Redis servers of one topology ({@code -Dtier.topology}), started by PID and stopped by PID on
     * close.
     */
    private static final class Topology implements AutoCloseable {
        final String name;
        private final List<RedisProcess> servers = new ArrayList<>();
        private RedisCluster cluster;
        private RedisSentinel sentinel;
        private String uri;

        private Topology(String name) {
            this.name = name;
        }

        static Topology start(String what) {
            Topology t = new Topology(System.getProperty("tier.topology", "single"));
            try {
                switch (t.name) {
                    case "single" -> {
                        t.servers.add(RedisProcess.start(what));
                        t.uri = t.servers.get(0).uri();
                    }
                    case "cluster" -> {
                        t.cluster = RedisCluster.start(what);
                        t.uri = t.cluster.uri();
                    }
                    case "sentinel" -> {
                        t.sentinel = RedisSentinel.start(what);
                        t.uri = t.sentinel.uri();
                    }
                    default -> throw new IllegalArgumentException("tier.topology: single, cluster or sentinel");
                }
            } catch (RuntimeException | Error e) {
                t.close();
                throw e;
            }
            System.out.println("redis: " + t.name + " at " + t.uri);
            return t;
        }

        String uri() {
            return uri;
        }

        /**
         * @return a URI that reaches the servers now: on a cluster, the current primary of the prefix's slot
         *         (the seed {@link #uri()} may be the server that was killed; a deployment's seed would be a
         *         configuration endpoint that stays up)
         */
        String uriNow() {
            RedisProcess p = cluster != null ? primary() : null;
            return p != null ? p.uri() : uri;
        }

        String prefix() {
            return cluster != null ? "{" + TAG + "}:" : DEFAULT_PREFIX;
        }

        /** @return the server that holds the prefix's keys now (a cluster: the primary of its slot); null if none */
        RedisProcess primary() {
            if (cluster != null) {
                return cluster.primaryOf(TAG);
            }
            if (sentinel != null) {
                return sentinel.primary();
            }
            return servers.get(0).running() ? servers.get(0) : null;
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
            if (sentinel != null) {
                sentinel.close();
            }
            servers.forEach(RedisProcess::stop);
        }
    }

    static void propagation(int rate, int seconds, Path out) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Topology redis = Topology.start("bench-propagation")) {
            RevocationSettings settings = settings(redis);
            RedisDenylist a = RedisDenylist.start(settings, clock, new CaffeineDenylist(clock));
            RedisDenylist b = RedisDenylist.start(settings, clock, new CaffeineDenylist(clock));
            try {
                Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                int total = rate * seconds;
                int warmup = Math.min(rate * 5, total / 5);
                Instant until = clock.instant().plus(Duration.ofHours(1));
                String[] ids = new String[total + warmup];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = UUID.randomUUID().toString();
                }
                long start = System.nanoTime();
                long max = 0;
                for (int i = 0; i < ids.length; i++) {
                    long due = start + i * interval;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(Math.max(1, Math.min(100_000, due - System.nanoTime())));
                    }
                    long t0 = System.nanoTime();
                    a.add(ids[i], until);
                    while (!b.contains(ids[i])) {
                        Thread.onSpinWait();
                    }
                    long took = System.nanoTime() - t0;
                    if (i >= warmup) {
                        h.recordValueWithExpectedInterval(took, interval);
                        max = Math.max(max, took);
                    }
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf("propagation (" + redis.name + "): %d writes at %d/s over %.1f s (after %d warm-up writes)%n",
                        total, rate, elapsed - warmup / (double) rate, warmup);
                System.out.printf("p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n",
                        ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                        ms(h.getValueAtPercentile(99.9)), ms(max));
                Files.createDirectories(out.toAbsolutePath().getParent());
                try (PrintStream p = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
                    h.outputPercentileDistribution(p, 1e6);
                }
                System.out.println("distribution (ms): " + out);
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /** Port offsets of the two nodes: clear of the ITs (100, 400, 500, Payara Micro on 8680) and bench/load.sh (300). */
    private static final int OFFSET_A = 700;
    private static final int OFFSET_B = 800;
    private static final String CONTEXT = "e2e";
    private static final String CLIENT = "1benche2eclient3k1j5g6f7d8s9"; // Cognito-shaped
    private static final String REVOKED_CHALLENGE =
            "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked\"";
    /** A token that B still accepts this long after its logout was sent counts as a failure. */
    private static final Duration GIVE_UP = Duration.ofSeconds(5);
    /** Polls of one token on B start at most this often: the measurement's resolution is this or a round trip. */
    private static final Duration POLL_GAP = Duration.ofNanos(Long.getLong("e2e.pollGapMicros", 1000) * 1000);

    static void e2e(int rate, int seconds, Path out) throws Exception {
        Path dir = Path.of(System.getProperty("e2e.dir", "target/bench/tier/e2e")).toAbsolutePath();
        Path home = Path.of(System.getProperty("it.wildfly.home", "target/missing-wildfly"));
        if (!Files.isExecutable(home.resolve("bin/standalone.sh"))) {
            throw new IllegalStateException("no WildFly at it.wildfly.home=" + home.toAbsolutePath());
        }
        try (CognitoStub stub = CognitoStub.start(); Topology redis = Topology.start("bench-e2e")) {
            stub.addClient(CLIENT, null, true);
            Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
            params.put("redisUri", redis.uri());
            params.put("redisKeyPrefix", redis.prefix());
            Path war = dir.resolve(CONTEXT + ".war");
            Files.createDirectories(dir);
            TestWars.app(CONTEXT, params).addAsLibraries(TestWars.lettuceJars())
                    .as(ZipExporter.class).exportTo(war.toFile(), true);
            WildFlyNode a = new WildFlyNode("bench-a", home, dir.resolve("node-a"), OFFSET_A, Map.of());
            WildFlyNode b = new WildFlyNode("bench-b", home, dir.resolve("node-b"), OFFSET_B, Map.of());
            // closed (stopped by PID) in every outcome; stop() waits for a start() still under way
            try (a; b) {
                long boot = System.nanoTime();
                CompletableFuture<Void> bootA = CompletableFuture.runAsync(() -> {
                    a.start();
                    a.deploy(war);
                });
                CompletableFuture<Void> bootB = CompletableFuture.runAsync(() -> {
                    b.start();
                    b.deploy(war);
                });
                int total = rate * seconds;
                // two freshly booted server JVMs: 10 s at half the rate, unrecorded (see measure)
                int warmup = Math.max(1, rate / 2) * Integer.getInteger("e2e.warmupSeconds", 10);
                // minted while the servers boot; one more for the check below
                StubTokens[] tokens = new StubTokens[warmup + total + 1];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = stub.login(CLIENT, "user" + i);
                }
                CompletableFuture.allOf(bootA, bootB).join(); // both ended, one way or the other
                System.out.printf("e2e (%s): %s and %s deployed in %.1f s; %d token pairs minted%n", redis.name, a, b,
                        (System.nanoTime() - boot) / 1e9, tokens.length);
                measure(redis.name, a.url(CONTEXT), b.url(CONTEXT), tokens, rate, warmup, out);
            }
        }
    }

    /**
     * After a warm-up at half the rate (drained before the recording starts), token i's logout is due at
     * recording start + i / rate. At that moment one pool thread sends it to A and waits for
     * its answer (the logout's own time), and another polls B with the token until B answers 401 with the
     * revoked challenge: the latency is from the due time, so a late start counts too. Each thread keeps its
     * own keep-alive connection; one request in flight on each.
     */
    private static void measure(String topology, URI onA, URI onB, StubTokens[] tokens, int rate, int warmup, Path out)
            throws Exception {
        String tag = "e2e (" + topology + "): ";
        String logoutPath = onA.resolve("logout").getRawPath();
        String resourcePath = onB.resolve("protected").getRawPath();
        Queue<Connection> connections = new ConcurrentLinkedQueue<>();
        ThreadLocal<Connection> toA = ThreadLocal.withInitial(() -> opened(connections, onA));
        ThreadLocal<Connection> toB = ThreadLocal.withInitial(() -> opened(connections, onB));
        // one thread per logout or poll in flight: far more than 200/s needs unless a node stalls
        ExecutorService logoutPool = Executors.newFixedThreadPool(32);
        ExecutorService pollPool = Executors.newFixedThreadPool(32);
        try {
            // a live token passes on both nodes: a 401 below means revoked, not misconfigured
            StubTokens probe = tokens[tokens.length - 1];
            try (Connection a = opened(connections, onA); Connection b = opened(connections, onB)) {
                for (Connection c : List.of(a, b)) {
                    int status = c.exchange(Connection.get(resourcePath, probe.accessToken())).status();
                    if (status != 200) {
                        throw new IllegalStateException("a live token got " + status + " at " + c);
                    }
                }
            }
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            int n = tokens.length - 1;
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            Histogram serial = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            Histogram logoutTime = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger not204 = new AtomicInteger();
            AtomicInteger firstPollRevoked = new AtomicInteger();
            AtomicLong polls = new AtomicLong();
            AtomicLong maxLag = new AtomicLong();
            AtomicLong max = new AtomicLong();
            AtomicInteger inFlight = new AtomicInteger();
            long warmInterval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate / 2);
            String loadBefore = "?";
            long[] cpuBefore = null;
            long ownBefore = 0;
            long aBefore = 0;
            long bBefore = 0;
            long start = System.nanoTime();
            long recording = start;
            for (int i = 0; i < n; i++) {
                if (i == warmup) {
                    // the warm-up's work ends before the recording starts: no backlog carried into it
                    long drained = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                    while (inFlight.get() > 0 && System.nanoTime() < drained) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    loadBefore = loadAverage();
                    cpuBefore = machineCpu();
                    ownBefore = ownCpu();
                    aBefore = serverCpu("bench-a");
                    bBefore = serverCpu("bench-b");
                    recording = System.nanoTime();
                }
                long due = i < warmup ? start + i * warmInterval : recording + (i - warmup) * interval;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(1, Math.min(100_000, due - System.nanoTime())));
                }
                StubTokens t = tokens[i];
                boolean recorded = i >= warmup;
                inFlight.addAndGet(2);
                logoutPool.execute(() -> {
                    long t0 = System.nanoTime();
                    if (recorded) {
                        maxLag.accumulateAndGet(t0 - due, Math::max);
                    }
                    try {
                        int status = toA.get().exchange(Connection.logout(logoutPath, t)).status();
                        long took = System.nanoTime() - t0;
                        if (status != 204) {
                            not204.incrementAndGet();
                        }
                        if (recorded) {
                            synchronized (logoutTime) {
                                logoutTime.recordValue(took);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        errors.incrementAndGet();
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
                pollPool.execute(() -> {
                    if (recorded) {
                        maxLag.accumulateAndGet(System.nanoTime() - due, Math::max);
                    }
                    byte[] request = Connection.get(resourcePath, t.accessToken());
                    int pollsHere = 0;
                    try {
                        while (true) {
                            long sent = System.nanoTime();
                            Connection.Reply r = toB.get().exchange(request);
                            long now = System.nanoTime();
                            pollsHere++;
                            if (r.status() == 401 && REVOKED_CHALLENGE.equals(r.challenge())) {
                                if (pollsHere == 1) {
                                    firstPollRevoked.incrementAndGet();
                                }
                                if (recorded) {
                                    synchronized (latency) {
                                        latency.recordValue(now - due);
                                        serial.recordValueWithExpectedInterval(now - due, interval);
                                    }
                                    max.accumulateAndGet(now - due, Math::max);
                                }
                                break;
                            }
                            if (r.status() != 200) {
                                errors.incrementAndGet();
                                break;
                            }
                            if (now - due > GIVE_UP.toNanos()) {
                                failures.incrementAndGet();
                                break;
                            }
                            // paced: back-to-back polls of every token in flight would take the CPU the nodes need
                            long next = sent + POLL_GAP.toNanos();
                            while (System.nanoTime() < next) {
                                LockSupport.parkNanos(next - System.nanoTime());
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        errors.incrementAndGet();
                    }
                    polls.addAndGet(pollsHere);
                    inFlight.decrementAndGet();
                });
            }
            logoutPool.shutdown();
            pollPool.shutdown();
            if (!logoutPool.awaitTermination(2, TimeUnit.MINUTES) || !pollPool.awaitTermination(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("requests still in flight 2 min after the last logout was due");
            }
            double elapsed = (System.nanoTime() - recording) / 1e9;
            long[] cpuAfter = machineCpu();
            double busy = (cpuAfter[0] - cpuBefore[0]) / (double) (cpuAfter[1] - cpuBefore[1]);
            System.out.printf(tag + "CPU while recording: machine %.0f %% busy of %d cores;"
                    + " CPU seconds in %.1f s: node A %.1f, node B %.1f, this JVM (stub, load generator) %.1f%n",
                    100 * busy, Runtime.getRuntime().availableProcessors(), elapsed,
                    (serverCpu("bench-a") - aBefore) / 1e9, (serverCpu("bench-b") - bBefore) / 1e9,
                    (ownCpu() - ownBefore) / 1e9);
            System.out.printf(tag + "%d logouts at %d/s over %.1f s (after %d warm-up logouts at %d/s); %.1f polls of B"
                    + " a logout; load average before %s, after %s%n", n - warmup, rate, elapsed, warmup,
                    Math.max(1, rate / 2), polls.get() / (double) n, loadBefore, loadAverage());
            System.out.printf(tag + "POST /logout on A -> 401 on B: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms"
                    + "  p99.9 %.3f ms  max %.3f ms%n", ms(latency.getValueAtPercentile(50)),
                    ms(latency.getValueAtPercentile(90)), ms(latency.getValueAtPercentile(99)),
                    ms(latency.getValueAtPercentile(99.9)), ms(max.get()));
            System.out.printf(tag + "failures (B still 200 after %d s) %d; errors (other status or I/O) %d;"
                    + " logouts answered other than 204 %d; revoked on B's first poll %d%n", GIVE_UP.toSeconds(),
                    failures.get(), errors.get(), not204.get(), firstPollRevoked.get());
            System.out.printf(tag + "the logout's own response time on A: p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                    ms(logoutTime.getValueAtPercentile(50)), ms(logoutTime.getValueAtPercentile(99)),
                    ms(logoutTime.getMaxValue()));
            System.out.printf(tag + "largest start lag of a logout or poll behind its due time %.3f ms; with"
                    + " recordValueWithExpectedInterval's serial correction (which over-counts when logouts overlap)"
                    + " p99 would read %.3f ms%n", ms(maxLag.get()), ms(serial.getValueAtPercentile(99)));
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (PrintStream p = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
                latency.outputPercentileDistribution(p, 1e6);
            }
            System.out.println("distribution (ms): " + out);
        } finally {
            logoutPool.shutdownNow();
            pollPool.shutdownNow();
            connections.forEach(Connection::close);
        }
    }

    private static Connection opened(Queue<Connection> all, URI base) {
        Connection c = new Connection(base.getHost(), base.getPort());
        all.add(c);
        return c;
    }

    /**
     * A minimal HTTP/1.1 client on one keep-alive socket, one request at a time: less work on the measuring
     * side than {@code java.net.http} (no selector thread, no hand-offs), so that a poll of B is one round trip.
     * Reads a response's status and {@code WWW-Authenticate}; skips its body (Content-Length or chunked).
     */
    private static final class Connection implements AutoCloseable {

        record Reply(int status, String challenge) {
        }

        private final String host;
        private final int port;
        private Socket socket;
        private java.io.BufferedInputStream in;
        private OutputStream out;

        Connection(String host, int port) {
            this.host = host;
            this.port = port;
        }

        static byte[] get(String path, String bearer) {
            return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + bearer + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        static byte[] logout(String path, StubTokens t) {
            String body = "refresh_token=" + URLEncoder.encode(t.refreshToken(), StandardCharsets.UTF_8);
            return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + t.accessToken()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
        }

        /** Sends a request and reads its response; once more on a new socket if the server closed a kept one. */
        Reply exchange(byte[] request) throws IOException {
            for (int attempt = 0;; attempt++) {
                boolean fresh = socket == null;
                if (fresh) {
                    socket = new Socket(host, port);
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
                    out = socket.getOutputStream();
                }
                try {
                    out.write(request);
                    out.flush();
                    return read();
                } catch (IOException e) {
                    close();
                    if (fresh || attempt > 0) {
                        throw e;
                    }
                }
            }
        }

        private Reply read() throws IOException {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            String challenge = null;
            long length = -1;
            boolean chunked = false;
            boolean closes = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "www-authenticate" -> challenge = value;
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closes = value.equalsIgnoreCase("close");
                    default -> {
                        // not needed
                    }
                }
            }
            if (chunked) {
                for (long size = chunk(); size > 0; size = chunk()) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0 && status != 204 && status != 304) {
                closes = true; // the body ends with the connection: not kept
            }
            if (closes) {
                close();
            }
            return new Reply(status, challenge);
        }

        private long chunk() throws IOException {
            String l = line();
            int semi = l.indexOf(';');
            return Long.parseLong((semi < 0 ? l : l.substring(0, semi)).trim(), 16);
        }

        private void skip(long n) throws IOException {
            for (long left = n; left > 0;) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
                socket = null;
            }
        }

        @Override
        public String toString() {
            return "http://" + host + ":" + port;
        }
    }

    /** @return busy and total jiffies of all cores, from /proc/stat (zeros where it cannot be read) */
    private static long[] machineCpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle, iowait
            return new long[] {total - idle, Math.max(1, total)};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 1};
        }
    }

    /** @return the CPU time of the server JVM started below this one for node {@code name}, in ns (0 if not found) */
    private static long serverCpu(String name) {
        try (var below = ProcessHandle.current().descendants()) {
            return below.filter(h -> h.info().arguments().map(a -> List.of(a).contains("-Djboss.node.name=" + name))
                            .orElse(false))
                    .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                    .sum();
        }
    }

    private static long ownCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static void sync(int n) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Topology redis = Topology.start("bench-sync")) {
            RevocationSettings settings = settings(redis);
            long fill = System.nanoTime();
            populate(redis.primary(), settings.redisKeyPrefix(), n, clock.millis() + Duration.ofHours(2).toMillis());
            System.out.printf("sync: %,d entries written to Redis in %.1f s (used_memory %s)%n", n,
                    (System.nanoTime() - fill) / 1e9, info(redis.primary(), "used_memory_human"));
            long before = usedAfterGc();
            CaffeineDenylist local = new CaffeineDenylist(clock);
            long t0 = System.nanoTime();
            RedisDenylist node = RedisDenylist.start(settings, clock, local);
            double took = (System.nanoTime() - t0) / 1e9;
            try {
                if (!node.inSync()) {
                    throw new IllegalStateException("not in sync after start");
                }
                long entries = local.size();
                long retained = usedAfterGc() - before;
                System.out.printf("sync (" + redis.name + "): %,d entries: node in sync %.2f s after start; %,d entries loaded;"
                        + " heap retained %.1f MB (%.0f B an entry)%n", n, took, entries, retained / 1e6,
                        retained / (double) Math.max(1, entries));
                if (entries != n) {
                    throw new IllegalStateException("loaded " + entries + " of " + n);
                }
            } finally {
                node.close();
            }
        }
    }

    /**
     * Two nodes with the library's default timeouts write entries at {@code rate} a second (alternating A
     * and B, each write's confirmation awaited asynchronously) for {@code seconds}; a third of the way in
     * the primary that holds the prefix's keys is killed with SIGKILL. Readiness ({@code inSync}) of both
     * is polled every millisecond. After the run, every write is awaited, and a node started afterwards
     * must hold every confirmed one; the other node must hold them too, and the writing node must have
     * refused none of its own once written.
     */
    static void failover(int rate, int seconds) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Topology redis = Topology.start("bench-failover")) {
            if (redis.name.equals("single")) {
                throw new IllegalArgumentException("failover needs -Dtier.topology=cluster or sentinel");
            }
            RevocationSettings settings = RevocationSettings.builder("eu-west-1", "local_bench", "benchclient")
                    .endpoint("http://127.0.0.1:9").redisUri(redis.uri()).redisKeyPrefix(redis.prefix()).build();
            RedisDenylist a = RedisDenylist.start(settings, clock, new CaffeineDenylist(clock));
            RedisDenylist b = RedisDenylist.start(settings, clock, new CaffeineDenylist(clock));
            RedisDenylist[] nodes = {a, b};
            try {
                if (!a.inSync() || !b.inSync()) {
                    throw new IllegalStateException("nodes not in sync at start");
                }
                Instant until = clock.instant().plus(Duration.ofHours(1));
                int total = rate * seconds;
                int killAt = total / 3;
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                Map<Integer, Long> confirmedAt = new ConcurrentHashMap<>();
                Map<Integer, Throwable> failed = new ConcurrentHashMap<>();
                long[] sentAt = new long[total];
                List<CompletableFuture<Void>> writes = new ArrayList<>(total);
                AtomicInteger refusedOwn = new AtomicInteger();
                AtomicLong killed = new AtomicLong();
                // readiness, polled every ms from the kill on: [first not ready, ready again after it] per node
                long[][] readiness = {{-1, -1}, {-1, -1}};
                Thread watcher = new Thread(() -> {
                    while (killed.get() == 0) {
                        LockSupport.parkNanos(100_000);
                    }
                    long stop = killed.get() + TimeUnit.SECONDS.toNanos(60);
                    while (System.nanoTime() < stop && !Thread.currentThread().isInterrupted()) {
                        long now = System.nanoTime();
                        for (int n = 0; n < 2; n++) {
                            boolean ready = nodes[n].inSync();
                            if (!ready && readiness[n][0] < 0) {
                                readiness[n][0] = now;
                            } else if (ready && readiness[n][0] >= 0 && readiness[n][1] < 0) {
                                readiness[n][1] = now;
                            }
                        }
                        LockSupport.parkNanos(1_000_000);
                    }
                }, "readiness");
                watcher.setDaemon(true);
                watcher.start();
                RedisProcess victim = redis.primary();
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long due = start + i * interval;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(Math.max(1, Math.min(100_000, due - System.nanoTime())));
                    }
                    if (i == killAt) {
                        long t = System.nanoTime();
                        victim.kill();
                        killed.set(t);
                        System.out.printf("failover (%s): primary on port %d killed (SIGKILL) after %d writes%n",
                                redis.name, victim.port(), i);
                    }
                    int id = i;
                    RedisDenylist writer = nodes[i % 2];
                    sentAt[i] = System.nanoTime();
                    CompletableFuture<Void> w = writer.add("f" + i, until);
                    if (!writer.contains("f" + i)) {
                        refusedOwn.incrementAndGet();
                    }
                    writes.add(w.whenComplete((ok, e) -> {
                        if (e == null) {
                            confirmedAt.put(id, System.nanoTime());
                        } else {
                            failed.put(id, e);
                        }
                    }));
                }
                for (CompletableFuture<Void> w : writes) {
                    try {
                        w.get(2, TimeUnit.MINUTES);
                    } catch (java.util.concurrent.ExecutionException e) {
                        // counted in failed
                    }
                }
                long readyWait = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!(a.inSync() && b.inSync()) && System.nanoTime() < readyWait) {
                    Thread.sleep(10);
                }
                watcher.interrupt();
                watcher.join();
                long k = killed.get();
                long readyAgain = -1;
                for (long[] r : readiness) {
                    readyAgain = Math.max(readyAgain, r[0] < 0 ? k : r[1]);
                }
                long firstConfirmedAfter = Long.MAX_VALUE;
                for (int i = killAt; i < total; i++) {
                    Long c = confirmedAt.get(i);
                    if (c != null) {
                        firstConfirmedAfter = Math.min(firstConfirmedAfter, c);
                    }
                }
                // the failover: from the kill until every node is ready and a write sent after the kill is confirmed
                long back = Math.max(readyAgain, firstConfirmedAfter == Long.MAX_VALUE ? -1 : firstConfirmedAfter);
                int during = 0;
                int duringConfirmed = 0;
                long latestConfirm = 0;
                for (int i = killAt; i < total && sentAt[i] <= back; i++) {
                    Long c = confirmedAt.get(i);
                    during++;
                    duringConfirmed += c != null ? 1 : 0;
                    latestConfirm = c != null ? Math.max(latestConfirm, c) : latestConfirm;
                }
                System.out.printf("failover (%s): node A not ready %s, ready again %s; node B not ready %s, ready"
                        + " again %s (ms after the kill; - = stayed ready)%n", redis.name,
                        after(readiness[0][0], k), after(readiness[0][1], k), after(readiness[1][0], k),
                        after(readiness[1][1], k));
                System.out.printf("failover (%s): every node ready %s ms after the kill; first write sent after the"
                        + " kill confirmed %s ms after it; the %d writes sent from the kill until both (%s ms):"
                        + " %d confirmed, the last of them %s ms after the kill%n", redis.name, after(readyAgain, k),
                        after(firstConfirmedAfter == Long.MAX_VALUE ? -1 : firstConfirmedAfter, k), during,
                        after(back, k), duringConfirmed, after(latestConfirm == 0 ? -1 : latestConfirm, k));
                // every confirmed write must be in Redis: a node started now loads what Redis holds
                RedisDenylist late = RedisDenylist.start(RevocationSettings.builder("eu-west-1", "local_bench",
                        "benchclient").endpoint("http://127.0.0.1:9").redisUri(redis.uriNow())
                        .redisKeyPrefix(redis.prefix()).build(), clock, new CaffeineDenylist(clock));
                int lost = 0;
                int missingOnOther = 0;
                try {
                    for (int i : confirmedAt.keySet()) {
                        lost += late.contains("f" + i) ? 0 : 1;
                        missingOnOther += nodes[(i + 1) % 2].contains("f" + i) ? 0 : 1;
                    }
                    System.out.printf("failover (%s): %d writes at %d/s; %d confirmed, %d failed (not"
                            + " confirmed%s); a writer's own check missed its write %d times after writing it%n",
                            redis.name, total, rate, confirmedAt.size(), failed.size(),
                            failed.isEmpty() ? "" : ": " + failed.values().iterator().next(), refusedOwn.get());
                    System.out.printf("failover (%s): confirmed writes lost (not on a node started afterwards) %d;"
                            + " not on the other node %d; new node in sync %s, %d entries%n", redis.name, lost,
                            missingOnOther, late.inSync(), late.size());
                } finally {
                    late.close();
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }

    private static String after(long t, long from) {
        return t < 0 ? "-" : String.format("%.0f", (t - from) / 1e6);
    }

    /**
     * Writes n id entries the way nodes' scripts do (key {@code j:<id>} = end ms with PXAT end, member
     * of the index {@code ids} with score end, the index expiring at the latest end), 10 k per Lua call (a script blocks its server: a longer one would outlast the test
     * cluster's node timeout and have the primary failed over).
     */
    private static void populate(RedisProcess redis, String prefix, int n, long endMs) throws IOException {
        String script = "local p, e, from, to = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]) "
                + "for i = from, to do local id = string.format('%08x-0000-4000-8000-%012x', i, i * 7919) "
                + "redis.call('SET', p .. 'j:' .. id, e, 'PXAT', e) redis.call('ZADD', p .. 'ids', e, id) end "
                + "redis.call('PEXPIREAT', p .. 'ids', e) "
                + "return to";
        for (int from = 0; from < n; from += 10_000) {
            int to = Math.min(n, from + 10_000) - 1;
            String reply = resp(redis, "EVAL", script, "0", prefix, Long.toString(endMs), Integer.toString(from),
                    Integer.toString(to));
            if (!reply.startsWith(":")) {
                throw new IllegalStateException("populate: " + reply);
            }
        }
    }

    private static String info(RedisProcess redis, String field) throws IOException {
        String reply = resp(redis, "INFO", "memory");
        for (String line : reply.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return "?";
    }

    /** One RESP command; returns the reply's text (a bulk reply's content). */
    private static String resp(RedisProcess redis, String... words) throws IOException {
        try (Socket s = new Socket("127.0.0.1", redis.port())) {
            StringBuilder cmd = new StringBuilder("*" + words.length + "\r\n");
            for (String w : words) {
                cmd.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
            }
            OutputStream o = s.getOutputStream();
            o.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            o.flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first.startsWith("$")) {
                int len = Integer.parseInt(first.substring(1));
                char[] buf = new char[Math.max(0, len)];
                int read = 0;
                while (read < len) {
                    read += in.read(buf, read, len - read);
                }
                return new String(buf);
            }
            return first;
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
