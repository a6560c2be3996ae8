package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.testing.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Start-up sync at scale, run by hand (not a test): fills a fresh redis-server with N live id entries
 * as the tier writes them, then times a node's start (connect, subscribe, index pages, load) and reports
 * the heap it holds afterwards.
 *
 * <pre>
 * mvn -B -ntp -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.github.cognitorevoke.internal.redis.SyncMeasurement 100000 1000000
 * </pre>
 */
public final class SyncMeasurement {

    /**
     * Fills in batches with a server-side loop, in the tier's data model (entry key with PXAT, index
     * member, index expiry): 36-character ids like Cognito's jti, end in one hour.
     */
    private static final String FILL = """
            local from, to, endMs = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
            for i = from, to - 1 do
              local id = string.format('%08x-0000-4000-8000-%012x', i, i)
              redis.call('SET', KEYS[1] .. id, endMs, 'PXAT', endMs)
              redis.call('ZADD', KEYS[2], endMs, id)
            end
            redis.call('PEXPIREAT', KEYS[2], endMs)
            return to - from
            """;

    private SyncMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            measure(Integer.parseInt(arg));
        }
    }

    private static void measure(int entries) throws Exception {
        try (RedisProcess redis = RedisProcess.start("sync-" + entries)) {
            String prefix = "cognito-revoke:";
            String end = Long.toString(Instant.now().plus(Duration.ofHours(1)).toEpochMilli());
            RedisClient filler = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> c = filler.connect()) {
                c.setTimeout(Duration.ofMinutes(1));
                for (int from = 0; from < entries; from += 50_000) {
                    c.sync().eval(FILL, ScriptOutputType.INTEGER, new String[] {prefix + "j:", prefix + "ids"},
                            Integer.toString(from), Integer.toString(Math.min(entries, from + 50_000)), end);
                }
            } finally {
                filler.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            long before = heapAfterGc();
            RevocationSettings settings = RevocationSettings.builder("eu-west-1", "eu-west-1_Abc123", "client")
                    .redisUri(redis.uri()).redisSyncTimeout(Duration.ofMinutes(5)).build();
            Clock clock = Clock.systemUTC();
            long started = System.nanoTime();
            try (RedisDenylist node = RedisDenylist.start(settings, clock, new CaffeineDenylist(clock))) {
                long ms = (System.nanoTime() - started) / 1_000_000;
                long held = heapAfterGc() - before;
                System.out.printf("%,d entries: start returned in %,d ms, in sync %s, %,d loaded, heap held %,d MB"
                                + " (%d bytes an entry)%n", entries, ms, node.inSync(),
                        node.size(), held >> 20, held / Math.max(1, entries));
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
