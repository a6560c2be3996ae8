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
}
