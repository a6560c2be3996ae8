package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.support.RedisCluster;
import io.github.cognitorevoke.support.RedisProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/** Builds tier nodes for tests (each its own Lettuce client and Caffeine cache) and captures their log lines. */
final class Tiers {

    /** Small, so that outage tests are quick. */
    static final Duration TIMEOUT = Duration.ofMillis(200);

    private Tiers() {
    }

    /** The hash tag of every test prefix: on the test cluster, its keys lie on primary 1. */
    static final String TAG = RedisCluster.tagServedBy(1);

    /** @return a key prefix no other test uses, with the hash tag {@link #TAG}, e.g. <code>{t3}t1a2b3c4d:</code> */
    static String prefix() {
        return "{" + TAG + "}t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    static RevocationSettings.Builder settings(String uri, String prefix) {
        return RevocationSettings.builder("eu-west-1", "eu-west-1_Abc123", "client")
                .redisUri(uri).redisKeyPrefix(prefix).redisTimeout(TIMEOUT).redisSyncTimeout(Duration.ofSeconds(5));
    }

    /** Starts a node: returns once it synced or its sync timeout passed. */
    static RedisDenylist node(String uri, String prefix) {
        return node(uri, prefix, UnaryOperator.identity());
    }

    static RedisDenylist node(String uri, String prefix, UnaryOperator<RevocationSettings.Builder> more) {
        Clock clock = Clock.systemUTC();
        return RedisDenylist.start(more.apply(settings(uri, prefix)).build(), clock, new CaffeineDenylist(clock));
    }

    /** Waits until Redis confirmed a write. */
    static void confirmed(CompletableFuture<Void> write) throws Exception {
        write.get(RedisProcess.patience().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What a test opened (servers, nodes), closed after it, last opened first. */
    static final class Opened {
        private final List<AutoCloseable> open = new ArrayList<>();

        <T extends AutoCloseable> T add(T resource) {
            open.add(resource);
            return resource;
        }

        void closeAll() throws Exception {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            open.clear();
        }
    }

    /** Records what the tier logs at INFO and above, until closed. */
    static final class Captured implements AutoCloseable {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        private final Logger logger = Logger.getLogger(RedisDenylist.class.getName());
        // A StreamHandler without a stream: only publish matters here.
        private final Handler handler = new StreamHandler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    records.add(r);
                }
            }
        };

        Captured() {
            logger.addHandler(handler);
        }

        List<String> messages(Level level, String containing) {
            return records.stream().filter(r -> r.getLevel() == level && r.getMessage().contains(containing))
                    .map(LogRecord::getMessage).toList();
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
        }
    }
}
