package io.github.cognitorevoke.internal.redis;

import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.TestClock;
import io.github.cognitorevoke.testing.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tier against someone who can write to Redis (or a Redis holding keys no node wrote): whatever
 * is under the prefix or on the channel, a node keeps writing, syncing and bounding its memory.
 */
class RedisHostileTest {

    private static RedisProcess redis;
    private static RedisClient inspector;
    private static StatefulRedisConnection<String, String> inspection;
    private static RedisCommands<String, String> r;

    private String prefix;
    private final List<RedisDenylist> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start("hostile");
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
    }

    private RedisDenylist node() {
        RedisDenylist n = Tiers.node(redis.uri(), prefix);
        nodes.add(n);
        return n;
    }

    private RedisDenylist node(TestClock clock) {
        RevocationSettings settings = Tiers.settings(redis.uri(), prefix).build();
        RedisDenylist n = RedisDenylist.start(settings, clock, new CaffeineDenylist(clock));
        nodes.add(n);
        return n;
    }

    @Test
    void writesOverKeysOfAnotherType_replaceThem_areConfirmed_andHeardByOtherNodes() throws Exception {
        r.hset(prefix + "s:alice", "x", "y");
        r.sadd(prefix + "j:jti-1", "x");
        RedisDenylist a = node();
        RedisDenylist b = node();
        Instant now = Instant.now();

        confirmed(a.cutOff("alice", now, now.plusSeconds(60)));
        confirmed(a.add("jti-1", now.plusSeconds(60)));

        await().until(() -> b.contains("jti-1") && b.notBeforeEpochSecond("alice") == now.getEpochSecond());
        assertThat(r.type(prefix + "s:alice")).isEqualTo("string");
        assertThat(r.type(prefix + "j:jti-1")).isEqualTo("string");
        assertThat(a.inSync()).isTrue();
    }
}
