package io.github.cognitorevoke.jmh;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.redis.RedisDenylist;
import io.github.cognitorevoke.testing.RedisProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The shared tier's figures for BENCHMARKS.md (issue 7), against a real redis-server started here and
 * stopped by PID. Not JMH: these are latencies across processes and wall-clock sync times.
 *
 * <pre>
 *   propagation RATE SECONDS OUT   node A writes RATE entries a second for SECONDS; for each, the time from
 *                                  A's write call until node B's local check sees it (B's check spins on
 *                                  its Caffeine, as a request would find it). HdrHistogram, corrected for
 *                                  coordinated omission; percentile distribution written to OUT.
 *   sync N                         N live entries in Redis; the time a new node takes from start to in sync
 *                                  (subscribe, index pages, load into Caffeine), and the heap it retains.
 * </pre>
 *
 * Nodes are two {@link RedisDenylist}s with their own Lettuce client and Caffeine in one JVM: the
 * same code a WildFly node runs, without HTTP in between.
 */
public final class SharedTierBenchmark {

    private SharedTierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        switch (args[0]) {
            case "propagation" -> propagation(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "sync" -> sync(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("propagation RATE SECONDS OUT | sync N");
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
