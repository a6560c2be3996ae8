package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.PendingRevocationEvent.Outcome;
import io.github.cognitorevoke.RevocationMetricsMXBean;
import io.github.cognitorevoke.TokenRejectedEvent.Match;
import io.github.cognitorevoke.internal.CognitoGateway.Done;
import io.github.cognitorevoke.internal.CognitoGateway.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The engine's counters and gauges, kept by observing it: {@link LongAdder}s for the counters (cheap
 * under contention), gauges read from the engine when asked, Cognito latency over a
 * {@link LatencyWindow}. It is the JMX MXBean itself; {@link MetricsExport} publishes it over JMX and,
 * where present, Micrometer ({@link MicrometerExport}).
 */
public final class RevocationMetrics implements RevocationObserver, RevocationMetricsMXBean {

    private final LongAdder[] logouts = adders(LogoutResult.Status.values().length);
    private final LongAdder[] signOuts = adders(LogoutResult.Status.values().length);
    private final LongAdder[] pendingEnds = adders(Outcome.values().length);
    private final LongAdder[] rejections = adders(Match.values().length);
    private final LongAdder cognitoDone = new LongAdder();
    private final LongAdder cognitoRetry = new LongAdder();
    private final LongAdder cognitoRefused = new LongAdder();
    private final LongAdder jwksOk = new LongAdder();
    private final LongAdder jwksFailed = new LongAdder();
    private final LatencyWindow latency = new LatencyWindow();
    private final LongSupplier denylistEntries;
    private final IntSupplier pending;
    private final Supplier<Instant> oldestPendingAdmission;
    private final Clock clock;
    private volatile java.util.function.UnaryOperator<String> signOutUser =
            username -> "Nothing done: this application has no engine to sign users out";

    /**
     * Creates metrics whose gauges read the given sources.
     *
     * @param denylistEntries        the denylist's size, -1 if unknown
     * @param pending                how many revocations wait for Cognito
     * @param oldestPendingAdmission when the oldest of them was made, or null
     * @param clock                  the time source for the age of the oldest
     */
    public RevocationMetrics(LongSupplier denylistEntries, IntSupplier pending, Supplier<Instant> oldestPendingAdmission,
                             Clock clock) {
        this.denylistEntries = denylistEntries;
        this.pending = pending;
        this.oldestPendingAdmission = oldestPendingAdmission;
        this.clock = clock;
    }

    /**
     * Connects the MBean's operation to the engine.
     *
     * @param signOutUser signs a user out by username and says what happened
     */
    void operations(java.util.function.UnaryOperator<String> signOutUser) {
        this.signOutUser = java.util.Objects.requireNonNull(signOutUser, "signOutUser");
    }

    @Override
    public String signOutUser(String username) {
        return signOutUser.apply(username);
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    @Override
    public void loggedOut(LogoutResult result, String sub, String jti) {
        logouts[result.status().ordinal()].increment();
    }

    @Override
    public void loggedOutUnconfirmed(LogoutResult result) {
        loggedOut(result, null, null);
    }

    @Override
    public void signedOutEverywhere(LogoutResult result, String sub) {
        signOuts[result.status().ordinal()].increment();
    }

    @Override
    public void pendingEnded(Outcome outcome, boolean globalSignOut, int attempts) {
        pendingEnds[outcome.ordinal()].increment();
    }

    @Override
    public void rejected(String path, String sub, Match match) {
        rejections[match.ordinal()].increment();
    }

    @Override
    public void cognitoCalled(boolean globalSignOut, CognitoGateway.Outcome outcome, long nanos) {
        (outcome instanceof Done ? cognitoDone : outcome instanceof Refused ? cognitoRefused : cognitoRetry).increment();
        latency.record(nanos);
    }

    @Override
    public void jwksFetched(boolean success) {
        (success ? jwksOk : jwksFailed).increment();
    }

    @Override
    public long getLogoutsCompleted() {
        return logouts[LogoutResult.Status.COMPLETED.ordinal()].sum();
    }

    @Override
    public long getLogoutsPending() {
        return logouts[LogoutResult.Status.PENDING.ordinal()].sum();
    }

    @Override
    public long getLogoutsRefused() {
        return logouts[LogoutResult.Status.REFUSED.ordinal()].sum();
    }

    @Override
    public long getSignOutsEverywhereCompleted() {
        return signOuts[LogoutResult.Status.COMPLETED.ordinal()].sum();
    }

    @Override
    public long getSignOutsEverywherePending() {
        return signOuts[LogoutResult.Status.PENDING.ordinal()].sum();
    }

    @Override
    public long getSignOutsEverywhereRefused() {
        return signOuts[LogoutResult.Status.REFUSED.ordinal()].sum();
    }

    @Override
    public long getPendingCompleted() {
        return pendingEnds[Outcome.COMPLETED.ordinal()].sum();
    }

    @Override
    public long getPendingRefused() {
        return pendingEnds[Outcome.REFUSED.ordinal()].sum();
    }

    @Override
    public long getPendingGivenUp() {
        return pendingEnds[Outcome.GAVE_UP.ordinal()].sum();
    }

    @Override
    public long getRejectionsJti() {
        return rejections[Match.JTI.ordinal()].sum();
    }

    @Override
    public long getRejectionsOriginJti() {
        return rejections[Match.ORIGIN_JTI.ordinal()].sum();
    }

    @Override
    public long getRejectionsSignedOut() {
        return rejections[Match.SIGNED_OUT.ordinal()].sum();
    }

    @Override
    public long getRejectionsSignIn() {
        return rejections[Match.SIGN_IN.ordinal()].sum();
    }

    @Override
    public long getCognitoCallsDone() {
        return cognitoDone.sum();
    }

    @Override
    public long getCognitoCallsRetry() {
        return cognitoRetry.sum();
    }

    @Override
    public long getCognitoCallsRefused() {
        return cognitoRefused.sum();
    }

    @Override
    public long getJwksFetchesOk() {
        return jwksOk.sum();
    }

    @Override
    public long getJwksFetchesFailed() {
        return jwksFailed.sum();
    }

    @Override
    public long getDenylistEntries() {
        return denylistEntries.getAsLong();
    }

    @Override
    public long getPendingRevocations() {
        return pending.getAsInt();
    }

    @Override
    public double getOldestPendingAgeSeconds() {
        Instant oldest = oldestPendingAdmission.get();
        if (oldest == null) {
            return 0;
        }
        Duration age = Duration.between(oldest, clock.instant());
        return age.isNegative() ? 0 : age.toNanos() / 1e9;
    }

    @Override
    public double getCognitoLatencyP50Millis() {
        return latency.percentileMillis(0.5);
    }

    @Override
    public double getCognitoLatencyP99Millis() {
        return latency.percentileMillis(0.99);
    }

    /** @return how many Cognito calls were timed (for tests and Micrometer) */
    long cognitoCallsTimed() {
        return latency.count();
    }
}
