package io.github.cognitorevoke.internal;

import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.DONE;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.NOT_ACCEPTED;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.support.EngineFixture;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack on pending work: a flood of junk refresh-token logouts (unauthenticated) while Cognito
 * throttles. The caps hold, a genuine user's revocation is not delayed by the junk, nothing accepted
 * is dropped before its deadline and everything is gone after it. Prints the figures.
 */
class PendingAttackTest {

    private static final String CLIENT = "webclient";
    /**
     * Junk logouts in the flood: the byte cap binds after about 5,000 and the rest are refused alike.
     * BENCHMARKS.md records a flood of 100,000: {@code -Dattack.junk=100000}.
     */
    private static final int JUNK = Integer.getInteger("attack.junk", 20_000);

    private final TestClock clock = TestClock.atNow();
    private CognitoStub stub;

    @BeforeEach
    void start() {
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private EngineFixture engine() {
        return EngineFixture.against(stub).clock(clock).settings(s -> s.cognitoTimeout(Duration.ofSeconds(3)));
    }

    /** Junk of 64 to 2,048 characters: a Cognito refresh token is about 1,700. */
    private static String junk(int i) {
        String head = "junk-" + i + "-";
        return CognitoStub.unknownRefreshToken(head + "x".repeat(64 + (i % 32) * 62 - head.length()));
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    @Test
    void junkFloodWhileThrottled_capsHold_genuineRevocationFirstSweepAfterRecovery_deadlinesKept() {
        ScriptedCognitoGateway cognito = new ScriptedCognitoGateway().onRevoke(t -> THROTTLED);
        RevocationEngine engine = engine().cognito(cognito).build();
        RevocationSettings s = engine.settings();
        long heapBefore = usedHeapAfterGc();
        StubTokens genuine = stub.login(CLIENT, "alice");
        int accepted = 0;
        int refused = 0;
        int sweeps = 0;
        int maxCallsPerSweep = 0;
        Instant firstAccepted = null;
        Instant lastAccepted = null;
        long started = System.nanoTime();
        for (int i = 0; i < JUNK; i++) {
            if (i == JUNK / 2) {
                assertThat(engine.logout(genuine.accessToken(), genuine.refreshToken()).status())
                        .isEqualTo(Status.PENDING);
            }
            try {
                assertThat(engine.logout(null, junk(i)).status()).isEqualTo(Status.PENDING);
                accepted++;
                lastAccepted = clock.instant();
                firstAccepted = firstAccepted == null ? lastAccepted : firstAccepted;
            } catch (RevocationUnavailableException e) {
                refused++;
            }
            if (i % 1000 == 999) { // one sweep per second of attack, 1,000 junk logouts a second
                int before = cognito.revokeCallCount();
                clock.advance(Duration.ofSeconds(1));
                engine.retryDue();
                sweeps++;
                maxCallsPerSweep = Math.max(maxCallsPerSweep, cognito.revokeCallCount() - before);
            }
        }
        long floodMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(engine.unverifiedPendingCount()).isEqualTo(accepted).isLessThanOrEqualTo(s.maxPendingRevocations());
        assertThat(engine.unverifiedPendingBytes()).isLessThanOrEqualTo(s.maxPendingBytes());
        assertThat(engine.pendingCount()).isEqualTo(accepted + 1);
        assertThat(refused).isEqualTo(JUNK - accepted).isPositive();
        assertThat(maxCallsPerSweep).as("calls per sweep while throttled").isLessThanOrEqualTo(1);
        int callsDuringFlood = cognito.revokeCallCount();
        long countedBytes = engine.unverifiedPendingBytes();

        cognito.clearCalls();
        long heapAtCap = usedHeapAfterGc();

        // Cognito recovers: the genuine revocation completes on the very next sweep.
        cognito.onRevoke(t -> t.equals(genuine.refreshToken()) ? DONE : NOT_ACCEPTED);
        Instant recovered = clock.instant();
        clock.advance(Duration.ofSeconds(1));
        engine.retryDue();
        assertThat(cognito.revokeCallsOf(genuine.refreshToken())).isEqualTo(1);
        assertThat(engine.pendingCount()).as("genuine done, a bounded share of junk refused")
                .isEqualTo(accepted - RetryWorker.UNVERIFIED_CALLS_PER_SWEEP);
        Duration delay = Duration.between(recovered, clock.instant());
        int left = engine.pendingCount();

        // Throttled again until the deadlines: nothing accepted is dropped before its deadline...
        cognito.onRevoke(t -> THROTTLED);
        Instant firstDeadline = firstAccepted.plus(s.pendingDeadline());
        while (clock.instant().plus(Duration.ofMinutes(5)).isBefore(firstDeadline)) {
            clock.advance(Duration.ofMinutes(5));
            engine.retryDue();
        }
        clock.advance(Duration.between(clock.instant(), firstDeadline).minusSeconds(1));
        engine.retryDue();
        assertThat(engine.pendingCount()).as("kept until the deadline").isEqualTo(left);
        // ...and every entry is gone after it.
        clock.advance(Duration.between(clock.instant(), lastAccepted.plus(s.pendingDeadline())));
        engine.retryDue();
        assertThat(engine.pendingCount()).isZero();
        assertThat(engine.pendingBytes()).isZero();
        cognito.clearCalls();
        long heapEmpty = usedHeapAfterGc();
        // Two estimates of what the pending work holds: filled minus emptied, and filled minus before the flood.
        // Each is off when something unrelated in this JVM is freed (a closed client of an earlier test class) or
        // allocated (classes, JIT) between its two snapshots, in opposite directions: the smaller is the closer.
        long retained = Math.min(heapAtCap - heapEmpty, heapAtCap - heapBefore);
        assertThat(retained).as("retained heap within the byte cap").isLessThanOrEqualTo(s.maxPendingBytes());

        System.out.printf("attack: %,d junk refresh-token logouts in %,d ms with Cognito throttling, %d sweeps;"
                        + " accepted %,d (cap %,d entries / %,d bytes), refused 503 %,d; pending %,d entries,"
                        + " %,d bytes counted; Cognito calls during the flood %,d (max %d per sweep)%n",
                JUNK, floodMillis, sweeps, accepted, s.maxPendingRevocations(), s.maxPendingBytes(), refused,
                accepted, countedBytes, callsDuringFlood, maxCallsPerSweep);
        System.out.printf("attack: genuine verified revocation completed %s after Cognito recovered (first sweep)%n",
                delay);
        System.out.printf("attack: heap retained by pending work at the cap: %,d bytes for %,d entries"
                        + " (%,d per entry; used heap after System.gc(): at cap %,d, emptied %,d, before flood %,d)%n",
                retained, accepted, retained / accepted, heapAtCap, heapEmpty, heapBefore);
        engine.close();
    }

    @Test
    void countCap_shortJunk_retainedHeapWithinCountedBytes() {
        ScriptedCognitoGateway cognito = new ScriptedCognitoGateway().onRevoke(t -> THROTTLED);
        RevocationEngine engine = engine().cognito(cognito).build();
        RevocationSettings s = engine.settings();
        long empty = usedHeapAfterGc();
        int refused = 0;
        for (int i = 0; i < 12_000; i++) {
            try {
                engine.logout(null, CognitoStub.unknownRefreshToken("j" + i));
            } catch (RevocationUnavailableException e) {
                refused++;
            }
        }
        cognito.clearCalls();
        long atCap = usedHeapAfterGc();
        assertThat(engine.unverifiedPendingCount()).isEqualTo(s.maxPendingRevocations());
        assertThat(refused).isEqualTo(12_000 - s.maxPendingRevocations());
        assertThat(atCap - empty).as("retained heap within the counted bytes")
                .isLessThanOrEqualTo(engine.unverifiedPendingBytes());
        System.out.printf("attack: count cap with short junk: %,d entries, %,d bytes counted, %,d bytes retained"
                        + " (%,d per entry, tokens of ~16 chars)%n", engine.unverifiedPendingCount(),
                engine.unverifiedPendingBytes(), atCap - empty, (atCap - empty) / engine.unverifiedPendingCount());
        engine.close();
    }

    @Test
    void concurrentFloodAndSweeps_capNeverExceeded_countersBalanceToZero() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean recovered = new java.util.concurrent.atomic.AtomicBoolean();
        ScriptedCognitoGateway cognito = new ScriptedCognitoGateway()
                .onRevoke(t -> recovered.get() ? NOT_ACCEPTED : THROTTLED);
        RevocationEngine engine = engine().cognito(cognito).settings(b -> b.maxPendingRevocations(500)).build();
        RevocationSettings s = engine.settings();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicInteger maxSeen = new java.util.concurrent.atomic.AtomicInteger();
        try {
            java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int worker = w;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        try {
                            engine.logout(null, junk(worker * 100_000 + i % 2_000)); // duplicates too
                        } catch (RevocationUnavailableException expected) {
                            // the cap
                        }
                        maxSeen.accumulateAndGet(engine.unverifiedPendingCount(), Math::max);
                    }
                }));
            }
            work.add(pool.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    clock.advance(Duration.ofSeconds(1));
                    recovered.set(i % 2 == 0);
                    engine.retryDue();
                }
            }));
            for (java.util.concurrent.Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(maxSeen.get()).isLessThanOrEqualTo(500);
        clock.advance(s.pendingDeadline());
        engine.retryDue();
        assertThat(engine.pendingCount()).isZero();
        assertThat(engine.pendingBytes()).isZero();
        assertThat(engine.unverifiedPendingCount()).isZero();
        assertThat(engine.unverifiedPendingBytes()).isZero();
        engine.close();
    }

    @Test
    void junkFloodWhileThrottled_throughTheSdkAgainstTheWireStub_capHolds_genuineCompletesOnFirstSweepAfterRecovery() {
        RevocationEngine engine = engine().settings(b -> b.maxPendingRevocations(100)).build();
        RevocationSettings s = engine.settings();
        try {
            StubTokens genuine = stub.login(CLIENT, "alice");
            int throttledSweeps = 5;
            // Exactly the calls of the throttled phase fail: 100 junk first calls, the genuine one, one per sweep.
            stub.failNext(100 + 1 + throttledSweeps, "TooManyRequestsException");
            int refused = 0;
            for (int i = 0; i < 400; i++) {
                if (i == 200) {
                    assertThat(engine.logout(genuine.accessToken(), genuine.refreshToken()).status())
                            .isEqualTo(Status.PENDING);
                }
                try {
                    engine.logout(null, junk(i));
                } catch (RevocationUnavailableException e) {
                    refused++;
                }
            }
            assertThat(refused).isEqualTo(300);
            assertThat(engine.unverifiedPendingCount()).isEqualTo(100);
            assertThat(stub.revokeCallCount()).as("no call for refused logouts").isEqualTo(101);
            assertThatThrownBy(() -> engine.logout(null, junk(1000))).isInstanceOf(RevocationUnavailableException.class);

            for (int i = 0; i < throttledSweeps; i++) {
                clock.advance(Duration.ofSeconds(1));
                engine.retryDue();
            }
            assertThat(stub.isRevoked(genuine.refreshToken())).isFalse();
            assertThat(stub.revokeCallCount()).as("one call per throttled sweep").isEqualTo(101 + throttledSweeps);

            clock.advance(Duration.ofSeconds(1));
            engine.retryDue();

            assertThat(stub.isRevoked(genuine.refreshToken())).as("first sweep after recovery").isTrue();
            assertThat(engine.pendingCount()).isEqualTo(100 - RetryWorker.UNVERIFIED_CALLS_PER_SWEEP);
        } finally {
            engine.close();
        }
    }
}
