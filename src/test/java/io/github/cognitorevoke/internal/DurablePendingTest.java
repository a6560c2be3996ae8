package io.github.cognitorevoke.internal;

import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.DONE;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.redis.RedisConnections;
import io.github.cognitorevoke.internal.redis.RedisPendingStore;
import io.github.cognitorevoke.internal.redis.SharedDenylists;
import io.github.cognitorevoke.support.RedisProcess;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable pending revocations against a real Redis: nodes are engines in this JVM, each with its own
 * scripted Cognito and its own connection; sweeps are driven by hand on a shared, hand-moved clock
 * (lease and heartbeat follow it), while Redis expires keys in real time.
 */
class DurablePendingTest {

    private static final String CLIENT = "webclient";
    private static final String PREFIX = "cognito-revoke:";
    private static final Duration DEADLINE = Duration.ofHours(6);
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final byte[] KEY = new byte[32];
    private static final String KEY_TEXT;
    private static final String OTHER_KEY_TEXT;

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 7 + 3);
        }
        KEY_TEXT = Base64.getEncoder().encodeToString(KEY);
        byte[] other = KEY.clone();
        other[0] ^= 1;
        OTHER_KEY_TEXT = Base64.getEncoder().encodeToString(other);
    }

    private static RedisProcess redis;
    private static RedisClient client;
    /** The nodes' client, shared as a deployment's denylist and store may share it; each node connects its own. */
    private static RedisConnections connections;
    private static StatefulRedisConnection<String, String> inspector;

    private TestClock clock = TestClock.atNow();
    private CognitoStub stub;
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>(List.of(KEY_TEXT, OTHER_KEY_TEXT));
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start("durable-pending");
        client = RedisClient.create(redis.uri());
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
        inspector = client.connect(StringCodec.UTF8);
        connections = RedisConnections.open(settings(b -> b, null));
    }

    @AfterAll
    static void stopRedis() {
        connections.close();
        inspector.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        redis.stop();
    }

    @BeforeEach
    void start() {
        redis.start();
        await().atMost(RedisProcess.patience()).until(() -> inspector.isOpen());
        inspector.sync().flushall();
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        Logger.getLogger("io.github.cognitorevoke").addHandler(capture);
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
        stub.close();
        Logger.getLogger("io.github.cognitorevoke").removeHandler(capture);
        SimpleFormatter formatter = new SimpleFormatter();
        for (LogRecord r : logged) {
            String line = formatter.formatMessage(r);
            for (String secret : secrets) {
                assertThat(line).as("a log line").doesNotContain(secret);
            }
        }
    }

    private static RevocationSettings settings(UnaryOperator<RevocationSettings.Builder> tune, CognitoStub stub) {
        RevocationSettings.Builder b = stub == null ? RevocationSettings.builder("eu-west-1", "eu-west-1_pool", CLIENT)
                : StubSettings.builder(stub, CLIENT);
        return tune.apply(b.pendingDeadline(DEADLINE)
                .redisUri(redis.uri())
                .redisEncryptionKey(KEY_TEXT)
                .redisLease(LEASE)
                .redisTimeout(Duration.ofSeconds(2))).build();
    }

    /** A node: an engine with its own Cognito and store (which makes its own connection), swept by hand. */
    private final class Node {
        final ScriptedCognitoGateway cognito = new ScriptedCognitoGateway();
        final RedisPendingStore store;
        final RevocationEngine engine;
        boolean closed;

        Node(UnaryOperator<RevocationSettings.Builder> tune, boolean heartbeatInBackground) {
            RevocationSettings settings = settings(tune, stub);
            store = new RedisPendingStore(connections, settings, clock, RedisPendingStore.newNodeId(),
                    heartbeatInBackground);
            engine = RevocationEngine.builder(settings).clock(clock).cognito(cognito).pendingStore(store).build();
        }

        void sweep() {
            engine.retryDue();
        }

        /** Logs out refresh tokens alone while Cognito throttles: each becomes pending here. */
        List<String> pendingRefreshTokens(String... names) {
            cognito.onRevoke(t -> THROTTLED);
            List<String> tokens = Arrays.stream(names).map(DurablePendingTest.this::refreshToken).toList();
            tokens.forEach(t -> assertThat(engine.logout(null, t).status()).isEqualTo(Status.PENDING));
            return tokens;
        }

        void close() {
            if (!closed) {
                closed = true;
                engine.close();
            }
        }
    }

    private Node node() {
        return node(b -> b);
    }

    private Node node(UnaryOperator<RevocationSettings.Builder> tune) {
        Node n = new Node(tune, false);
        nodes.add(n);
        return n;
    }

    private StubTokens login(String user) {
        StubTokens t = stub.login(CLIENT, user);
        secrets.add(t.accessToken());
        secrets.add(t.refreshToken());
        secrets.add(t.idToken());
        return t;
    }

    private String refreshToken(String name) {
        String token = CognitoStub.unknownRefreshToken("refresh-token-" + name + "-" + "x".repeat(40));
        secrets.add(token);
        return token;
    }

    private static RedisCommands<String, String> redisSync() {
        return inspector.sync();
    }

    /**
     * Every key under the prefix with its value as text (strings, set members, sorted-set members and
     * scores); a key that went while it was read is left out.
     */
    private static Map<String, String> everything() {
        Map<String, String> all = new LinkedHashMap<>();
        ScanIterator<String> keys = ScanIterator.scan(redisSync(), ScanArgs.Builder.matches(PREFIX + "*").limit(1000));
        while (keys.hasNext()) {
            String key = keys.next();
            String value = switch (redisSync().type(key)) {
                case "string" -> redisSync().get(key);
                case "set" -> String.join(" ", redisSync().smembers(key));
                case "zset" -> redisSync().zrangeWithScores(key, 0, -1).stream()
                        .map(v -> v.getValue() + " " + (long) v.getScore()).collect(Collectors.joining(" "));
                case "none" -> null;
                default -> throw new AssertionError("unexpected type of " + key);
            };
            if (value != null) {
                all.put(key, value);
            }
        }
        return all;
    }

    private static List<String> entryKeys() {
        return everything().keySet().stream().filter(k -> k.startsWith(PREFIX + "p:")).toList();
    }

    /** For what a node forgets in Redis without waiting: holds within the patience of a loaded machine. */
    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(RedisProcess.patience()).untilAsserted(assertion);
    }

    private static void assertEveryKeyExpires() {
        for (String key : everything().keySet()) {
            assertThat(redisSync().pttl(key)).as("expiry of %s", key).isPositive();
        }
    }

    private static void assertNoFragment(String text, String secret) {
        for (int i = 0; i + 12 <= secret.length(); i++) {
            assertThat(text).doesNotContain(secret.substring(i, i + 12));
        }
    }

    private static byte[] open(String keyText, String name, String blob) throws Exception {
        byte[] raw = Base64.getDecoder().decode(blob);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(keyText), "AES"),
                new GCMParameterSpec(128, raw, 1, 12));
        cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(raw, 13, raw.length - 13);
    }

    // ------------------------------------------------------------------ at rest

    @Test
    void pendingRevocations_inRedis_noTokenReadable_blobOpensOnlyWithTheKeyUnderItsOwnName() throws Exception {
        Node a = node();
        StubTokens alice = login("alice");
        StubTokens bob = login("bob");
        String alone = refreshToken("alone");
        a.cognito.onRevoke(t -> THROTTLED).onGlobalSignOut(t -> THROTTLED);
        assertThat(a.engine.logout(alice.accessToken(), alice.refreshToken()).status()).isEqualTo(Status.PENDING);
        assertThat(a.engine.signOutEverywhere(bob.accessToken()).status()).isEqualTo(Status.PENDING);
        assertThat(a.engine.logout(null, alone).status()).isEqualTo(Status.PENDING);
        a.sweep();

        Map<String, String> all = everything();
        assertThat(entryKeys()).as("RevokeToken twice, GlobalSignOut once").hasSize(3);
        String text = all.toString();
        for (String secret : secrets) {
            assertNoFragment(text, secret);
        }
        String aliceName = PREFIX + "p:" + PendingRevocations.Digest.of(alice.refreshToken()).hex();
        String aliceBlob = all.get(aliceName);
        assertThat(aliceBlob).isNotNull();
        assertThat(new String(open(KEY_TEXT, aliceName, aliceBlob), StandardCharsets.UTF_8))
                .contains(alice.refreshToken());
        String otherName = PREFIX + "p:" + PendingRevocations.Digest.of(alone).hex();
        assertThatThrownBy(() -> open(KEY_TEXT, otherName, aliceBlob)).as("under another entry's name")
                .isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> open(OTHER_KEY_TEXT, aliceName, aliceBlob)).as("with another key")
                .isInstanceOf(AEADBadTagException.class);
        assertEveryKeyExpires();
    }

    @Test
    void blobCopiedUnderAnotherName_orNodeWithAnotherKey_opensNowhere_leftInRedis() {
        Node a = node();
        List<String> xy = a.pendingRefreshTokens("x", "y");
        String x = xy.get(0);
        String y = xy.get(1);
        String xName = PREFIX + "p:" + PendingRevocations.Digest.of(x).hex();
        String yName = PREFIX + "p:" + PendingRevocations.Digest.of(y).hex();
        redisSync().set(yName, redisSync().get(xName), SetArgs.Builder.keepttl());
        a.close();

        Node wrongKey = node(b -> b.redisEncryptionKey(OTHER_KEY_TEXT));
        wrongKey.sweep();
        assertThat(wrongKey.cognito.revokeCallCount()).isZero();
        assertThat(wrongKey.engine.pendingCount()).isZero();
        String left = PREFIX + "owned:" + a.store.node();
        eventually(() -> assertThat(redisSync().scard(left)).as("handed back").isEqualTo(2));

        Node b = node();
        b.sweep();
        b.sweep();
        assertThat(b.cognito.revokeCallsOf(x)).isEqualTo(1);
        assertThat(b.cognito.revokeCallCount()).as("nothing for y, whose blob is x's").isEqualTo(1);
        eventually(() -> assertThat(entryKeys()).containsExactly(yName));
        assertThat(logged).filteredOn(r -> r.getLevel() == Level.WARNING)
                .anySatisfy(r -> assertThat(r.getMessage()).contains("redisEncryptionKey"));
        assertEveryKeyExpires();
    }

    // ------------------------------------------------------------------ takeover

    @Test
    void nodeClosed_itsPendingRevocationFinishedByAnotherNode_andGoneFromRedis() {
        Node a = node();
        Node b = node();
        StubTokens alice = login("alice");
        a.cognito.onRevoke(t -> THROTTLED);
        assertThat(a.engine.logout(alice.accessToken(), alice.refreshToken()).status()).isEqualTo(Status.PENDING);
        b.sweep();
        assertThat(b.cognito.revokeCallCount()).as("A is alive").isZero();

        a.close();
        b.sweep();

        assertThat(b.cognito.revokeCallsOf(alice.refreshToken())).isEqualTo(1);
        assertThat(b.engine.pendingCount()).isZero();
        eventually(() -> assertThat(everything().keySet()).as("nothing left but the node list")
                .containsExactly(PREFIX + "nodes"));
        assertEveryKeyExpires();
    }

    @Test
    void nodeStopsSweeping_takenOverOnlyOnceItsLeaseRanOut() {
        Node a = node();
        Node b = node();
        String token = a.pendingRefreshTokens("t").get(0);

        clock.advance(LEASE.minusMillis(1));
        b.sweep();
        assertThat(b.cognito.revokeCallCount()).as("lease still running").isZero();
        assertThat(entryKeys()).hasSize(1);

        clock.advance(Duration.ofMillis(1));
        b.sweep();
        assertThat(b.cognito.revokeCallsOf(token)).isEqualTo(1);
        eventually(() -> assertThat(entryKeys()).isEmpty());
        assertEveryKeyExpires();
    }

    @Test
    void nodeStillSweeping_keepsItsEntries() {
        Node a = node();
        Node b = node();
        a.pendingRefreshTokens("t");
        for (int i = 0; i < 5; i++) {
            clock.advance(LEASE.minusMillis(500));
            a.sweep();
            b.sweep();
        }
        assertThat(b.cognito.revokeCallCount()).isZero();
        assertThat(a.engine.pendingCount()).isEqualTo(1);
        assertThat(entryKeys()).hasSize(1);
    }

    @Test
    void nodeInALongSweep_keepsItsLeaseByItsBackgroundHeartbeat() {
        Node a = new Node(x -> x, true);
        nodes.add(a);
        Node b = node();
        a.pendingRefreshTokens("slow");

        // A's retry thread is busy (no sweep), its time moves on: only the background heartbeat speaks for it.
        clock.advance(LEASE.multipliedBy(3));
        double now = clock.millis();
        await().atMost(RedisProcess.patience())
                .until(() -> redisSync().zscore(PREFIX + "nodes", a.store.node()) == now);
        b.sweep();

        assertThat(b.cognito.revokeCallCount()).isZero();
        assertThat(entryKeys()).hasSize(1);
    }

    @Test
    void twoLiveNodesSweepingAtOnce_neverTakeTheSameEntry() throws Exception {
        Node a = node();
        List<String> tokens = a.pendingRefreshTokens(IntStream.range(0, 250).mapToObj(i -> "n" + i).toArray(String[]::new));
        assertThat(entryKeys()).hasSize(250);
        a.close();

        Node b = node();
        Node c = node();
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (Node n : List.of(b, c)) {
                runs.add(threads.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        together.await();
                        n.sweep();
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            threads.shutdownNow();
        }

        for (String t : tokens) {
            assertThat(b.cognito.revokeCallsOf(t) + c.cognito.revokeCallsOf(t)).as("calls for one token").isEqualTo(1);
        }
        eventually(() -> assertThat(entryKeys()).isEmpty());
        assertEveryKeyExpires();
    }

    @Test
    void takeOverBeyondTheUnverifiedCap_leavesTheRestInRedisForAnotherNode() {
        Node a = node();
        List<String> tokens = a.pendingRefreshTokens("c0", "c1", "c2", "c3", "c4");
        a.close();

        Node small = node(b -> b.maxPendingRevocations(2));
        small.cognito.onRevoke(t -> THROTTLED);
        small.sweep();
        assertThat(small.engine.pendingCount()).isEqualTo(2);
        assertThat(entryKeys()).hasSize(5);
        String left = PREFIX + "owned:" + a.store.node();
        eventually(() -> assertThat(redisSync().scard(left)).as("handed back").isEqualTo(3));

        Node roomy = node();
        roomy.sweep();
        roomy.sweep();
        assertThat(roomy.cognito.revokeCallCount()).isEqualTo(3);
        Set<String> smallOwns = redisSync().smembers(PREFIX + "owned:" + small.store.node());
        assertThat(smallOwns).hasSize(2);
        for (String t : tokens) {
            assertThat(roomy.cognito.revokeCallsOf(t) + (smallOwns.contains(PendingRevocations.Digest.of(t).hex()) ? 1 : 0))
                    .as("each token on exactly one node").isEqualTo(1);
        }
        eventually(() -> assertThat(entryKeys()).as("the small node's two, still pending there").hasSize(2));
        assertEveryKeyExpires();
    }

    // ------------------------------------------------------------------ keys of another type

    @Test
    void ownedSetOfAnotherType_listedAfterAStoppedNode_everyEntryOfThatNodeTakenOver_noneLost() {
        takenOverDespite(a -> {
            // Listed after the stopped node (heartbeat 0): the sweep reaches it with the stopped node's ids in hand.
            redisSync().zadd(PREFIX + "nodes", 1, "planted");
            redisSync().set(PREFIX + "owned:planted", "x");
        });
    }

    @Test
    void entryOfAnotherType_amongAStoppedNodesIds_everyOtherEntryTakenOver_noneLost() {
        takenOverDespite(a -> {
            redisSync().sadd(PREFIX + "owned:" + a.store.node(), "planted");
            redisSync().sadd(PREFIX + "p:planted", "x");
        });
    }

    @Test
    void nodeListOfAnotherType_beforeANodeStops_everyEntryOfThatNodeTakenOver_noneLost() {
        takenOverDespite(a -> redisSync().set(PREFIX + "nodes", "x"));
    }

    /** A node with five pending revocations, a key planted, the node stopped: another node does all five. */
    private void takenOverDespite(Consumer<Node> plant) {
        Node a = node();
        List<String> tokens = a.pendingRefreshTokens("k0", "k1", "k2", "k3", "k4");
        plant.accept(a);
        a.close();

        Node b = node();
        b.sweep();
        b.sweep();

        for (String t : tokens) {
            assertThat(b.cognito.revokeCallsOf(t)).as("calls for one token").isEqualTo(1);
        }
        eventually(() -> assertThat(entryKeys()).as("every entry done and gone").isSubsetOf(PREFIX + "p:planted"));
        eventually(() -> assertThat(redisSync().exists(PREFIX + "owned:" + b.store.node()))
                .as("no id left in the taking node's set").isZero());
        assertThat(logged).as("no failure logged").noneMatch(r -> r.getMessage().contains("cannot")
                || r.getMessage().contains("refused"));
    }

    @Test
    void sweepRefusedByRedis_oneWarningNamingTheTakeOverAndTheCause_thenTakenOver() {
        Node a = node();
        String token = a.pendingRefreshTokens("full").get(0);
        a.close();
        Node b = node();
        logged.clear();

        redisSync().configSet("maxmemory", "1"); // a full Redis refuses writes
        try {
            b.sweep();
            b.sweep();
        } finally {
            redisSync().configSet("maxmemory", "0");
        }

        SimpleFormatter formatter = new SimpleFormatter();
        assertThat(logged).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(formatter.formatMessage(r)).contains("take over", redis.uri(), "OOM");
        });
        sweepUntilCalled(b, token);
    }

    // ------------------------------------------------------------------ deadline

    @Test
    void deadlinePassed_entryExpiredInRedis_andDroppedOnItsNode() {
        // The deadline (1 minute at least) falls 3 s from now in real time, when Redis expires the entry.
        clock = new TestClock(Instant.now().minus(Duration.ofMinutes(1)).plusSeconds(3));
        stub.close();
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        Node a = node(b -> b.pendingDeadline(Duration.ofMinutes(1)));
        a.pendingRefreshTokens("late");
        String name = entryKeys().get(0);
        assertThat(redisSync().pttl(name)).isBetween(1L, 3000L);
        assertEveryKeyExpires();

        await().atMost(RedisProcess.patience()).until(() -> redisSync().exists(name) == 0);
        clock.advance(Duration.ofMinutes(1));
        a.sweep();
        assertThat(a.engine.pendingCount()).as("dropped").isZero();
        eventually(() -> assertThat(everything().keySet()).containsExactly(PREFIX + "nodes"));

        Node b = node(x -> x.pendingDeadline(Duration.ofMinutes(1)));
        b.sweep();
        assertThat(b.cognito.revokeCallCount()).isZero();
    }

    // ------------------------------------------------------------------ Redis away

    @Test
    void redisDownAtLogout_answersPendingAtOnce_savedWhenRedisReturns_thenTakenOver() {
        Node a = node();
        Node b = node();
        String token = refreshToken("outage");
        a.cognito.onRevoke(t -> THROTTLED);
        redis.stop();

        long started = System.nanoTime();
        assertThat(a.engine.logout(null, token).status()).isEqualTo(Status.PENDING);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(a.engine.pendingCount()).isEqualTo(1);

        redis.start();
        await().atMost(RedisProcess.patience()).until(() -> {
            a.sweep();
            return inspector.isOpen() && entryKeys().size() == 1;
        });
        assertThat(logged).as("one line for the outage, one for its end")
                .filteredOn(r -> r.getMessage().contains("cannot be saved in Redis")
                        || r.getMessage().contains("answers again")).hasSize(2);
        a.close();
        sweepUntilCalled(b, token);
        eventually(() -> assertThat(entryKeys()).isEmpty());
    }

    @Test
    void redisHung_logoutWaitsNoLongerThanRedisTimeout() throws Exception {
        Node a = node(b -> b.redisTimeout(Duration.ofMillis(300)));
        a.cognito.onRevoke(t -> THROTTLED);
        signal("STOP");
        try {
            long started = System.nanoTime();
            assertThat(a.engine.logout(null, refreshToken("hung")).status()).isEqualTo(Status.PENDING);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(300 + 700));
        } finally {
            signal("CONT");
        }
        await().atMost(RedisProcess.patience()).until(() -> {
            a.sweep();
            return entryKeys().size() == 1;
        });
    }

    private static void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(redis.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    void openedByTheFactory_redisUnreachableAtStart_connectsLater_andHandsOverOnClose() {
        Node b = node();
        redis.stop();
        RevocationSettings settings = settings(x -> x, stub);
        ScriptedCognitoGateway cognito = new ScriptedCognitoGateway().onRevoke(t -> THROTTLED);
        RedisConnections connections = SharedDenylists.connect(settings);
        PendingStore store = SharedDenylists.pendingStore(settings, clock, connections);
        assertThat(store).isInstanceOf(RedisPendingStore.class);
        RevocationEngine a = RevocationEngine.builder(settings).clock(clock)
                .cognito(cognito).pendingStore(store).build();
        String token = refreshToken("late-connect");
        try {
            assertThat(a.logout(null, token).status()).isEqualTo(Status.PENDING);
            redis.start();
            await().atMost(RedisProcess.patience()).until(() -> {
                a.retryDue();
                return inspector.isOpen() && entryKeys().size() == 1;
            });
        } finally {
            a.close();
            connections.close();
        }
        sweepUntilCalled(b, token);
        assertEveryKeyExpires();
    }

    /** Sweeps a node whose connection may still be coming back until it made the call, once. */
    private static void sweepUntilCalled(Node n, String token) {
        await().atMost(RedisProcess.patience()).until(() -> {
            n.sweep();
            return n.cognito.revokeCallsOf(token) > 0;
        });
        assertThat(n.cognito.revokeCallsOf(token)).isEqualTo(1);
    }

    @Test
    void redisUriWithoutEncryptionKey_noStore_oneWarningNamingTheKey_nothingWritten() {
        RevocationSettings settings = RevocationSettings.builder(stub.region(), stub.userPoolId(), CLIENT)
                .endpoint(stub.endpoint().toString()).issuer(stub.issuer()).jwksUri(stub.jwksUri())
                .redisUri(redis.uri()).build();

        PendingStore store = SharedDenylists.pendingStore(settings, clock, null);

        assertThat(store).isSameAs(PendingStore.NONE);
        assertThat(logged).filteredOn(r -> r.getMessage().contains("redisEncryptionKey")).singleElement()
                .satisfies(r -> assertThat(r.getLevel()).isEqualTo(Level.WARNING));
        ScriptedCognitoGateway cognito = new ScriptedCognitoGateway().onRevoke(t -> THROTTLED);
        try (RevocationEngine engine = RevocationEngine.builder(settings).clock(clock)
                .cognito(cognito).pendingStore(store).build()) {
            assertThat(engine.logout(null, refreshToken("local")).status()).isEqualTo(Status.PENDING);
            engine.retryDue();
            assertThat(engine.pendingCount()).isEqualTo(1);
        }
        assertThat(redisSync().dbsize()).isZero();
    }

    @Test
    void withoutRedis_noStore_noWarning() {
        RevocationSettings settings = RevocationSettings.builder(stub.region(), stub.userPoolId(), CLIENT).build();
        assertThat(SharedDenylists.pendingStore(settings, clock, null)).isSameAs(PendingStore.NONE);
        assertThat(logged).isEmpty();
    }

    @Test
    void pendingRecord_textShowsNoCredential() {
        String token = refreshToken("record");
        PendingStore.Pending p = new PendingStore.Pending(PendingRevocations.Digest.of(token).hex(), false, true, null,
                token, Instant.EPOCH);
        assertThat(p.toString()).doesNotContain(token).doesNotContain(p.id());
    }

    @Test
    void globalSignOut_pendingOnClosedNode_finishedByAnotherNode() {
        Node a = node();
        Node b = node();
        StubTokens bob = login("bob");
        a.cognito.onGlobalSignOut(t -> THROTTLED);
        assertThat(a.engine.signOutEverywhere(bob.accessToken()).status()).isEqualTo(Status.PENDING);
        a.close();
        b.sweep();
        assertThat(b.cognito.globalSignOutCallCount()).isEqualTo(1);
        eventually(() -> assertThat(entryKeys()).isEmpty());
    }
}
