package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.LogoutEvent;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.SignOutEverywhereEvent;
import io.github.cognitorevoke.TokenType;
import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.LogCapture;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;

/**
 * The error taxonomy, checked: for every row of {@link CognitoError}, the wire stub answers that
 * error (or cuts the connection, or answers too late) to the real AWS SDK client, and the test
 * asserts what a user and an operator rely on: the logout's HTTP answer, whether it is pending,
 * the counters, the event, and one WARNING per cause (none for a client's own mistake), with no
 * token or secret in any log line. The expected outcomes are written here, apart from the table, so
 * that changing any row's outcome fails this test.
 */
class ErrorTaxonomyTest {

    private static final String CLIENT = StubSettings.CLIENT;
    /** The engines' cognitoTimeout in the timeout row; the stub holds those calls twice as long. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /**
     * One expected outcome of a logout's call (RevokeToken, GlobalSignOut).
     *
     * @param row     the table's row
     * @param inject  makes the stub answer it (operation, times)
     * @param http    the logout's HTTP status with a verified access token
     * @param reason  the refusal's reason, or null for a pending logout
     * @param warning what the one WARNING says, or null for none
     */
    record Expected(CognitoError row, Injection inject, int http, Reason reason, String warning) {
        boolean pending() {
            return reason == null;
        }

        @Override
        public String toString() {
            return row.name();
        }
    }

    @FunctionalInterface
    interface Injection {
        void apply(CognitoStub stub, String operation, int times);

        static Injection error(String name) {
            return (stub, op, times) -> stub.failNext(op, times, name);
        }

        static Injection error(String name, int status) {
            return (stub, op, times) -> stub.failNext(op, times, name, status);
        }
    }

    /** The expected outcome of every row for a logout's call; the table must have no other row. */
    static final List<Expected> LOGOUT_CALLS = List.of(
            new Expected(CognitoError.THROTTLED, Injection.error("TooManyRequestsException"), 202, null,
                    "throttled the call (TooManyRequestsException)"),
            new Expected(CognitoError.INTERNAL_ERROR, Injection.error("InternalErrorException"), 202, null,
                    "failed internally (InternalErrorException)"),
            new Expected(CognitoError.WAF_BLOCKED, Injection.error("ForbiddenException"), 202, null,
                    "AWS WAF web ACL"),
            new Expected(CognitoError.CLIENT_UNAUTHORIZED, Injection.error("UnauthorizedException"), 502,
                    Reason.CLIENT_MISCONFIGURED, "check the clientId and clientSecret init-params"),
            new Expected(CognitoError.INVALID_PARAMETER, Injection.error("InvalidParameterException"), 400,
                    Reason.MALFORMED_TOKEN, null),
            new Expected(CognitoError.REVOCATION_DISABLED, Injection.error("UnsupportedOperationException"), 502,
                    Reason.CLIENT_MISCONFIGURED, "EnableTokenRevocation=true"),
            new Expected(CognitoError.OPERATION_NOT_ENABLED, Injection.error("OperationNotEnabledException"), 502,
                    Reason.CLIENT_MISCONFIGURED, "enable token revocation on the app client"),
            new Expected(CognitoError.NOT_A_REFRESH_TOKEN, Injection.error("UnsupportedTokenTypeException"), 400,
                    Reason.NOT_A_REFRESH_TOKEN, null),
            new Expected(CognitoError.TOKEN_NOT_ACCEPTED, Injection.error("NotAuthorizedException"), 400,
                    Reason.TOKEN_NOT_ACCEPTED, null),
            new Expected(CognitoError.REFRESH_TOKEN_REUSED, Injection.error("RefreshTokenReuseException"), 400,
                    Reason.TOKEN_NOT_ACCEPTED, null),
            new Expected(CognitoError.LAMBDA_FAILED, Injection.error("UnexpectedLambdaException"), 502,
                    Reason.CLIENT_MISCONFIGURED, "Lambda trigger"),
            new Expected(CognitoError.UNKNOWN_CLIENT, Injection.error("ResourceNotFoundException"), 502,
                    Reason.CLIENT_MISCONFIGURED, "does not know app client webclient"),
            new Expected(CognitoError.USER_NOT_FOUND, Injection.error("UserNotFoundException"), 400,
                    Reason.TOKEN_NOT_ACCEPTED, null),
            new Expected(CognitoError.IAM_DENIED, Injection.error("AccessDeniedException"), 502,
                    Reason.CLIENT_MISCONFIGURED, "AccessDeniedException (HTTP 400)"),
            new Expected(CognitoError.OTHER_SERVER_ERROR, Injection.error("ServiceUnavailableException", 503), 202,
                    null, "ServiceUnavailableException (HTTP 503)"),
            new Expected(CognitoError.OTHER_REFUSAL, Injection.error("SomeFutureException"), 502,
                    Reason.CLIENT_MISCONFIGURED, "SomeFutureException (HTTP 400)"),
            // Connection resets and delays are RevokeToken's faults in the stub; GlobalSignOut's
            // SDK exceptions for them go through the same rows (CognitoError.of).
            new Expected(CognitoError.NETWORK, (stub, op, times) -> stub.resetConnectionNext(times), 202, null,
                    "could not be reached"),
            new Expected(CognitoError.TIMEOUT, (stub, op, times) -> stub.delayNext(times, TIMEOUT.multipliedBy(2)),
                    202, null, "did not answer within cognitoTimeout"));


