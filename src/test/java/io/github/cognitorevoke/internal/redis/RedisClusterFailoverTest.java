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
import java.util.ArrayList;
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

        // Started within 30 s of the failover: not ready until the other nodes had time to send their writes again.
        RedisDenylist late = opened(Tiers.node(cluster.uri(), prefix));
        await().atMost(RedisProcess.patience()).until(late::inSync);
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

    /** Rounds of {@link #aNodeStartedRightAfterThePrimaryOfTheSlotIsKilled_hasEveryAcknowledgedLogoutOnceReady}. */
    private static final int ROUNDS = 5;

    /**
     * A node started right after the SIGKILL of the slot's primary, whose last confirmed logouts (on a
     * node that goes on taking logouts and on one that is quiet) its replica never received, must hold
     * every one of them the moment it reports ready, in each of {@link #ROUNDS} failovers of one cluster
     * (the killed server comes back as the new primary's replica, and is the next round's replica).
     */
    @Test
    void aNodeStartedRightAfterThePrimaryOfTheSlotIsKilled_hasEveryAcknowledgedLogoutOnceReady() throws Exception {
        RedisCluster cluster = opened(RedisCluster.start("cluster-start-during"));
        StartDuringFailover rounds = new StartDuringFailover(opened(Tiers.node(cluster.uri(), prefix)),
                opened(Tiers.node(cluster.uri(), prefix)));
        for (int round = 0; round < ROUNDS; round++) {
            RedisProcess primary = cluster.primaryOf(Tiers.TAG);
            RedisProcess replica = replicaOf(cluster, primary);
            List<String> acknowledged = rounds.confirm(new ArrayList<>(), round, "replicated", 10);
            String last = prefix + "j:" + acknowledged.get(acknowledged.size() - 1);
            await().atMost(RedisProcess.patience()).until(() -> holds(replica, last));

            // The replica stops reading and loses its link: what follows is on the primary only.
            CompletableFuture<String> asleep = CompletableFuture.supplyAsync(() -> replica.call("DEBUG", "SLEEP", "1"));
            Thread.sleep(200);
            assertThat(primary.call("CLIENT", "KILL", "TYPE", "slave")).isNotEqualTo("0");
            rounds.confirm(acknowledged, round, "unreplicated", 20);
            primary.kill();
            rounds.startLate(round, acknowledged, System.nanoTime(),
                    () -> opened(Tiers.node(cluster.uri(), prefix, s -> s.redisSyncTimeout(Duration.ZERO))));
            asleep.join();

            // The killed server comes back empty and becomes the new primary's replica, for the next round.
            primary.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.primaryOf(Tiers.TAG) == replica
                    && primary.call("INFO", "replication").contains("master_link_status:up"));
        }
        System.out.println("a node started during a cluster failover:\n  " + rounds.rounds());
        assertThat(rounds.missed()).as("rounds whose new node lacked acknowledged logouts once ready:%n  %s",
                rounds.rounds()).isZero();
    }

    /** @return the server that replicates {@code primary} */
    private static RedisProcess replicaOf(RedisCluster cluster, RedisProcess primary) {
        return cluster.servers().stream().filter(s -> s != primary && s.running()
                        && s.call("INFO", "replication").contains("master_port:" + primary.port()))
                .findFirst().orElseThrow();
    }

}
