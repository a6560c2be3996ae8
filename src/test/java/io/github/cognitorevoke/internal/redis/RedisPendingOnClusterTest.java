package io.github.cognitorevoke.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.PendingStore.Pending;
import io.github.cognitorevoke.support.RedisCluster;
import io.github.cognitorevoke.support.RedisProcess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pending store's takeover on a Redis Cluster: every key its scripts touch is declared, so a
 * stopped node's pending revocation is taken over by another node through the primary of the
 * prefix's slot (never the seed node the client was given).
 */
class RedisPendingOnClusterTest {

    private final Tiers.Opened open = new Tiers.Opened();

    @AfterEach
    void closeAll() throws Exception {
        open.closeAll();
    }

    @Test
    void aStoppedNodesPendingRevocation_isTakenOverByAnother_onACluster() {
        RedisCluster cluster = open.add(RedisCluster.start("pending-cluster"));
        String prefix = Tiers.prefix();
        RevocationSettings settings = Tiers.settings(cluster.uri(), prefix)
                .redisTimeout(Duration.ofSeconds(2))
                .redisEncryptionKey(Base64.getEncoder().encodeToString(new byte[32])).build();
        RedisConnections connections = open.add(RedisConnections.open(settings));
        Clock clock = Clock.systemUTC();
        RedisPendingStore a = new RedisPendingStore(connections, settings, clock, "node-a", false);
        RedisPendingStore b = new RedisPendingStore(connections, settings, clock, "node-b", false);
        open.add(b::close);
        String id = "ab".repeat(32);
        Pending pending = new Pending(id, false, true, null, "a-refresh-token-" + "x".repeat(40),
                Instant.now().plus(Duration.ofHours(1)));

        a.save(pending);
        RedisProcess holder = cluster.primaryOf(Tiers.TAG);
        // A sweep sends again what Redis did not take, as the engine's sweeps do (a first connection may fail).
        await().atMost(RedisProcess.patience()).until(() -> a.sweep(Instant.now()).isEmpty()
                && "1".equals(holder.call("EXISTS", prefix + "p:" + id)));
        assertThat(b.sweep(Instant.now())).as("A holds its lease").isEmpty();
        a.close();

        List<Pending> taken = new java.util.ArrayList<>();
        await().atMost(RedisProcess.patience()).until(() -> taken.addAll(b.sweep(Instant.now())));

        assertThat(taken).extracting(Pending::id, Pending::credential).containsExactly(
                org.assertj.core.groups.Tuple.tuple(id, pending.credential()));
        assertThat(holder.call("SISMEMBER", prefix + "owned:node-b", id)).isEqualTo("1");
        assertThat(cluster.servers().get(0).call("EXISTS", prefix + "p:" + id)).as("the seed holds none of it")
                .startsWith("-MOVED");
    }

    /**
     * The primary of the prefix's slot is killed, a replica takes over, the killed server comes back
     * (with its node id) and is failed over back to: pending revocations saved after each step are in
     * Redis, the last one too (a node connection its peer closed must not stay dead inside the store's
     * cluster connection, or every command for the returned primary times out).
     */
    @Test
    void pendingRevocationsAreSaved_afterAFailoverAndAFailbackToTheSamePrimary() throws Exception {
        RedisCluster cluster = open.add(RedisCluster.start("pending-failback"));
        String prefix = Tiers.prefix();
        RevocationSettings settings = Tiers.settings(cluster.uri(), prefix)
                .redisEncryptionKey(Base64.getEncoder().encodeToString(new byte[32])).build();
        RedisConnections connections = open.add(RedisConnections.open(settings));
        RedisPendingStore store = new RedisPendingStore(connections, settings, Clock.systemUTC(), "node-a", false);
        open.add(store::close);
        RedisProcess primary = cluster.primaryOf(Tiers.TAG);
        RedisProcess replica = cluster.servers().stream().filter(s -> s != primary
                && s.call("INFO", "replication").contains("master_port:" + primary.port())).findFirst().orElseThrow();

        saved(store, primary, prefix, "a1");
        primary.kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.primaryOf(Tiers.TAG) == replica);
        saved(store, replica, prefix, "b2");

        primary.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> primary.call("INFO", "replication")
                .contains("master_link_status:up"));
        assertThat(primary.call("CLUSTER", "FAILOVER")).isEqualTo("OK");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.primaryOf(Tiers.TAG) == primary);
        saved(store, primary, prefix, "c3");
    }

    /** Saves a pending revocation and waits until the primary holds it (a sweep sends again what Redis did not take). */
    private static void saved(RedisPendingStore store, RedisProcess holder, String prefix, String seed) {
        String id = seed.repeat(32);
        store.save(new Pending(id, false, true, null, "a-refresh-token-" + "x".repeat(40),
                Instant.now().plus(Duration.ofHours(1))));
        long start = System.nanoTime();
        await().atMost(RedisProcess.patience()).until(() -> store.sweep(Instant.now()).isEmpty()
                && "1".equals(holder.call("EXISTS", prefix + "p:" + id)));
        System.out.printf("pending revocation %s saved on %d within %d ms%n", seed, holder.port(),
                (System.nanoTime() - start) / 1_000_000);
    }
}