    // One stub for the class (starting one makes a key pair), one engine per test.
    private static final TestClock clock = TestClock.atNow();
    private static CognitoStub stub;
    // The filter's own engine runs on the system clock: its stub too.
    private static CognitoStub httpStub;
    private static org.eclipse.jetty.ee10.servlet.ServletContextHandler httpApp;
    private static JettyFixture jetty;
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private LogCapture log;
    private final List<String> secrets = new ArrayList<>();
    private RevocationEngine engine;

    @BeforeAll
    static void startStubs() throws Exception {
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        httpStub = CognitoStub.start();
        httpStub.addClient(CLIENT, null, true);
        httpApp = JettyFixture.app(httpStub, "/app", java.util.Map.of());
        jetty = JettyFixture.start(httpApp);
    }

    @AfterAll
    static void stopStubs() {
        jetty.close();
        httpStub.close();
        stub.close();
    }

    @BeforeEach
    void start() {
        stub.clearFailures();
        // Generous: the first SDK call of a JVM loads many classes.
        engine = engine(Duration.ofSeconds(3));
        log = LogCapture.start();
        secrets.add("test-secret-key");
    }

    private RevocationEngine engine(Duration cognitoTimeout) {
        RevocationSettings settings = StubSettings.builder(stub, CLIENT).cognitoTimeout(cognitoTimeout).build();
        RevocationEngine engine = RevocationEngine.builder(settings).clock(clock)
                .cognito(new SdkCognitoGateway(settings, AppClientReadTest.TEST_CREDENTIALS)).build();
        engine.observers().add(new EventPublisher(clock, new EventPublisher.Delivery() {
            @Override
            public <T> Consumer<T> to(Class<T> type) {
                return events::add;
            }
        }));
        return engine;
    }

    @AfterEach
    void stop() {
        log.close();
        engine.close();
    }

    // ------------------------------------------------------------------ the table itself

    @Test
    void everyRowOfTheTable_hasItsExpectedOutcomeHere() {
        assertThat(LOGOUT_CALLS.stream().map(Expected::row).collect(Collectors.toSet()))
                .isEqualTo(EnumSet.allOf(CognitoError.class));
        assertThat(LOGOUT_CALLS).hasSize(CognitoError.values().length);
        for (Expected x : LOGOUT_CALLS) {
            assertThat(x.row().retried()).as(x.row().name()).isEqualTo(x.pending());
            assertThat(x.row().warns()).as(x.row().name()).isEqualTo(x.warning() != null);
        }
    }

