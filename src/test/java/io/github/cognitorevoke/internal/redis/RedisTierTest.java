package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.support.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Tier tests against one real redis-server per test class: a fresh key prefix per test, an
 * inspecting connection, and the nodes a test starts, closed after it.
 */
abstract class RedisTierTest {

    static RedisProcess redis;
    static RedisCommands<String, String> r;
    private static RedisClient inspector;
    private static StatefulRedisConnection<String, String> inspection;

    String prefix;
    final List<RedisDenylist> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start("tier");
        inspector = RedisClient.create(redis.uri());
        inspection = inspector.connect();
        r = inspection.sync();
    }

    @AfterAll
    static void stopRedis() {
        inspection.close();
        inspector.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        redis.stop();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = Tiers.prefix();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(RedisDenylist::close);
        nodes.clear();
    }

    /** Starts a node on this test's prefix, closed after the test. */
    RedisDenylist node() {
        RedisDenylist n = Tiers.node(redis.uri(), prefix);
        nodes.add(n);
        return n;
    }
}
