package io.github.cognitorevoke.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cognitorevoke.it.AppClient;
import io.github.cognitorevoke.it.TestWars;
import io.github.cognitorevoke.it.app.MetricsProbe;
import io.github.cognitorevoke.support.RedisCluster;
import io.github.cognitorevoke.support.RedisProcess;
import io.github.cognitorevoke.support.RedisSentinel;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failover under load on two real WildFly nodes: the nodes share their denylist through Redis with
 * replicas, logouts and checks run on both all the time ({@link LogoutLoad}), and the primary that holds
 * the prefix's keys is killed with SIGKILL (by its PID) mid-run. Once with Sentinel (a primary, two
 * replicas, three Sentinels, the nodes given the {@code redis-sentinel://} URI), once on a Redis Cluster
 * of three primaries with a replica each (prefix <code>{cognito-revoke}:</code>, the primary of its slot
 * killed). For the last {@link #CUT_OFF} before the kill the replicas do not read ({@code DEBUG SLEEP})
 * and the primary has dropped their links, so that the logouts it confirmed meanwhile are on the killed
 * primary only (the test asserts there were some): replication is asynchronous, and the nodes must send
 * those writes again (docs/several-servers.md, "A failover"). With that resend disabled the test fails
 * (those logouts are missing on the new primary).
 *
 * <p>What is asserted, from CONTRACT.md, the README (Limits) and docs/several-servers.md:
 * <ul>
 *   <li><b>No 5xx.</b> Every logout is answered 204 (Redis confirmed it) or 202 (pending: the node keeps
 *       the write and replays it once Redis is back), before, during and after the failover; every check
 *       and readiness probe is answered, none with a 5xx.</li>
 *   <li><b>No revoked token accepted by the node that answered its logout</b>, from the answer on
 *       (asked at once, then again and again): a logout applies on its node before it answers.</li>
 *   <li><b>The other node</b> rejects a token whose logout was answered 204 within {@link #PROPAGATION}
 *       of the answer (pub/sub takes milliseconds; this absorbs a loaded machine). For an answer from
 *       {@link #PROPAGATION} before the kill until the recovery (both nodes ready again and each
 *       confirming logouts again), the write may have died with the primary, and the writer sends it
 *       again when it meets the loss: then within {@link #REPLAY} of the recovery. A 202's token may be
 *       accepted by the other node until Redis is back (README, Limits: "the logout said 202"), so it is
 *       not bounded during the load, only after it.</li>
 *   <li><b>No acknowledged logout lost:</b> once the load stopped, every token whose logout was answered
 *       2xx is rejected on both nodes, and its {@code jti} and {@code origin_jti} are keys on the current
 *       primary (waited for up to {@link #SETTLE}).</li>
 *   <li><b>Readiness</b> ({@code health().ready()}, the readiness check's state, through
 *       {@link MetricsProbe}: WildFly's default {@code standalone.xml} has no MicroProfile Health
 *       endpoint): with Sentinel, both nodes lose their subscription, so both go DOWN, then UP by
 *       themselves. On a cluster only a node whose subscription sat on the killed primary goes DOWN
 *       (the others heard every change): at least as many nodes go DOWN as the killed primary had
 *       subscribers on the prefix's channel, and every node that went DOWN comes UP by itself.</li>
 *   <li>A token never logged out is accepted on both nodes throughout: a 401 means revoked.</li>
 * </ul>
 * It prints the time from the kill until a new primary served, until both nodes were ready again and
 * confirmed logouts again, and the counts. The readiness on a cluster depends on where Lettuce placed
 * each node's subscription (the node with the fewest clients), so a run may see no node go DOWN.
 *
 * <p>The two WildFly nodes (offsets 400 and 500, as the other cluster tests, which have stopped theirs)
 * boot once for the class; each test deploys the application pointing at its own Redis set-up and
 * undeploys it after.
 */
class RedisFailoverClusterIT {

    private static final String CONTEXT = "failover";
    private static final String CLIENT = "1itfailoverclient3k1j5g6f7d8"; // Cognito-shaped
    /** Pub/sub delivers in milliseconds; this only absorbs a loaded 2-core machine. */
    private static final Duration PROPAGATION = Duration.ofSeconds(10);
    /** After the recovery: the writer meets the loss (a failed write, its heartbeat) and sends its recent writes again. */
    private static final Duration REPLAY = Duration.ofSeconds(15);
    /** How long the primary takes logouts its replicas do not receive, before it is killed. */
    private static final Duration CUT_OFF = Duration.ofSeconds(1);
    /** Load before the replicas are made to lag, and after the recovery. */
    private static final Duration BEFORE = Duration.ofSeconds(3);
    private static final Duration AFTER = Duration.ofSeconds(2);
    /** The failover and both nodes' resync, on a loaded machine. */
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    /** After the load, until everything acknowledged is everywhere. */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private static CognitoStub stub;
    private static WildFlyNode nodeA;
    private static WildFlyNode nodeB;
    private static Path dir;

    private AutoCloseable redis;
    private boolean deployed;

    @BeforeAll
    static void startNodes() {
        if (!Boolean.getBoolean("it.cluster")) {
            return; // see skipOutsideTheClusterExecution
        }
        dir = Path.of(System.getProperty("it.build.dir", "target")).resolve("failover");
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        Path wildflyHome = Path.of(System.getProperty("it.wildfly.home"));
        nodeA = new WildFlyNode("failover-a", wildflyHome, dir.resolve("node-a"), 400, Map.of());
        nodeB = new WildFlyNode("failover-b", wildflyHome, dir.resolve("node-b"), 500, Map.of());
        CompletableFuture<Void> a = CompletableFuture.runAsync(nodeA::start);
        nodeB.start();
        a.join();
    }

    @AfterAll
    static void stopNodes() throws Exception {
        WildFlyNode.closeAll(nodeB, nodeA, stub);
    }

    /** Runs in the Failsafe execution {@code it-cluster} only (see {@link SharedDenylistClusterIT}). */
    @BeforeEach
    void skipOutsideTheClusterExecution() {
        assumeTrue(Boolean.getBoolean("it.cluster"), "a cluster test: runs in the Failsafe execution it-cluster");
    }

    @AfterEach
    void undeployAndStopRedis() throws Exception {
        try {
            if (deployed) {
                CompletableFuture<Void> a = CompletableFuture.runAsync(() -> nodeA.undeploy(CONTEXT + ".war"));
                nodeB.undeploy(CONTEXT + ".war");
                a.join();
            }
        } finally {
            deployed = false;
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void sentinel_primaryKilledUnderLoad_noRevokedTokenAccepted_noLogoutLost_notReadyThenReady_no5xx()
            throws Exception {
        RedisSentinel sentinel = stoppedAfter(RedisSentinel.start("failover-sentinel"));
        String prefix = "failover-it:";
        List<AppClient> nodes = deploy(sentinel.uri(), prefix);

        // replicas asleep for less than Sentinel's down-after (1 s) after the primary's death: still eligible
        LogoutLoad load = underLoad("sentinel", nodes, sentinel.firstPrimary(), sentinel.replicas(), "1.5",
                () -> sentinel.primary() != null);

        assertThat(load.wentDown(0) && load.wentDown(1)).as("both nodes not ready after the kill").isTrue();
        assertThat(load.cameBack(0) && load.cameBack(1)).as("both nodes ready again by themselves").isTrue();
        load.assertNothingLost("sentinel", () -> keys(sentinel.primary(), prefix), prefix + "j:", SETTLE);
        assertNoProblems(load);
    }

    @Test
    void cluster_primaryOfTheSlotKilledUnderLoad_noRevokedTokenAccepted_noLogoutLost_readyAgain_no5xx()
            throws Exception {
        RedisCluster cluster = stoppedAfter(RedisCluster.start("failover-cluster"));
        String tag = "cognito-revoke";
        String prefix = "{" + tag + "}:";
        RedisProcess victim = cluster.primaryOf(tag);
        int v = cluster.servers().indexOf(victim);
        RedisProcess replica = cluster.servers().get(v + 3);
        // the nodes' seed is another primary, as a configuration endpoint stays up through a failover
        List<AppClient> nodes = deploy(cluster.servers().get((v + 1) % 3).uri(), prefix);
        int subscribed = Integer.parseInt(victim.call("PUBSUB", "NUMSUB", prefix + "events").lines().skip(1)
                .findFirst().orElseThrow());
        System.out.printf("failover under load (cluster): %d of the two nodes' subscriptions on the primary to be"
                + " killed%n", subscribed);

        LogoutLoad load = underLoad("cluster", nodes, victim, List.of(replica), "3", () -> cluster.primaryOf(tag) == replica);

        assertThat(load.nodesThatWentDown()).as("nodes not ready after the kill, at least those subscribed on the"
                + " killed primary").isGreaterThanOrEqualTo(subscribed);
        for (int n = 0; n < 2; n++) {
            assertThat(!load.wentDown(n) || load.cameBack(n)).as("node %s ready again by itself", LogoutLoad.name(n))
                    .isTrue();
        }
        load.assertNothingLost("cluster", () -> keys(cluster.primaryOf(tag), prefix), prefix + "j:", SETTLE);
        assertNoProblems(load);
    }

    /**
     * Runs the load, makes the victim's replicas lag, kills the victim, waits for the recovery (a primary
     * serves the prefix again, both nodes ready and confirming logouts again), runs on a little, stops.
     *
     * @param lag    how long the replicas stop reading, in seconds ({@code DEBUG SLEEP}): until after the
     *               kill, so that they cannot fetch what they missed from the primary
     * @param served whether a new primary serves the prefix
     */
    private static LogoutLoad underLoad(String topology, List<AppClient> nodes, RedisProcess victim,
            List<RedisProcess> replicas, String lag, BooleanSupplier served) throws Exception {
        LogoutLoad load = new LogoutLoad(nodes.get(0), nodes.get(1), RedisFailoverClusterIT::login, PROPAGATION, REPLAY);
        int cutOff;
        try (load) {
            Thread.sleep(BEFORE.toMillis());
            List<CompletableFuture<String>> asleep = replicas.stream().map(r -> CompletableFuture.supplyAsync(
                    () -> r.call("DEBUG", "SLEEP", lag))).toList();
            Thread.sleep(200);
            assertThat(victim.call("CLIENT", "KILL", "TYPE", "slave")).as("replication links dropped").isNotEqualTo("0");
            load.linksDropped();
            Thread.sleep(CUT_OFF.toMillis());
            long pid = victim.pid();
            load.killing();
            victim.kill();
            long killed = System.nanoTime();
            cutOff = load.confirmedOnThePrimaryAlone();
            System.out.printf("failover under load (%s): primary PID %d (port %d) killed with SIGKILL after %d"
                    + " acknowledged logouts, %d of them confirmed (204) by it alone%n", topology, pid, victim.port(),
                    load.acknowledgedCount(), cutOff);
            asleep.forEach(CompletableFuture::join);
            await("a new primary").atMost(RECOVERY).pollInterval(Duration.ofMillis(50)).until(served::getAsBoolean);
            System.out.printf("failover under load (%s): a new primary serves the prefix %d ms after the kill%n", topology,
                    (System.nanoTime() - killed) / 1_000_000);
            await("recovery: both nodes ready and confirming logouts again").atMost(RECOVERY)
                    .pollInterval(Duration.ofMillis(50)).until(() -> load.readyNow(0) && load.readyNow(1)
                            && load.confirmsAgain(0) && load.confirmsAgain(1)
                            && (!load.wentDown(0) || load.cameBack(0)) && (!load.wentDown(1) || load.cameBack(1)));
            load.recovered();
            Thread.sleep(AFTER.toMillis());
        } finally {
            System.out.println(load.report(topology));
        }
        assertThat(cutOff).as("logouts confirmed by the killed primary alone: the case the replay is for")
                .isPositive();
        assertThat(load.answeredDuringFailover()).as("logouts answered on A and B, sent during the failover")
                .doesNotContain(0);
        return load;
    }

    private static void assertNoProblems(LogoutLoad load) {
        assertThat(load.serverErrors()).as("5xx or no answer").isZero();
        assertThat(load.logoutStatuses().keySet()).as("logout statuses").isSubsetOf(204, 202);
        assertThat(load.problems()).as("revoked tokens accepted, unexpected answers").isEmpty();
    }

    /** Every key under {@code <prefix>j:} on a server (KEYS: one prefix is one slot, on the slot's primary). */
    private static Set<String> keys(RedisProcess primary, String prefix) {
        if (primary == null) {
            return Set.of();
        }
        String reply = primary.call("KEYS", prefix + "j:*");
        return reply == null ? Set.of() : reply.lines().collect(Collectors.toSet());
    }

    /** Stops the test's Redis set-up after it, whatever happens. */
    private <T extends AutoCloseable> T stoppedAfter(T servers) {
        redis = servers;
        return servers;
    }

    /** Deploys the application on both nodes, pointing at the Redis set-up; returns once both are ready. */
    private List<AppClient> deploy(String redisUri, String prefix) {
        Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
        params.put("redisUri", redisUri);
        params.put("redisKeyPrefix", prefix);
        params.put("redisTimeout", "2s");
        params.put("redisSyncTimeout", "30s");
        Path war = TestWars.exportTo(TestWars.app(CONTEXT, params, MetricsProbe.class)
                .addAsLibraries(TestWars.lettuceJars()), dir.resolve(CONTEXT + ".war"));
        deployed = true;
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> nodeA.deploy(war));
        nodeB.deploy(war);
        a.join();
        List<AppClient> clients = Stream.of(nodeA, nodeB).map(RedisFailoverClusterIT::client).toList();
        for (AppClient c : clients) {
            await("the first sync at " + c).atMost(Duration.ofSeconds(30)).until(() -> Boolean.parseBoolean(
                    AppClient.value(c.get("metrics-probe", null).body(), "health.ready")));
        }
        return clients;
    }

    private static AppClient client(WildFlyNode node) {
        try {
            return new AppClient(node.url(CONTEXT).toURL());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A new sign-in at the stub (AppClient remembers every token it sends, for the log check). */
    private static StubTokens login(String user) {
        return stub.login(CLIENT, user);
    }
}
