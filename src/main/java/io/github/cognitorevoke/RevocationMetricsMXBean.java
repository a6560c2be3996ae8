package io.github.cognitorevoke;

/**
 * The metrics of one application's cognito-revoke, registered with the platform MBean server as
 * {@code io.github.cognitorevoke:type=RevocationMetrics,context=<context path>} (the root context is
 * {@code /}) while the application runs. Counters count from deployment and only grow; gauges are
 * read when asked. Every attribute is a plain {@code long} or {@code double}, so any JMX collector
 * (JConsole, the Prometheus JMX exporter, the CloudWatch agent) can read it.
 */
public interface RevocationMetricsMXBean {

    /** @return logouts (filter or service) that completed: Cognito confirmed, or nothing to revoke there */
    long getLogoutsCompleted();

    /** @return logouts answered "pending": Cognito unreachable or throttling, retried in the background */
    long getLogoutsPending();

    /** @return logouts that Cognito refused */
    long getLogoutsRefused();

    /** @return sign-outs everywhere that completed at Cognito */
    long getSignOutsEverywhereCompleted();

    /** @return sign-outs everywhere answered "pending" */
    long getSignOutsEverywherePending();

    /** @return sign-outs everywhere that Cognito refused */
    long getSignOutsEverywhereRefused();

    /** @return pending revocations that a background retry completed */
    long getPendingCompleted();

    /** @return pending revocations that Cognito refused on a background retry */
    long getPendingRefused();

    /** @return pending revocations dropped because their deadline passed (the refresh token may still be valid at Cognito) */
    long getPendingGivenUp();

    /** @return requests rejected (401) because the token's own {@code jti} was denylisted */
    long getRejectionsJti();

    /** @return requests rejected because the token family's {@code origin_jti} was denylisted */
    long getRejectionsOriginJti();

    /** @return requests rejected because the user was signed out everywhere after the token was issued */
    long getRejectionsSignedOut();

    /** @return requests rejected because the token's sign-in ({@code sub} + {@code auth_time}) was logged out */
    long getRejectionsSignIn();

    /** @return calls to Cognito (RevokeToken and GlobalSignOut) that succeeded */
    long getCognitoCallsDone();

    /** @return calls to Cognito that failed in a way worth retrying (network, throttling, 5xx) */
    long getCognitoCallsRetry();

    /** @return calls to Cognito that it refused for good */
    long getCognitoCallsRefused();

    /** @return fetches of the user pool's key set (JWKS) that succeeded */
    long getJwksFetchesOk();

    /** @return fetches of the user pool's key set that failed */
    long getJwksFetchesFailed();

    /** @return token ids ({@code jti}, {@code origin_jti}) denylisted now; -1 if the denylist cannot tell */
    long getDenylistEntries();

    /** @return revocations waiting for Cognito now */
    long getPendingRevocations();

    /** @return seconds since the oldest revocation still waiting for Cognito was made; 0 if none waits */
    double getOldestPendingAgeSeconds();

    /** @return the median duration of the last 1024 calls to Cognito, in milliseconds; 0 before the first */
    double getCognitoLatencyP50Millis();

    /** @return the 99th percentile duration of the last 1024 calls to Cognito, in milliseconds; 0 before the first */
    double getCognitoLatencyP99Millis();

    /**
     * An operation, not a metric: signs a user out everywhere by username, as
     * {@code TokenRevocationService.signOutUser} does ({@code AdminGetUser} for the user's
     * {@code sub}, a cut-off of every token of it issued until now, shared with every node, then
     * {@code AdminUserGlobalSignOut}; both need AWS credentials). Recorded like any sign-out
     * everywhere (event, metrics, audit line {@code signOutByAdministrator}).
     *
     * @param username the user's username
     * @return what was done, or why nothing was (no credentials, no such user, Cognito down)
     */
    String signOutUser(String username);
}
