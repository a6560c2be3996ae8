package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.RevocationHealth;
import io.github.cognitorevoke.support.EngineFixture;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's own metrics and health, against the Cognito wire stub. */
class EngineMetricsTest {

    private static final String CLIENT = "webclient";

    private final TestClock clock = TestClock.atNow();
    private CognitoStub stub;
    private RevocationEngine engine;

    @BeforeEach
    void start() {
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        engine = engine(false);
    }

    @AfterEach
    void stop() {
        engine.close();
        stub.close();
    }

    private RevocationEngine engine(boolean background) {
        EngineFixture f = EngineFixture.against(stub).clock(clock).settings(s -> s.cognitoTimeout(Duration.ofSeconds(3)));
        return (background ? f.retryInBackground() : f).build();
    }

    @Test
    void completedLogout_countsTheLogoutTheCallTheKeyFetch_andTheDenylistedIds() {
        StubTokens t = stub.login(CLIENT, "alice");

        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.COMPLETED);

        RevocationMetrics m = engine.metrics();
        assertThat(m.getLogoutsCompleted()).isEqualTo(1);
        assertThat(m.getCognitoCallsDone()).isEqualTo(1);
        assertThat(m.getJwksFetchesOk()).isEqualTo(1);
        assertThat(m.getDenylistEntries()).as("jti and origin_jti").isEqualTo(2);
        assertThat(m.getCognitoLatencyP50Millis()).isPositive();
        assertThat(m.cognitoCallsTimed()).isEqualTo(1);
    }

    @Test
    void pendingLogout_showsInTheGauges_untilARetryCompletesIt() {
        StubTokens t = stub.login(CLIENT, "alice");
        stub.failNext(1, "TooManyRequestsException");

        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.PENDING);
        clock.advance(Duration.ofSeconds(45));

        RevocationMetrics m = engine.metrics();
        assertThat(m.getLogoutsPending()).isEqualTo(1);
        assertThat(m.getCognitoCallsRetry()).isEqualTo(1);
        assertThat(m.getPendingRevocations()).isEqualTo(1);
        assertThat(m.getOldestPendingAgeSeconds()).isEqualTo(45.0);

        engine.retryDue();

        assertThat(m.getPendingCompleted()).isEqualTo(1);
        assertThat(m.getCognitoCallsDone()).isEqualTo(1);
        assertThat(m.getPendingRevocations()).isZero();
        assertThat(m.getOldestPendingAgeSeconds()).isZero();
    }

    @Test
    void oldestPendingAge_isTheFirstAdmittedEntrys_whileLaterOnesWait() {
        StubTokens first = stub.login(CLIENT, "alice");
        StubTokens second = stub.login(CLIENT, "bob");
        stub.failNext(2, "TooManyRequestsException");

        engine.logout(first.accessToken(), first.refreshToken());
        clock.advance(Duration.ofSeconds(10));
        engine.logout(second.accessToken(), second.refreshToken());
        clock.advance(Duration.ofSeconds(5));

        assertThat(engine.metrics().getPendingRevocations()).isEqualTo(2);
        assertThat(engine.metrics().getOldestPendingAgeSeconds()).isEqualTo(15.0);
    }

    @Test
    void rejection_ofARevokedToken_isCountedByTheIdThatMatched() {
        StubTokens t = stub.login(CLIENT, "alice");
        StubTokens sibling = stub.refresh(CLIENT, t.refreshToken());
        engine.logout(t.accessToken(), null);

        engine.reportRejection("/api", "Bearer " + t.accessToken());
        engine.reportRejection("/api", "Bearer " + sibling.accessToken());

        assertThat(engine.metrics().getRejectionsJti()).isEqualTo(1);
        assertThat(engine.metrics().getRejectionsOriginJti()).isEqualTo(1);
        assertThat(engine.metrics().getRejectionsSignedOut()).isZero();
    }

    @Test
    void health_withoutAWorker_isNotLive_andReadyOnlyOnceTheKeysWereFetched() {
        RevocationHealth before = engine.health();
        assertThat(before.live()).isFalse();
        assertThat(before.ready()).isFalse();
        assertThat(before.detail()).contains("not fetched");

        StubTokens t = stub.login(CLIENT, "alice");
        engine.logout(t.accessToken(), null);

        assertThat(engine.health().ready()).isTrue();
    }

    @Test
    void health_ofABackgroundEngine_isLive_fetchesTheKeysByItself_andStopsBeingLiveWhenClosed() {
        RevocationEngine background = engine(true);
        try {
            assertThat(background.retryWorkerAlive()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> background.health().ready());
            assertThat(stub.jwksFetchCount()).isEqualTo(1);
            assertThat(background.metrics().getJwksFetchesOk()).isEqualTo(1);
        } finally {
            background.close();
        }
        assertThat(background.retryWorkerAlive()).isFalse();
        assertThat(background.health().live()).isFalse();
    }

    @Test
    void keyPrefetch_whileTheKeysCannotBeFetched_staysNotReady_andCountsTheFailure() {
        stub.failJwksNext(10);
        AccessTokenVerifier verifier = new AccessTokenVerifier(engine.settings(), clock);
        RevocationMetrics metrics = new RevocationMetrics(() -> 0, () -> 0, () -> null, clock);
        verifier.observeFetches(metrics);

        assertThat(verifier.prefetchKeys()).isFalse();
        assertThat(verifier.keysFetchedOnce()).isFalse();
        assertThat(metrics.getJwksFetchesFailed()).isPositive();
    }
}
