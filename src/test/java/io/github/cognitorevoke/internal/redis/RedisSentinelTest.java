package io.github.cognitorevoke.internal.redis;

import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.support.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tier through Sentinel ({@code redis-sentinel://}): a primary, two replicas and three Sentinels,
 * each a redis-server 6.2 process on a free port, formed anew for each test and stopped by PID.
 */
class RedisSentinelTest {

    private static final String MASTER = "tier";

    private final Tiers.Opened open = new Tiers.Opened();
    private final String prefix = Tiers.prefix();
    private RedisProcess primary;
    private List<RedisProcess> replicas;
    private final List<RedisProcess> sentinelProcesses = new ArrayList<>();
    private String uri;

    @BeforeEach
    void form() {
        primary = open.add(RedisProcess.start("sentinel-primary"));
        List<String> follow = List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
        replicas = List.of(open.add(RedisProcess.start("sentinel-replica-1", follow)),
                open.add(RedisProcess.start("sentinel-replica-2", follow)));
        StringBuilder sentinels = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            RedisProcess s = open.add(RedisProcess.sentinel("sentinel-" + i, MASTER, primary.port()));
            sentinelProcesses.add(s);
            sentinels.append(i == 1 ? "" : ",").append("127.0.0.1:").append(s.port());
        }
        uri = "redis-sentinel://" + sentinels + "?sentinelMasterId=" + MASTER;
        await().atMost(RedisProcess.patience()).until(() -> replicas.stream()
                .allMatch(r -> r.call("INFO", "replication").contains("master_link_status:up")));
    }

    @AfterEach
    void closeAll() throws Exception {
        open.closeAll();
    }

    @Test
    void nodesShareTheDenylistThroughTheSentinelsPrimary() throws Exception {
        RedisDenylist a = open.add(Tiers.node(uri, prefix));
        RedisDenylist b = open.add(Tiers.node(uri, prefix));
        assertThat(a.inSync() && b.inSync()).isTrue();

        confirmed(a.add("jti-1", Instant.now().plusSeconds(60)));

        await().atMost(RedisProcess.patience()).until(() -> b.contains("jti-1"));
        assertThat(primary.call("EXISTS", prefix + "j:jti-1")).isEqualTo("1");
        assertThat(open.add(Tiers.node(uri, prefix)).contains("jti-1")).isTrue();
    }

    /**
     * SIGKILL of the primary: the nodes are not ready until Sentinel promoted a replica and they
     * resynced from it, then ready again by themselves; a write the replicas never received and the
     * writes taken during the failover are all on the new primary.
     */
    @Test
    void primaryKilled_nodesNotReadyThenReady_noConfirmedWriteLost() throws Exception {
        RedisDenylist a = open.add(Tiers.node(uri, prefix));
        RedisDenylist b = open.add(Tiers.node(uri, prefix));
        confirmed(a.add("replicated", Instant.now().plusSeconds(120)));
        await().atMost(RedisProcess.patience()).until(() -> replicas.stream()
                .allMatch(r -> "1".equals(r.call("EXISTS", prefix + "j:replicated"))));

        // Both replicas stop reading and the primary drops their links: the next write stays on the primary.
        List<CompletableFuture<String>> asleep = replicas.stream()
                .map(r -> CompletableFuture.supplyAsync(() -> r.call("DEBUG", "SLEEP", "2"))).toList();
        Thread.sleep(200);
        primary.call("CLIENT", "KILL", "TYPE", "slave");
        confirmed(a.add("unreplicated", Instant.now().plusSeconds(120)));
        long killed = System.nanoTime();
        primary.kill();
        asleep.forEach(CompletableFuture::join);

        await().atMost(RedisProcess.patience()).until(() -> !a.inSync() && !b.inSync());
        CompletableFuture<Void> during = b.add("during", Instant.now().plusSeconds(120));
        await().atMost(Duration.ofSeconds(40)).until(() -> a.inSync() && b.inSync());
        System.out.printf("sentinel failover: both nodes ready again %d ms after the primary was killed%n",
                (System.nanoTime() - killed) / 1_000_000);
        confirmed(during);
        RedisProcess promoted = replicas.stream().filter(r -> r.call("INFO", "replication").contains("role:master"))
                .findFirst().orElseThrow();
        await().atMost(RedisProcess.patience()).until(() -> "1".equals(promoted.call("EXISTS", prefix + "j:unreplicated")));
        await().atMost(RedisProcess.patience()).until(() -> a.contains("during"));

        RedisDenylist late = open.add(Tiers.node(uri, prefix));
        assertThat(late.inSync()).isTrue();
        assertThat(List.of("replicated", "unreplicated", "during")).allMatch(late::contains);
    }

    /**
     * Under load (logouts on both nodes, checks of every acknowledged one on both, all the time), the
     * primary is killed: both nodes are not ready, then ready again by themselves; no acknowledged logout
     * is accepted by the node that acknowledged it or, later, by the other, none is lost, and every
     * logout is acknowledged in the end.
     */
    @Test
    void primaryKilledUnderLoad_notReadyThenReady_noAcknowledgedLogoutAcceptedOrLost() throws Exception {
        RedisDenylist a = open.add(Tiers.node(uri, prefix));
        RedisDenylist b = open.add(Tiers.node(uri, prefix));
        FailoverUnderLoad load = new FailoverUnderLoad(a, b);
        try (load) {
            Thread.sleep(2000);
            // the replicas stop reading and lose their links: the last 0.5 s of acknowledged logouts stay on the primary
            List<CompletableFuture<String>> asleep = replicas.stream()
                    .map(r -> CompletableFuture.supplyAsync(() -> r.call("DEBUG", "SLEEP", "2"))).toList();
            Thread.sleep(200);
            primary.call("CLIENT", "KILL", "TYPE", "slave");
            Thread.sleep(500);
            primary.kill();
            asleep.forEach(CompletableFuture::join);
            await().atMost(RedisProcess.patience()).until(() -> load.wentDown(0) && load.wentDown(1));
            load.stopWhenReady();
        }

        assertThat(load.cameBack(0) && load.cameBack(1)).isTrue();
        load.assertNothingLost(() -> open.add(Tiers.node(uri, prefix)));
    }

    /** Rounds of {@link #aNodeStartedRightAfterThePrimaryIsKilled_hasEveryAcknowledgedLogoutOnceReady}. */
    private static final int ROUNDS = 4;

    /**
     * A node started right after the SIGKILL of the primary, whose last confirmed logouts (on a node
     * that goes on taking logouts and on one that is quiet) no replica received, must hold every one of
     * them the moment it reports ready, in each of {@link #ROUNDS} failovers of one deployment (the
     * killed server comes back as a replica of the new primary).
     */
    @Test
    void aNodeStartedRightAfterThePrimaryIsKilled_hasEveryAcknowledgedLogoutOnceReady() throws Exception {
        // Sentinel refuses a second failover of one primary within twice this: rounds follow each other sooner.
        sentinelProcesses.forEach(s -> assertThat(s.call("SENTINEL", "SET", MASTER, "failover-timeout", "3000"))
                .isEqualTo("OK"));
        StartDuringFailover rounds = new StartDuringFailover(open.add(Tiers.node(uri, prefix)),
                open.add(Tiers.node(uri, prefix)));
        List<RedisProcess> servers = new ArrayList<>(replicas);
        servers.add(primary);
        for (int round = 0; round < ROUNDS; round++) {
            RedisProcess current = servers.stream().filter(s -> s.call("INFO", "replication").contains("role:master"))
                    .findFirst().orElseThrow();
            List<RedisProcess> following = servers.stream().filter(s -> s != current).toList();
            List<String> acknowledged = rounds.confirm(new ArrayList<>(), round, "replicated", 10);
            String last = prefix + "j:" + acknowledged.get(acknowledged.size() - 1);
            await().atMost(RedisProcess.patience()).until(() -> following.stream()
                    .allMatch(r -> "1".equals(r.call("EXISTS", last))));

            // The replicas stop reading and lose their links: what follows is on the primary only.
            List<CompletableFuture<String>> asleep = following.stream()
                    .map(r -> CompletableFuture.supplyAsync(() -> r.call("DEBUG", "SLEEP", "1"))).toList();
            Thread.sleep(200);
            assertThat(current.call("CLIENT", "KILL", "TYPE", "slave")).isNotEqualTo("0");
            rounds.confirm(acknowledged, round, "unreplicated", 20);
            current.kill();
            long killed = System.nanoTime();
            rounds.startLate(round, acknowledged, killed,
                    () -> open.add(Tiers.node(uri, prefix, s -> s.redisSyncTimeout(Duration.ZERO))));
            asleep.forEach(CompletableFuture::join);

            // The killed server comes back empty, as a replica of the new primary.
            current.start();
            String promoted = sentinelProcesses.get(0).call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
            current.call("REPLICAOF", "127.0.0.1", promoted.lines().skip(1).findFirst().orElseThrow());
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.stream()
                    .filter(s -> s.call("INFO", "replication").contains("role:slave"))
                    .filter(s -> s.call("INFO", "replication").contains("master_link_status:up")).count() == 2);
            // Twice the failover timeout since the last failover began.
            long since = (System.nanoTime() - killed) / 1_000_000;
            Thread.sleep(Math.max(0, 6_500 - since));
        }
        System.out.println("a node started during a Sentinel failover:\n  " + rounds.rounds());
        assertThat(rounds.missed()).as("rounds whose new node lacked acknowledged logouts once ready:%n  %s",
                rounds.rounds()).isZero();
    }

}
