package io.github.cognitorevoke.it.cluster;

import static io.github.cognitorevoke.it.AppClient.REVOKED_CHALLENGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cognitorevoke.it.AppClient;
import io.github.cognitorevoke.it.RunSecrets;
import io.github.cognitorevoke.it.TestWars;
import io.github.cognitorevoke.it.app.MetricsProbe;
import io.github.cognitorevoke.support.RedisProcess;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.RevokeCall;
import io.github.cognitorevoke.testing.StubTokens;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shared denylist on real servers: two WildFly nodes and one Payara Micro node, each a separate
 * JVM that this test starts and stops by PID (no Arquillian: WildFly and Payara cannot share one
 * Arquillian classpath), all with the same WAR pointing at one real {@code redis-server}
 * ({@link RedisProcess}), and the Cognito wire stub in this JVM.
 *
 * <p>Ports: WildFly A at offset 400 (HTTP 8480, management 10390), WildFly B at offset 500 (8580,
 * 10490), Payara Micro on 8680; Redis and the stub on free loopback ports. The servers start once for
 * the class and stop in {@link #stopCluster()} whatever happens. The scenarios run in order, since some
 * change the cluster for those after them (a restart, an outage, an undeployment).
 *
 * <p>Readiness is read in Java, through {@link MetricsProbe} ({@code TokenRevocationService.health()}):
 * the same on both servers, and WildFly keeps its default {@code standalone.xml} (its MicroProfile Health
 * endpoint would need {@code standalone-microprofile.xml}, a slower boot and the management port).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedDenylistClusterIT {

    private static final String CONTEXT = "cluster";
    private static final String WAR_FILE = CONTEXT + ".war";
    private static final String CLIENT = "1itclusterclient3k1j5g6f7d8s9"; // Cognito-shaped
    private static final String PREFIX = "cluster-it:";
    /** A fixed AES-256 test key (bytes 0..31), given to the servers through the environment. */
    private static final String KEY_ENV = "COGNITO_REVOKE_IT_REDIS_KEY";
    private static final String TEST_KEY = Base64.getEncoder().encodeToString(toBytes(IntStream.range(0, 32)));
    /** Pub/sub delivers in milliseconds; this only absorbs a loaded 2-core machine. */
    private static final Duration PROPAGATION = Duration.ofSeconds(10);
    /** Detecting a lost connection and reconnecting (with the client's backoff) after Redis returns. */
    private static final Duration RECONNECT = Duration.ofSeconds(60);
    /** A dead node's lease (2 s here) expires, another node adopts its work and retries with backoff. */
    private static final Duration ADOPTION = Duration.ofSeconds(90);

    private static CognitoStub stub;
    private static RedisProcess redis;
    private static WildFlyNode nodeA;
    private static WildFlyNode nodeB;
    private static PayaraNode payara;
    private static AppClient onA;
    private static AppClient onB;
    private static AppClient onPayara;

    @BeforeAll
    static void startCluster() {
        if (!inClusterExecution()) {
            return; // see skipOutsideTheClusterExecution
        }
        Path dir = Path.of(System.getProperty("it.build.dir", "target")).resolve("cluster");
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        redis = RedisProcess.start("cluster");
        Path war = exportWar(dir.resolve(WAR_FILE));
        Map<String, String> env = Map.of(KEY_ENV, TEST_KEY);
        Path wildflyHome = Path.of(requiredProperty("it.wildfly.home"));
        nodeA = new WildFlyNode("node-a", wildflyHome, dir.resolve("node-a"), 400, env);
        nodeB = new WildFlyNode("node-b", wildflyHome, dir.resolve("node-b"), 500, env);
        payara = new PayaraNode("payara", Path.of(requiredProperty("it.payara.jar")), dir.resolve("payara"), 8680, env);
        // the three boots overlap: each spends much of its time waiting
        all(() -> {
            nodeA.start();
            nodeA.deploy(war);
        }, () -> {
            nodeB.start();
            nodeB.deploy(war);
        }, () -> payara.start(war, CONTEXT, "probe/pending"));
        onA = client(nodeA.url(CONTEXT));
        onB = client(nodeB.url(CONTEXT));
        onPayara = client(payara.url(CONTEXT));
    }

    @AfterAll
    static void stopCluster() {
        List<Runnable> stops = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {payara, nodeB, nodeA, redis, stub}) {
            if (c != null) {
                stops.add(() -> {
                    try {
                        c.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("stopping " + c, e);
                    }
                });
            }
        }
        all(stops.toArray(Runnable[]::new));
    }

    /**
     * {@code -Dit.test=...} runs a class in every Failsafe execution: this one runs in {@code it-cluster}
     * only. Skipped per test, not per class, so that the other executions still write their summaries.
     */
    @BeforeEach
    void skipOutsideTheClusterExecution() {
        assumeTrue(inClusterExecution(), "a cluster test: runs in the Failsafe execution it-cluster");
    }

    private static boolean inClusterExecution() {
        return Boolean.getBoolean("it.cluster");
    }

    @Test
    @Order(1)
    void everyNode_afterItsDeploymentAndFirstSync_isReady() {
        for (AppClient node : List.of(onA, onB, onPayara)) {
            assertThat(ready(node)).as("health().ready() after the deployment, at " + node).isTrue();
        }
    }

    @Test
    @Order(2)
    void logoutOnA_rejectsTheTokenOnB_whileALiveTokenStillPassesOnB() {
        StubTokens alice = login("alice");
        StubTokens bob = login("bob");
        assertAccepted(onB, alice.accessToken());

        HttpResponse<String> r = onA.logout(alice.accessToken(), alice.refreshToken());

        assertThat(r.statusCode()).as("logout on A, confirmed by Redis: " + r.body()).isEqualTo(204);
        await("B rejects the token logged out on A").atMost(PROPAGATION).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertRejectedAsRevoked(onB, alice.accessToken()));
        assertRejectedAsRevoked(onB, alice.idToken());
        assertAccepted(onB, bob.accessToken());
        assertAccepted(onA, bob.accessToken());
    }

    @Test
    @Order(3)
    void logoutOnWildFly_rejectsTheTokenOnPayaraMicro() {
        StubTokens carol = login("carol");
        StubTokens dan = login("dan");
        assertAccepted(onPayara, carol.accessToken());

        assertThat(onA.logout(carol.accessToken(), carol.refreshToken()).statusCode()).isEqualTo(204);

        await("Payara rejects the token logged out on WildFly").atMost(PROPAGATION).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertRejectedAsRevoked(onPayara, carol.accessToken()));
        assertAccepted(onPayara, dan.accessToken());
    }

    @Test
    @Order(4)
    void restartOfB_rejectsATokenRevokedBeforeOnItsFirstRequest() {
        StubTokens erin = login("erin");
        StubTokens fay = login("fay");
        assertThat(onA.logout(erin.accessToken(), erin.refreshToken()).statusCode()).isEqualTo(204);

        nodeB.restart();
        assertThat(nodeB.deployedInThisRun(WAR_FILE)).as("the boot deployed the WAR again").isTrue();
        assertThat(nodeB.isDeployed(WAR_FILE)).isTrue();
        onB = client(nodeB.url(CONTEXT)); // no pooled connection to the stopped server

        // the first request B serves after its restart: no probe before it
        assertRejectedAsRevoked(onB, erin.accessToken());
        assertAccepted(onB, fay.accessToken());
        assertThat(ready(onB)).isTrue();
    }

    @Test
    @Order(5)
    void redisOutage_nodesKeepAnswering_andALogoutDuringItReachesBOnceRedisReturns() {
        StubTokens gus = login("gus");
        StubTokens hal = login("hal");
        StubTokens ivy = login("ivy");
        assertThat(onA.logout(hal.accessToken(), hal.refreshToken()).statusCode()).isEqualTo(204);
        await().atMost(PROPAGATION).untilAsserted(() -> assertRejectedAsRevoked(onB, hal.accessToken()));

        redis.stop();
        try {
            await("both nodes know they are out of sync").atMost(RECONNECT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !ready(onA) && !ready(onB));
            for (AppClient node : List.of(onA, onB)) {
                assertAccepted(node, gus.accessToken());
                assertRejectedAsRevoked(node, hal.accessToken());
            }

            HttpResponse<String> during = onA.logout(ivy.accessToken(), ivy.refreshToken());

            assertThat(during.statusCode()).as("a logout while Redis is down: " + during.body()).isEqualTo(202);
            assertRejectedAsRevoked(onA, ivy.accessToken());
            assertAccepted(onB, gus.accessToken());
        } finally {
            redis.start(); // same port, empty: what A buffered is replayed into it
        }

        await("B rejects the token logged out on A during the outage").atMost(RECONNECT)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertRejectedAsRevoked(onB, ivy.accessToken()));
        await("both nodes in sync again").atMost(RECONNECT).pollInterval(Duration.ofMillis(100))
                .until(() -> ready(onA) && ready(onB));
        assertAccepted(onB, gus.accessToken());
        assertAccepted(onA, gus.accessToken());
    }

    @Test
    @Order(6)
    void pendingRevocationAcceptedOnA_isCompletedByBAfterAsApplicationIsUndeployed() {
        // B alone may take the work over, so the call at the stub can only come from B
        payara.stop();
        StubTokens jay = login("jay");
        stub.failNext(100_000, "TooManyRequestsException"); // throttles until clearFailures()

        HttpResponse<String> r = onA.logout(jay.accessToken(), jay.refreshToken());

        assertThat(r.statusCode()).as("logout on A while Cognito throttles: " + r.body()).isEqualTo(202);
        assertThat(stub.isRevoked(jay.refreshToken())).isFalse();
        await("the pending revocation stored in Redis").atMost(PROPAGATION)
                .until(() -> ("*1").equals(redis.command("KEYS " + PREFIX + "p:*")));
        await().atMost(PROPAGATION).untilAsserted(() -> assertRejectedAsRevoked(onB, jay.accessToken()));

        nodeA.undeploy(WAR_FILE);
        nodeA.stop(); // nothing left of A that could call Cognito
        int callsBefore = stub.revokeCallCount();
        stub.clearFailures();

        await("B revokes the refresh token A accepted").atMost(ADOPTION).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    List<RevokeCall> calls = stub.revokeCalls();
                    assertThat(calls.subList(callsBefore, calls.size()))
                            .anySatisfy(c -> {
                                assertThat(c.token()).isEqualTo(jay.refreshToken());
                                assertThat(c.succeeded()).isTrue();
                            });
                });
        assertThat(stub.isRevoked(jay.refreshToken())).isTrue();
        assertRejectedAsRevoked(onB, jay.accessToken());
    }

    @Test
    @Order(7)
    void logsOfEveryNode_holdNoTokenAndNotTheEncryptionKey() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (WildFlyNode node : List.of(nodeA, nodeB)) {
            try (Stream<Path> files = Files.list(node.base().resolve("log"))) {
                files.filter(f -> f.getFileName().toString().endsWith(".log")).forEach(logs::add);
            }
        }
        logs.add(payara.log());
        Collection<String> secrets = RunSecrets.all();
        assertThat(secrets).as("tokens this class sent").isNotEmpty();
        // the search below only means something if the library's own lines reach these files
        for (Path log : List.of(nodeA.base().resolve("log/server.log"), nodeB.base().resolve("log/server.log"), payara.log())) {
            assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as("the library's deployment line in " + log)
                    .contains("cognito-revoke: active for");
        }

        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1); // any bytes, no decoding errors
            if (text.contains(TEST_KEY)) {
                leaks.add(log + " contains the encryption key");
            }
            for (String secret : secrets) {
                String[] parts = secret.split("\\.");
                String signature = parts[parts.length - 1]; // a header dump may cut a token elsewhere
                if (text.contains(secret) || (parts.length >= 3 && signature.length() >= 16 && text.contains(signature))) {
                    leaks.add(log + " contains a token of " + secret.length() + " chars");
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static StubTokens login(String username) {
        StubTokens t = stub.login(CLIENT, username);
        RunSecrets.remember(t.accessToken());
        RunSecrets.remember(t.idToken());
        RunSecrets.remember(t.refreshToken());
        return t;
    }

    private static void assertRejectedAsRevoked(AppClient node, String token) {
        HttpResponse<String> r = node.get("protected", token);
        assertThat(r.statusCode()).as("status for a revoked token at " + r.uri()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(REVOKED_CHALLENGE);
        assertThat(r.body()).doesNotContain("protected resource");
    }

    private static void assertAccepted(AppClient node, String token) {
        HttpResponse<String> r = node.get("protected", token);
        assertThat(r.statusCode()).as("status for a live token at " + r.uri()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("protected resource");
    }

    /** {@code TokenRevocationService.health().ready()} on a node, through {@link MetricsProbe}. */
    private static boolean ready(AppClient node) {
        HttpResponse<String> r = node.get("metrics-probe", null);
        assertThat(r.statusCode()).as("GET metrics-probe at " + r.uri() + ": " + r.body()).isEqualTo(200);
        boolean ready = Boolean.parseBoolean(AppClient.value(r.body(), "health.ready"));
        if (!ready) { // the reason, for a failure's report (the detail names no secret)
            System.out.println(r.uri() + ": not ready: " + AppClient.value(r.body(), "health.detail"));
        }
        return ready;
    }

    /**
     * The test application, every node's: the stub's settings plus the shared tier's. The key comes from
     * the environment, as the README advises; the lease is the shortest allowed, so that an adoption
     * does not keep the test waiting; the timeouts absorb a loaded machine.
     */
    private static Path exportWar(Path file) {
        Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
        params.put("redisUri", redis.uri());
        params.put("redisKeyPrefix", PREFIX);
        params.put("redisEncryptionKey", "${env:" + KEY_ENV + "}");
        params.put("redisTimeout", "2s");
        params.put("redisSyncTimeout", "30s");
        params.put("redisLease", "2s");
        WebArchive war = TestWars.app(CONTEXT, params, MetricsProbe.class).addAsLibraries(TestWars.lettuceJars());
        return TestWars.exportTo(war, file);
    }

    private static AppClient client(URI url) {
        try {
            return new AppClient(url.toURL());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(url.toString(), e);
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the cluster test through mvn verify"
                    + " (Failsafe execution it-cluster)");
        }
        return value;
    }

    /** Runs the steps in parallel and waits for all of them; then fails with the first failure, if any. */
    private static void all(Runnable... steps) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Runnable step : steps) {
            running.add(CompletableFuture.runAsync(step, r -> new Thread(r, "cluster-step").start()));
        }
        RuntimeException first = null;
        for (CompletableFuture<Void> f : running) {
            try {
                f.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : e;
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static byte[] toBytes(IntStream values) {
        int[] ints = values.toArray();
        byte[] bytes = new byte[ints.length];
        for (int i = 0; i < ints.length; i++) {
            bytes[i] = (byte) ints[i];
        }
        return bytes;
    }
}
