package io.github.cognitorevoke.internal.redis;

import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.support.RedisCluster;
import io.github.cognitorevoke.support.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tier on a Redis Cluster whose primary of the prefix's slot is killed (SIGKILL, by its PID), and
 * a cluster given a prefix without a hash tag. Each test forms its own cluster of three primaries
 * with a replica each.
 */
class RedisClusterFailoverTest {

    private final Tiers.Opened open = new Tiers.Opened();
    private final String prefix = Tiers.prefix();

    @AfterEach
    void closeAll() throws Exception {
        open.closeAll();
    }

    private <T extends AutoCloseable> T opened(T resource) {
        return open.add(resource);
    }

    /** KEYS, not EXISTS: a replica of a cluster redirects commands that name a key. */
    private static boolean holds(RedisProcess server, String key) {
        return key.equals(server.call("KEYS", key));
    }

    @Test
    void aPrefixWithoutHashTag_failsTheDeploymentNamingIt_onACluster() {
        RedisCluster cluster = opened(RedisCluster.start("cluster-untagged"));

        assertThatThrownBy(() -> Tiers.node(cluster.uri(), "shop:"))
                .isInstanceOfSatisfying(RevocationConfigurationException.class, e -> assertThat(e.getMessage())
                        .contains("redisKeyPrefix").contains("hash tag").contains("{shop}:"));
    }

    /**
     * The replica that takes over lacks the last write its primary confirmed (its replication link was
     * down: replication is asynchronous); the node that wrote it sends its recent writes again once it
     * meets the failover, so the write is on the new primary, and a node that starts afterwards loads it.
     * Writes during the failover are kept and replayed; no node serves 5xx or loses an entry meanwhile.
     */
    @Test
    void primaryOfTheSlotKilled_aConfirmedWriteItDidNotReplicate_isOnTheNewPrimary_andWritesDuringTheFailoverToo()
            throws Exception {
        RedisCluster cluster = opened(RedisCluster.start("cluster-failover"));
        RedisDenylist a = opened(Tiers.node(cluster.uri(), prefix));
        RedisDenylist b = opened(Tiers.node(cluster.uri(), prefix));
        confirmed(a.add("replicated", Instant.now().plusSeconds(120)));
        RedisProcess primary = cluster.primaryOf(Tiers.TAG);
        RedisProcess replica = cluster.servers().get(cluster.servers().indexOf(primary) + 3);
        await().atMost(RedisProcess.patience()).until(() -> holds(replica, prefix + "j:replicated"));

        // The replica stops reading (DEBUG SLEEP) and its primary drops the link: what follows stays on the primary.
        CompletableFuture<String> asleep = CompletableFuture.supplyAsync(() -> replica.call("DEBUG", "SLEEP", "3"));
        Thread.sleep(200);
        assertThat(primary.call("CLIENT", "KILL", "TYPE", "slave")).isNotEqualTo("0");
        confirmed(a.add("unreplicated", Instant.now().plusSeconds(120)));
        long started = System.nanoTime();
        primary.kill();
        asleep.join();

        CompletableFuture<Void> during = a.add("during", Instant.now().plusSeconds(120));
        CompletableFuture<Void> fromB = b.add("during-b", Instant.now().plusSeconds(120));
        assertThat(a.contains("unreplicated") && a.contains("during") && b.contains("during-b")).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.primaryOf(Tiers.TAG) == replica);
        confirmed(during);
        confirmed(fromB);
        await().atMost(RedisProcess.patience()).until(() -> holds(replica, prefix + "j:unreplicated"));
        System.out.printf("cluster failover: every write on the new primary %d ms after the old one was killed%n",
                (System.nanoTime() - started) / 1_000_000);
        await().atMost(RedisProcess.patience()).until(() -> a.inSync() && b.inSync()
                && a.contains("during-b") && b.contains("during") && b.contains("unreplicated"));

        RedisDenylist late = opened(Tiers.node(cluster.uri(), prefix));
        assertThat(late.inSync()).isTrue();
        assertThat(List.of("replicated", "unreplicated", "during", "during-b")).allMatch(late::contains);
    }

    /**
     * Under load (logouts on both nodes, checks of every acknowledged one on both, all the time), the
     * primary of the slot is killed: no acknowledged logout is accepted by the node that acknowledged it
     * or, later, by the other, none is lost, every logout is acknowledged in the end, and a node that was
     * not ready is ready again by itself.
     */
    @Test
    void primaryOfTheSlotKilledUnderLoad_noAcknowledgedLogoutAcceptedOrLost_readyAgainByItself() throws Exception {
        RedisCluster cluster = opened(RedisCluster.start("cluster-load"));
        RedisDenylist a = opened(Tiers.node(cluster.uri(), prefix));
        RedisDenylist b = opened(Tiers.node(cluster.uri(), prefix));
        RedisProcess primary = cluster.primaryOf(Tiers.TAG);
        RedisProcess replica = cluster.servers().get(cluster.servers().indexOf(primary) + 3);
        FailoverUnderLoad load = new FailoverUnderLoad(a, b);
        try (load) {
            Thread.sleep(2000);
            // the replica stops reading and loses its link: the last 0.5 s of acknowledged logouts stay on the primary
            CompletableFuture<String> asleep = CompletableFuture.supplyAsync(() -> replica.call("DEBUG", "SLEEP", "3"));
            Thread.sleep(200);
            primary.call("CLIENT", "KILL", "TYPE", "slave");
            Thread.sleep(500);
            primary.kill();
            asleep.join();
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.primaryOf(Tiers.TAG) != null);
            load.stopWhenReady();
        }

        for (int n = 0; n < 2; n++) {
            assertThat(!load.wentDown(n) || load.cameBack(n)).as("node %d ready again by itself", n).isTrue();
        }
        load.assertNothingLost(() -> opened(Tiers.node(cluster.uri(), prefix)));
    }
}
