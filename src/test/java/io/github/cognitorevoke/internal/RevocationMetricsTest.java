package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.PendingRevocationEvent.Outcome;
import io.github.cognitorevoke.TokenRejectedEvent.Match;
import io.github.cognitorevoke.internal.CognitoGateway.Done;
import io.github.cognitorevoke.internal.CognitoGateway.Refused;
import io.github.cognitorevoke.internal.CognitoGateway.Retry;
import io.github.cognitorevoke.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The counters, gauges and latency percentiles, fed through the observer callbacks. */
class RevocationMetricsTest {

    private final TestClock clock = TestClock.atNow();
    private final AtomicReference<Instant> oldest = new AtomicReference<>();
    private final RevocationMetrics metrics = new RevocationMetrics(() -> 7, () -> 3, oldest::get, clock);

    private static LogoutResult result(Status status) {
        return new LogoutResult(status, true, status == Status.REFUSED
                ? Optional.of(new Refusal(LogoutResult.Refusal.Reason.values()[0], "X", "x")) : Optional.empty());
    }

    @Test
    void logoutsAndSignOuts_areCountedByOutcome_separately() {
        metrics.loggedOut(result(Status.COMPLETED), "sub", "jti");
        metrics.loggedOut(result(Status.COMPLETED), null, null);
        metrics.loggedOut(result(Status.PENDING), "sub", "jti");
        metrics.loggedOut(result(Status.REFUSED), "sub", "jti");
        metrics.signedOutEverywhere(result(Status.PENDING), "sub");

        assertThat(metrics.getLogoutsCompleted()).isEqualTo(2);
        assertThat(metrics.getLogoutsPending()).isEqualTo(1);
        assertThat(metrics.getLogoutsRefused()).isEqualTo(1);
        assertThat(metrics.getSignOutsEverywherePending()).isEqualTo(1);
        assertThat(metrics.getSignOutsEverywhereCompleted()).isZero();
        assertThat(metrics.getSignOutsEverywhereRefused()).isZero();
    }

    @Test
    void rejectionsPendingEndsCognitoCallsAndKeyFetches_areCountedByKind() {
        metrics.rejected("/a", "sub", Match.JTI);
        metrics.rejected("/a", "sub", Match.ORIGIN_JTI);
        metrics.rejected("/a", "sub", Match.ORIGIN_JTI);
        metrics.rejected("/a", "sub", Match.SIGNED_OUT);
        metrics.pendingEnded(Outcome.COMPLETED, false, 2);
        metrics.pendingEnded(Outcome.GAVE_UP, false, 9);
        metrics.pendingEnded(Outcome.GAVE_UP, true, 3);
        metrics.cognitoCalled(false, new Done(), 1);
        metrics.cognitoCalled(false, new Retry("down", null), 1);
        metrics.cognitoCalled(true, new Retry("down", null), 1);
        metrics.cognitoCalled(false, new Refused(LogoutResult.Refusal.Reason.values()[0], "E", "e", null), 1);
        metrics.jwksFetched(true);
        metrics.jwksFetched(false);
        metrics.jwksFetched(false);

        assertThat(metrics.getRejectionsJti()).isEqualTo(1);
        assertThat(metrics.getRejectionsOriginJti()).isEqualTo(2);
        assertThat(metrics.getRejectionsSignedOut()).isEqualTo(1);
        assertThat(metrics.getPendingCompleted()).isEqualTo(1);
        assertThat(metrics.getPendingRefused()).isZero();
        assertThat(metrics.getPendingGivenUp()).isEqualTo(2);
        assertThat(metrics.getCognitoCallsDone()).isEqualTo(1);
        assertThat(metrics.getCognitoCallsRetry()).isEqualTo(2);
        assertThat(metrics.getCognitoCallsRefused()).isEqualTo(1);
        assertThat(metrics.getJwksFetchesOk()).isEqualTo(1);
        assertThat(metrics.getJwksFetchesFailed()).isEqualTo(2);
    }

    @Test
    void gauges_readTheirSourcesWhenAsked_andTheOldestAgeFollowsTheClock() {
        assertThat(metrics.getDenylistEntries()).isEqualTo(7);
        assertThat(metrics.getPendingRevocations()).isEqualTo(3);
        assertThat(metrics.getOldestPendingAgeSeconds()).as("nothing pending").isZero();

        oldest.set(clock.instant());
        clock.advance(Duration.ofMillis(90_500));

        assertThat(metrics.getOldestPendingAgeSeconds()).isEqualTo(90.5);
    }

    @Test
    void latencyPercentiles_beforeAnyCall_areZero() {
        assertThat(metrics.getCognitoLatencyP50Millis()).isZero();
        assertThat(metrics.getCognitoLatencyP99Millis()).isZero();
    }

    @Test
    void latencyPercentiles_ofOneToHundredMillis_areFiftyAndNinetyNine() {
        for (int ms = 100; ms >= 1; ms--) {
            metrics.cognitoCalled(false, new Done(), Duration.ofMillis(ms).toNanos());
        }

        assertThat(metrics.getCognitoLatencyP50Millis()).isEqualTo(50.0);
        assertThat(metrics.getCognitoLatencyP99Millis()).isEqualTo(99.0);
    }

    @Test
    void latencyWindow_whenFull_forgetsTheOldestCalls() {
        LatencyWindow window = new LatencyWindow();
        for (int i = 0; i < LatencyWindow.SIZE; i++) {
            window.record(Duration.ofSeconds(10).toNanos()); // a slow past
        }
        for (int i = 0; i < LatencyWindow.SIZE; i++) {
            window.record(Duration.ofMillis(2).toNanos());
        }

        assertThat(window.count()).isEqualTo(2L * LatencyWindow.SIZE);
        assertThat(window.percentileMillis(0.99)).isEqualTo(2.0);
        assertThat(window.percentileMillis(0.5)).isEqualTo(2.0);
    }

    @Test
    void latencyWindow_halfOverwritten_reportsTheSlowTailAtP99() {
        LatencyWindow window = new LatencyWindow();
        for (int i = 0; i < LatencyWindow.SIZE + LatencyWindow.SIZE / 2; i++) {
            window.record(Duration.ofMillis(i < LatencyWindow.SIZE ? 800 : 5).toNanos());
        }

        // half of the window is 800 ms, half 5 ms
        assertThat(window.percentileMillis(0.5)).isEqualTo(5.0);
        assertThat(window.percentileMillis(0.99)).isEqualTo(800.0);
    }
}
