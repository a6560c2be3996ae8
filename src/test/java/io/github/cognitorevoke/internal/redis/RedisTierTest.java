package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.support.RedisCluster;
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
import org.junit.jupiter.api.TestInfo;

/**
 * Tier tests against real Redis, on one of two fixtures per test class: one redis-server, or, for a
 * class that implements {@link OnCluster}, a cluster of three primaries with a replica each. A fresh
 * key prefix per test, an inspecting connection to the server that holds the test's keys, and the
 * nodes a test starts, closed after it.
 */
abstract class RedisTierTest {

    /** The server the nodes are given; on the cluster, a primary that does not hold the tests' keys. */
    static RedisProcess redis;
    /** Inspects the server that holds the tests' keys (on the cluster, the primary of their slot). */
    static RedisCommands<String, String> r;
    private static RedisClient inspector;
    private static StatefulRedisConnection<String, String> inspection;
    private static RedisCluster cluster;

    String prefix;
    final List<RedisDenylist> nodes = new ArrayList<>();

    /** Marks a test class that runs its tests on the cluster fixture. */
    interface OnCluster {
    }

    @BeforeAll
    static void startRedis(TestInfo test) {
        if (test.getTestClass().filter(OnCluster.class::isAssignableFrom).isPresent()) {
            startCluster();
        } else {
            redis = RedisProcess.start("tier");
            inspect(redis);
        }
    }

    /**
     * The cluster fixture: the nodes get primary 0 as their seed, while every prefix's hash tag
     * ({@link Tiers#TAG}) puts the keys on primary 1, so that every script, sync page and message
     * crosses nodes.
     */
    private static void startCluster() {
        cluster = RedisCluster.start("tier-cluster");
        redis = cluster.servers().get(0);
        inspect(cluster.primaryOf(Tiers.TAG));
    }

    private static void inspect(RedisProcess server) {
        inspector = RedisClient.create(server.uri());
        inspection = inspector.connect();
        r = inspection.sync();
    }

    @AfterAll
    static void stopRedis() {
        inspection.close();
        inspector.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (cluster != null) {
            cluster.close();
            cluster = null;
        } else {
            redis.stop();
        }
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

    /** @return the cluster fixture's six servers (empty on the one-server fixture) */
    static List<RedisProcess> clusterServers() {
        return cluster == null ? List.of() : cluster.servers();
    }

    /** Starts a node on this test's prefix, closed after the test. */
    RedisDenylist node() {
        RedisDenylist n = Tiers.node(redis.uri(), prefix);
        nodes.add(n);
        return n;
    }
}
