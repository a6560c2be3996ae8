package io.github.cognitorevoke.jmh;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.it.TestWars;
import io.github.cognitorevoke.it.cluster.WildFlyNode;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.redis.RedisDenylist;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.RedisProcess;
import io.github.cognitorevoke.testing.StubTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * The shared tier's figures for BENCHMARKS.md (issue 7), against a real redis-server started here and
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
 *                                  is polled on its own connection, one request in flight at a time.
 *   sync N                         N live entries in Redis; the time a new node takes from start to in sync
 *                                  (subscribe, index pages, load into Caffeine), and the heap it retains.
 * </pre>
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
            default -> throw new IllegalArgumentException("propagation RATE SECONDS OUT | e2e RATE SECONDS OUT | sync N");
        }
    }

    private static RevocationSettings settings(RedisProcess redis) {
        return RevocationSettings.builder("eu-west-1", "local_bench", "benchclient")
                .endpoint("http://127.0.0.1:9")
                .redisUri(redis.uri())
                .redisSyncTimeout(Duration.ofMinutes(5))
                .redisTimeout(Duration.ofSeconds(10))
                .build();
    }

    static void propagation(int rate, int seconds, Path out) throws Exception {
        Clock clock = Clock.systemUTC();
        try (RedisProcess redis = RedisProcess.start("bench-propagation")) {
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
                System.out.printf("propagation: %d writes at %d/s over %.1f s (after %d warm-up writes)%n",
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

    static void e2e(int rate, int seconds, Path out) throws Exception {
        Path dir = Path.of(System.getProperty("e2e.dir", "target/bench/tier/e2e")).toAbsolutePath();
        Path home = Path.of(System.getProperty("it.wildfly.home", "target/missing-wildfly"));
        if (!Files.isExecutable(home.resolve("bin/standalone.sh"))) {
            throw new IllegalStateException("no WildFly at it.wildfly.home=" + home.toAbsolutePath());
        }
        try (CognitoStub stub = CognitoStub.start(); RedisProcess redis = RedisProcess.start("bench-e2e")) {
            stub.addClient(CLIENT, null, true);
            Map<String, String> params = TestWars.stubParams(stub, CLIENT);
            params.put("redisUri", redis.uri());
            params.put("redisKeyPrefix", "bench-e2e:");
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
                int warmup = Math.min(rate * 5, total / 5);
                // minted while the servers boot; one more for the check below
                StubTokens[] tokens = new StubTokens[warmup + total + 1];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = stub.login(CLIENT, "user" + i);
                }
                CompletableFuture.allOf(bootA, bootB).join(); // both ended, one way or the other
                System.out.printf("e2e: %s and %s deployed in %.1f s; %d token pairs minted%n", a, b,
                        (System.nanoTime() - boot) / 1e9, tokens.length);
                measure(a.url(CONTEXT), b.url(CONTEXT), tokens, rate, warmup, out);
            }
        }
    }

    private static void measure(URI onA, URI onB, StubTokens[] tokens, int rate, int warmup, Path out) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI logout = onA.resolve("logout");
        URI resource = onB.resolve("protected");
        // a live token passes on both nodes: a 401 below means revoked, not misconfigured
        StubTokens probe = tokens[tokens.length - 1];
        for (URI u : new URI[] {onA.resolve("protected"), resource}) {
            int status = http.send(get(u, probe), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("a live token got " + status + " at " + u);
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
        String loadBefore = loadAverage();
        // one thread per token in flight (it polls B); more than enough at 200/s unless B never rejects
        ExecutorService pool = Executors.newFixedThreadPool(64);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                long due = start + i * interval;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(1, Math.min(100_000, due - System.nanoTime())));
                }
                StubTokens t = tokens[i];
                boolean recorded = i >= warmup;
                pool.execute(() -> {
                    long t0 = System.nanoTime();
                    maxLag.accumulateAndGet(t0 - due, Math::max);
                    CompletableFuture<HttpResponse<Void>> sent = http.sendAsync(logout(logout, t),
                            HttpResponse.BodyHandlers.discarding()).thenApply(r -> {
                                if (recorded) {
                                    long took = System.nanoTime() - t0;
                                    synchronized (logoutTime) {
                                        logoutTime.recordValue(took);
                                    }
                                }
                                return r;
                            });
                    try {
                        int pollsHere = 0;
                        while (true) {
                            HttpResponse<Void> r = http.send(get(resource, t), HttpResponse.BodyHandlers.discarding());
                            long now = System.nanoTime();
                            pollsHere++;
                            if (r.statusCode() == 401
                                    && r.headers().firstValue("WWW-Authenticate").orElse("").equals(REVOKED_CHALLENGE)) {
                                if (pollsHere == 1) {
                                    firstPollRevoked.incrementAndGet();
                                }
                                if (recorded) {
                                    synchronized (latency) {
                                        // from the scheduled send: a late start (lag) counts against us
                                        latency.recordValue(now - due);
                                        serial.recordValueWithExpectedInterval(now - t0, interval);
                                    }
                                    max.accumulateAndGet(now - due, Math::max);
                                }
                                break;
                            }
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                                break;
                            }
                            if (now - t0 > GIVE_UP.toNanos()) {
                                failures.incrementAndGet();
                                break;
                            }
                        }
                        polls.addAndGet(pollsHere);
                        HttpResponse<Void> r = sent.join();
                        if (r.statusCode() != 204) {
                            not204.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new IllegalStateException("tokens still in flight 2 min after the last logout");
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("e2e: %d logouts at %d/s over %.1f s (after %d warm-up logouts); %.1f polls of B a logout;"
                + " load average before %s, after %s%n", n - warmup, rate, elapsed - warmup / (double) rate, warmup,
                polls.get() / (double) n, loadBefore, loadAverage());
        System.out.printf("e2e: POST /logout on A -> 401 on B: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms"
                + "  max %.3f ms%n", ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                ms(latency.getValueAtPercentile(99)), ms(latency.getValueAtPercentile(99.9)), ms(max.get()));
        System.out.printf("e2e: failures (B still 200 after %d s) %d; errors (other status or I/O) %d;"
                + " logouts answered other than 204 %d; revoked on B's first poll %d%n", GIVE_UP.toSeconds(),
                failures.get(), errors.get(), not204.get(), firstPollRevoked.get());
        System.out.printf("e2e: the logout's own response time on A: p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                ms(logoutTime.getValueAtPercentile(50)), ms(logoutTime.getValueAtPercentile(99)),
                ms(logoutTime.getMaxValue()));
        System.out.printf("e2e: (for comparison: from the actual send, serial coordinated-omission correction,"
                + " which over-counts when logouts overlap: p99 %.3f ms; the largest start lag %.3f ms)%n",
                ms(serial.getValueAtPercentile(99)), ms(maxLag.get()));
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintStream p = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
            latency.outputPercentileDistribution(p, 1e6);
        }
        System.out.println("distribution (ms): " + out);
    }

    private static HttpRequest get(URI uri, StubTokens t) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + t.accessToken()).GET().build();
    }

    private static HttpRequest logout(URI uri, StubTokens t) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + t.accessToken())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "refresh_token=" + URLEncoder.encode(t.refreshToken(), StandardCharsets.UTF_8)))
                .build();
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
        try (RedisProcess redis = RedisProcess.start("bench-sync")) {
            RevocationSettings settings = settings(redis);
            long fill = System.nanoTime();
            populate(redis, settings.redisKeyPrefix(), n, clock.millis() + Duration.ofHours(2).toMillis());
            System.out.printf("sync: %,d entries written to Redis in %.1f s (used_memory %s)%n", n,
                    (System.nanoTime() - fill) / 1e9, info(redis, "used_memory_human"));
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
                System.out.printf("sync: %,d entries: node in sync %.2f s after start; %,d entries loaded;"
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
     * Writes n id entries the way nodes' scripts do (key {@code j:<id>} = end ms with PXAT end, member
     * of the index {@code ids} with score end, the index expiring at the latest end), 100 k per Lua call.
     */
    private static void populate(RedisProcess redis, String prefix, int n, long endMs) throws IOException {
        String script = "local p, e, from, to = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]) "
                + "for i = from, to do local id = string.format('%08x-0000-4000-8000-%012x', i, i * 7919) "
                + "redis.call('SET', p .. 'j:' .. id, e, 'PXAT', e) redis.call('ZADD', p .. 'ids', e, id) end "
                + "redis.call('PEXPIREAT', p .. 'ids', e) "
                + "return to";
        for (int from = 0; from < n; from += 100_000) {
            int to = Math.min(n, from + 100_000) - 1;
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