    @Test
    void errorNames_eachInOneRowOnly() {
        List<String> codes = CognitoError.knownCodes();
        assertThat(codes).doesNotHaveDuplicates();
        assertThat(codes).contains("TooManyRequestsException", "InternalErrorException", "ForbiddenException",
                "UnauthorizedException", "InvalidParameterException", "UnsupportedOperationException",
                "UnsupportedTokenTypeException"); // RevokeToken's seven
    }

    // ------------------------------------------------------------------ the logout's calls

    static Stream<Arguments> logoutCalls() {
        return Stream.concat(
                LOGOUT_CALLS.stream().map(x -> Arguments.of("RevokeToken", x)),
                LOGOUT_CALLS.stream().filter(x -> x.row() != CognitoError.NETWORK && x.row() != CognitoError.TIMEOUT)
                        .map(x -> Arguments.of("GlobalSignOut", x)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("logoutCalls")
    void logoutCall_errorOnTheWire_oneOutcome(String operation, Expected x) {
        boolean revoke = "RevokeToken".equals(operation);
        if (x.row() == CognitoError.TIMEOUT) {
            engine.close();
            engine = engine(TIMEOUT);
        }
        StubTokens a = stub.login(CLIENT, "alice");
        StubTokens b = stub.login(CLIENT, "bob");
        x.inject().apply(stub, operation, 2);

        // Two users log out: the outcome is each one's, the WARNING is the cause's (one).
        assertThat(http(operation, a.accessToken(), a.refreshToken())).isEqualTo(x.http());
        assertThat(http(operation, b.accessToken(), b.refreshToken())).isEqualTo(x.http());

        assertThat(engine.pendingCount()).as("pending").isEqualTo(x.pending() ? 2 : 0);
        assertThat(engine.isRevoked(a.accessToken())).as("the access token is denylisted whatever Cognito says")
                .isTrue();
        RevocationMetrics m = engine.metrics();
        assertThat(revoke ? m.getLogoutsPending() : m.getSignOutsEverywherePending()).isEqualTo(x.pending() ? 2 : 0);
        assertThat(revoke ? m.getLogoutsRefused() : m.getSignOutsEverywhereRefused()).isEqualTo(x.pending() ? 0 : 2);
        assertThat(x.pending() ? m.getCognitoCallsRetry() : m.getCognitoCallsRefused()).isEqualTo(2);
        Status status = x.pending() ? Status.PENDING : Status.REFUSED;
        if (revoke) {
            assertThat(events).filteredOn(LogoutEvent.class::isInstance).map(LogoutEvent.class::cast)
                    .hasSize(2).allSatisfy(e -> {
                        assertThat(e.status()).isEqualTo(status);
                        assertThat(e.refusalReason()).isEqualTo(x.reason());
                        assertThat(e.accessTokenDenylisted()).isTrue();
                    });
        } else {
            assertThat(events).filteredOn(SignOutEverywhereEvent.class::isInstance)
                    .map(SignOutEverywhereEvent.class::cast).hasSize(2).allSatisfy(e -> {
                        assertThat(e.status()).isEqualTo(status);
                        assertThat(e.refusalReason()).isEqualTo(x.reason());
                    });
        }
        assertOneWarningOrNone(x.warning());
        assertNoSecretLogged(a, b);

        // Retried means retried: once Cognito answers again, the pending work completes. Final
        // means final: no call is made again.
        stub.clearFailures();
        long calls = m.getCognitoCallsDone() + m.getCognitoCallsRetry() + m.getCognitoCallsRefused();
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        if (x.pending()) {
            assertThat(engine.pendingCount()).isZero();
            assertThat(m.getPendingCompleted()).isEqualTo(2);
            assertThat(events).filteredOn(PendingRevocationEvent.class::isInstance)
                    .map(PendingRevocationEvent.class::cast).hasSize(2)
                    .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(PendingRevocationEvent.Outcome.COMPLETED));
            if (revoke) {
                assertThat(stub.isRevoked(a.refreshToken())).isTrue();
            }
        } else {
            assertThat(m.getCognitoCallsDone() + m.getCognitoCallsRetry() + m.getCognitoCallsRefused())
                    .isEqualTo(calls);
            assertThat(events).noneMatch(PendingRevocationEvent.class::isInstance);
        }
        assertOneWarningOrNone(x.warning());
    }

    static Stream<Expected> overHttp() {
        // The delay row waits for cognitoTimeout; its answer is that of every other retried row.
        return LOGOUT_CALLS.stream().filter(x -> x.row() != CognitoError.TIMEOUT);
    }

    /** The same answers from the filter over real HTTP (embedded Jetty), with the OAuth error of each. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("overHttp")
    void filter_logoutOverHttp_answersAsTheTable(Expected x) throws Exception {
        StubTokens t = httpStub.login(CLIENT, "alice");
        try {
            x.inject().apply(httpStub, "RevokeToken", 1);
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(jetty.base() + "/app/logout"))
                            .header("Authorization", "Bearer " + t.accessToken())
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("refresh_token="
                                    + java.net.URLEncoder.encode(t.refreshToken(), java.nio.charset.StandardCharsets.UTF_8)))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(x.http());
            String error = x.reason() == null ? "\"status\":\"pending\"" : "\"error\":\"" + switch (x.reason()) {
                case MALFORMED_TOKEN -> "invalid_request";
                case NOT_A_REFRESH_TOKEN -> "unsupported_token_type";
                case TOKEN_NOT_ACCEPTED -> "invalid_grant";
                case CLIENT_MISCONFIGURED -> "server_error";
            } + "\"";
            assertThat(r.body()).contains(error).doesNotContain(t.refreshToken());
        } finally {
            // The filter's retry thread calls the same stub: nothing of this row may reach the next.
            httpStub.clearFailures();
            RevocationEngine filters = Installations.engine(httpApp.getServletContext());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> filters.pendingCount() == 0);
        }
        assertNoSecretLogged(t);
    }

    @Test
    void wafBlock_refreshTokenAlone_refused502_notPending_noEvent_oneWarning() {
        List<StubTokens> users = Stream.of("bob", "carol", "dave").map(u -> stub.login(CLIENT, u)).toList();
        stub.failNext(3, "ForbiddenException");

        for (StubTokens t : users) {
            assertThat(http("RevokeToken", null, t.refreshToken())).isEqualTo(502);
        }

        assertThat(engine.pendingCount()).isZero();
        assertThat(engine.metrics().getLogoutsRefused()).isEqualTo(3);
        assertThat(events).as("anyone can send a refresh token: counted, not reported").isEmpty();
        assertOneWarningOrNone("AWS WAF web ACL");
        assertNoSecretLogged(users.toArray(StubTokens[]::new));
    }

    /** Errors a client can provoke at will cost one call each, and nothing else: no log, no event, no pending. */
    @ParameterizedTest
    @ValueSource(strings = {"NotAuthorizedException", "InvalidParameterException", "UnsupportedTokenTypeException",
            "RefreshTokenReuseException", "UserNotFoundException"})
    void clientProvokedRefusal_manyTimes_noWarning_noEvent_nothingPending(String error) {
        int requests = 30;
        stub.failNext(requests, error);
        for (int i = 0; i < requests; i++) {
            assertThat(http("RevokeToken", null, CognitoStub.unknownRefreshToken("junk" + i))).isEqualTo(400);
        }
        assertThat(log.atLeast(Level.INFO)).isEmpty();
        assertThat(events).isEmpty();
        assertThat(engine.pendingCount()).isZero();
        assertThat(engine.metrics().getLogoutsRefused()).isEqualTo(requests);
    }

    /** A refusal that names the setup but that a client may provoke (another client's token) warns once, not per request. */
    @ParameterizedTest
    @ValueSource(strings = {"UnauthorizedException", "ForbiddenException", "SomeFutureException"})
    void setupRefusal_provokedManyTimes_oneWarning(String error) {
        int requests = 30;
        stub.failNext(requests, error);
        for (int i = 0; i < requests; i++) {
            assertThat(http("RevokeToken", null, CognitoStub.unknownRefreshToken("junk" + i))).isEqualTo(502);
        }
        assertThat(warnings()).hasSize(1);
        assertThat(engine.pendingCount()).isZero();
    }

    @Test
    void warning_again_onlyAfterTheCallsWorkedAgain_andAnHourPassed() {
        stub.failNext(2, "UnsupportedOperationException");
        logoutWithNewTokens();
        clock.advance(Duration.ofHours(2));
        logoutWithNewTokens();
        assertThat(warnings()).as("the cause persists: one warning").hasSize(1);

        logoutWithNewTokens(); // Cognito accepts: the cause is gone
        stub.failNext(1, "UnsupportedOperationException");
        logoutWithNewTokens();
        assertThat(warnings()).as("back after it was fixed, and an hour after the last warning").hasSize(2);

        logoutWithNewTokens();
        stub.failNext(1, "UnsupportedOperationException");
        logoutWithNewTokens();
        assertThat(warnings()).as("flapping within the hour: no more").hasSize(2);
    }

    private void logoutWithNewTokens() {
        StubTokens t = stub.login(CLIENT, "alice");
        engine.logout(t.accessToken(), t.refreshToken());
    }

    // ------------------------------------------------------------------ DescribeUserPoolClient

    static Stream<Arguments> describeErrors() {
        return Stream.of(
                // error, WARNING at deployment (else INFO), what it says
                Arguments.of("AccessDeniedException", true, "allow cognito-idp:DescribeUserPoolClient"),
                Arguments.of("NotAuthorizedException", true, "allow cognito-idp:DescribeUserPoolClient"),
                Arguments.of("UnauthorizedException", true, "allow cognito-idp:DescribeUserPoolClient"),
                Arguments.of("ResourceNotFoundException", true, "does not know app client webclient"),
                Arguments.of("SomeFutureException", true, "SomeFutureException"),
                Arguments.of("TooManyRequestsException", false, "DescribeUserPoolClient failed"),
                Arguments.of("InternalErrorException", false, "DescribeUserPoolClient failed"),
                Arguments.of("ForbiddenException", false, "DescribeUserPoolClient failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("describeErrors")
    void describe_errorAtDeploymentAndHourly_defaultsKept_oneWarningPerCause(String error, boolean operatorMustFix,
                                                                             String says) {
        int callsBefore = stub.adminCalls().size();
        stub.failNext("DescribeUserPoolClient", 3, error);

        engine.readAppClient();

        assertThat(engine.lifetimes().appClientLifetime()).as("the configured rules stay").isNull();
        List<String> info = messages(Level.INFO);
        if (operatorMustFix) {
            assertThat(warnings()).singleElement().satisfies(w -> assertThat(w).contains(says).contains("not read"));
        } else {
            assertThat(warnings()).isEmpty();
            assertThat(info).anySatisfy(m -> assertThat(m).contains(says).contains("were not read"));
        }

        engine.readAppClientAgain();
        engine.readAppClientAgain();
        assertThat(warnings()).as("the hourly read warns once per cause").hasSize(1);

        engine.readAppClientAgain(); // Cognito answers: retried every hour until it does
        assertThat(engine.lifetimes().appClientLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(stub.adminCalls().subList(callsBefore, stub.adminCalls().size())).hasSize(4);
        assertNoSecretLogged();
    }

    // ------------------------------------------------------------------ AdminGetUser, AdminUserGlobalSignOut

    static Stream<Arguments> adminErrors() {
        return Stream.of(
                // operation, error, what the administrator gets, WARNING
                Arguments.of("AdminGetUser", "UserNotFoundException", InvalidRequestException.class, null),
                Arguments.of("AdminGetUser", "AccessDeniedException", RevocationUnavailableException.class,
                        "allow cognito-idp:AdminGetUser"),
                Arguments.of("AdminGetUser", "ResourceNotFoundException", RevocationUnavailableException.class,
                        "does not know app client webclient"),
                Arguments.of("AdminGetUser", "TooManyRequestsException", RevocationUnavailableException.class, null),
                Arguments.of("AdminUserGlobalSignOut", "AccessDeniedException", Status.REFUSED,
                        "allow cognito-idp:AdminUserGlobalSignOut"),
                Arguments.of("AdminUserGlobalSignOut", "UserNotFoundException", Status.REFUSED, null),
                Arguments.of("AdminUserGlobalSignOut", "TooManyRequestsException",
                        RevocationUnavailableException.class, null),
                Arguments.of("AdminUserGlobalSignOut", "InternalErrorException",
                        RevocationUnavailableException.class, null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminErrors")
    void adminCall_error_saysWhy_notRetried_warnsOnlyWhatAnOperatorMustFix(String operation, String error,
                                                                           Object outcome, String warning) {
        StubTokens t = stub.login(CLIENT, "alice");
        stub.failNext(operation, 2, error);
        boolean cutOffMade = "AdminUserGlobalSignOut".equals(operation);

        for (int i = 0; i < 2; i++) {
            if (outcome instanceof Class<?> thrown) {
                assertThatThrownBy(() -> engine.signOutUser("alice")).isInstanceOf(thrown)
                        .satisfies(e -> assertThat(e.getMessage()).contains(error).doesNotContain("test-secret-key"));
            } else {
                LogoutResult r = engine.signOutUser("alice");
                assertThat(r.status()).isEqualTo(outcome);
                assertThat(r.refusal().orElseThrow().reason()).isEqualTo(Reason.CLIENT_MISCONFIGURED);
            }
        }

        assertThat(engine.isRevoked(t.accessToken())).as("the cut-off comes before AdminUserGlobalSignOut")
                .isEqualTo(cutOffMade);
        assertThat(engine.pendingCount()).as("an administrator's call is not retried in the background").isZero();
        if (warning == null) {
            assertThat(warnings()).isEmpty();
        } else {
            assertThat(warnings()).singleElement().satisfies(w -> assertThat(w).contains(warning));
        }
        if (outcome == Status.REFUSED) {
            assertThat(engine.metrics().getSignOutsEverywhereRefused()).isEqualTo(2);
            assertThat(engine.metrics().getCognitoCallsRefused()).isEqualTo(2);
            assertThat(events).filteredOn(SignOutEverywhereEvent.class::isInstance).hasSize(2);
        } else if (cutOffMade) {
            assertThat(engine.metrics().getCognitoCallsRetry()).isEqualTo(2);
        }
        assertNoSecretLogged(t);
    }

    // ------------------------------------------------------------------ GetTokensFromRefreshToken

    static Stream<Arguments> refreshErrors() {
        // The errors of GetTokensFromRefreshToken (the API reference's list) and their rows.
        return Stream.of(
                Arguments.of("ForbiddenException", CognitoError.WAF_BLOCKED),
                Arguments.of("InternalErrorException", CognitoError.INTERNAL_ERROR),
                Arguments.of("InvalidLambdaResponseException", CognitoError.LAMBDA_FAILED),
                Arguments.of("InvalidParameterException", CognitoError.INVALID_PARAMETER),
                Arguments.of("NotAuthorizedException", CognitoError.TOKEN_NOT_ACCEPTED),
                Arguments.of("RefreshTokenReuseException", CognitoError.REFRESH_TOKEN_REUSED),
                Arguments.of("ResourceNotFoundException", CognitoError.UNKNOWN_CLIENT),
                Arguments.of("TooManyRequestsException", CognitoError.THROTTLED),
                Arguments.of("UnexpectedLambdaException", CognitoError.LAMBDA_FAILED),
                Arguments.of("UserLambdaValidationException", CognitoError.LAMBDA_FAILED),
                Arguments.of("UserNotFoundException", CognitoError.USER_NOT_FOUND));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refreshErrors")
    void refresh_errorOnTheWire_sdkClassAndRowAsTheTableSays(String error, CognitoError row) {
        StubTokens t = stub.login(CLIENT, "alice");
        stub.failNext("GetTokensFromRefreshToken", 1, error);
        try (CognitoIdentityProviderClient sdk = CognitoIdentityProviderClient.builder()
                .region(Region.of(stub.region())).endpointOverride(stub.endpoint())
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            CognitoIdentityProviderException e = catchThrowableOfType(CognitoIdentityProviderException.class,
                    () -> sdk.getTokensFromRefreshToken(r -> r.clientId(CLIENT).refreshToken(t.refreshToken())));

            assertThat(e.getClass().getSimpleName()).as("the SDK's class for the name").isEqualTo(error);
            assertThat(e.statusCode()).isEqualTo(CognitoStub.httpStatusOf(error));
            assertThat(CognitoError.of(e)).isEqualTo(row);
            assertThat(row.onRefresh()).isNotBlank();
        }
    }

    @Test
    void refresh_tokenRotatedAway_notAccepted_butALogoutWithItStillEndsTheFamilyHere() {
        String rotating = "rotatingclient";
        stub.addClient(rotating, null, true);
        stub.configureAppClient(rotating, c -> {
            c.rotation = true;
            c.gracePeriodSeconds = 0;
        });
        engine.close();
        RevocationSettings settings = StubSettings.builder(stub, rotating).build();
        engine = RevocationEngine.builder(settings).clock(clock)
                .cognito(new SdkCognitoGateway(settings, AppClientReadTest.TEST_CREDENTIALS)).build();
        StubTokens first = stub.login(rotating, "alice");
        stub.rotate(rotating, first.refreshToken());
        clock.advance(Duration.ofSeconds(1));
        try (CognitoIdentityProviderClient sdk = CognitoIdentityProviderClient.builder()
                .region(Region.of(stub.region())).endpointOverride(stub.endpoint())
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            CognitoIdentityProviderException e = catchThrowableOfType(CognitoIdentityProviderException.class,
                    () -> sdk.getTokensFromRefreshToken(r -> r.clientId(rotating).refreshToken(first.refreshToken())));
            assertThat(CognitoError.of(e)).isEqualTo(CognitoError.TOKEN_NOT_ACCEPTED);
        }

        assertThat(http("RevokeToken", first.accessToken(), first.refreshToken())).isIn(204, 400);
        assertThat(engine.isRevoked(first.accessToken())).isTrue();
        assertThat(engine.isRevoked(first.idToken())).as("the family of the presented access token").isTrue();
    }

    // ------------------------------------------------------------------ helpers

    /** The logout's HTTP answer, as the filter writes it from the rules' answer. */
    private int http(String operation, String accessToken, String refreshToken) {
        Optional<String> access = Optional.ofNullable(accessToken);
        Optional<String> refresh = Optional.ofNullable(refreshToken);
        LogoutRules.Request request = new LogoutRules.Request("POST", true, false, "",
                type -> type == TokenType.ACCESS ? access : refresh);
        LogoutRules rules = "RevokeToken".equals(operation) ? new LogoutRules(engine::logout, null)
                : LogoutRules.signOutEverywhere(engine::signOutEverywhere, null, null);
        LogoutAnswer answer = rules.decide(request);
        if (answer instanceof LogoutAnswer.Refused r) {
            return r.rejection().status();
        }
        return answer instanceof LogoutAnswer.Pending ? 202 : answer instanceof LogoutAnswer.Redirect ? 303 : 204;
    }

    private List<String> messages(Level level) {
        return log.messages(level);
    }

    private List<String> warnings() {
        return messages(Level.WARNING);
    }

    private void assertOneWarningOrNone(String says) {
        if (says == null) {
            assertThat(warnings()).as("a client's own mistake is not the operator's").isEmpty();
        } else {
            assertThat(warnings()).singleElement().satisfies(w -> assertThat(w).contains(says));
        }
    }

    private void assertNoSecretLogged(StubTokens... tokens) {
        Set<String> forbidden = Arrays.stream(tokens).flatMap(t -> Stream.of(t.accessToken(), t.refreshToken(),
                t.idToken())).collect(Collectors.toSet());
        forbidden.addAll(secrets);
        for (String line : log.all()) {
            for (String f : forbidden) {
                assertThat(line).doesNotContain(f);
            }
        }
    }
}
