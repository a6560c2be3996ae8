package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.cognitorevoke.it.app.MetricsProbe;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The metrics MBean and the health state in a real server, against the Cognito wire stub: the MBean is
 * read inside the server by {@link MetricsProbe} (the managed servers run in their own JVMs); on Payara
 * Micro the MicroProfile Health endpoints list the {@code cognito-revoke} checks; on WildFly
 * ({@code standalone.xml}, no MicroProfile Health) the deployment works and {@code health()} answers.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsIT {

    private static final String CLIENT = "1itmetricsclient2k1j5g6f7d8s";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private static CognitoStub stub;

    @ArquillianResource
    private URL base;

    private AppClient app;

    @Deployment(testable = false)
    static WebArchive deployment() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
        return TestWars.app("metrics", params, MetricsProbe.class);
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
        }
    }

    @BeforeEach
    void setUp() {
        app = new AppClient(base).requireDeployed();
    }

    private StubTokens login(String username) {
        StubTokens t = stub.login(CLIENT, username);
        RunSecrets.remember(t.accessToken());
        RunSecrets.remember(t.idToken());
        RunSecrets.remember(t.refreshToken());
        return t;
    }

    private Map<String, String> metrics() {
        HttpResponse<String> r = app.get("metrics-probe", null);
        assertThat(r.statusCode()).as("metrics probe: %s", r.body()).isEqualTo(200);
        return r.body().lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b, LinkedHashMap::new));
    }

    private static long count(Map<String, String> metrics, String attribute) {
        String v = metrics.get(attribute);
        assertThat(v).as("attribute %s in %s", attribute, metrics).isNotNull();
        return Long.parseLong(v);
    }

    @Test
    void mbean_isNamedByTheContextPath_andHasEveryAttribute() {
        Map<String, String> m = metrics();

        assertThat(m.get("objectName")).isEqualTo("io.github.cognitorevoke:type=RevocationMetrics,context=/metrics");
        assertThat(m).containsKeys("LogoutsCompleted", "LogoutsPending", "LogoutsRefused", "RejectionsJti",
                "RejectionsOriginJti", "RejectionsSignedOut", "CognitoCallsDone", "CognitoCallsRetry",
                "CognitoCallsRefused", "JwksFetchesOk", "JwksFetchesFailed", "DenylistEntries",
                "PendingRevocations", "OldestPendingAgeSeconds", "CognitoLatencyP50Millis", "CognitoLatencyP99Millis");
    }

    @Test
    void logoutAndRejections_moveTheCounters() {
        Map<String, String> before = metrics();
        StubTokens t = login("alice");
        StubTokens sibling = stub.refresh(CLIENT, t.refreshToken());
        RunSecrets.remember(sibling.accessToken());

        assertThat(app.logout(t.accessToken(), t.refreshToken()).statusCode()).isEqualTo(204);
        assertThat(app.get("protected", t.accessToken()).statusCode()).isEqualTo(401);
        assertThat(app.get("protected", sibling.accessToken()).statusCode()).isEqualTo(401);

        Map<String, String> after = metrics();
        assertThat(count(after, "LogoutsCompleted") - count(before, "LogoutsCompleted")).isEqualTo(1);
        assertThat(count(after, "CognitoCallsDone") - count(before, "CognitoCallsDone")).isEqualTo(1);
        assertThat(count(after, "RejectionsJti") - count(before, "RejectionsJti")).isEqualTo(1);
        assertThat(count(after, "RejectionsOriginJti") - count(before, "RejectionsOriginJti")).isEqualTo(1);
        assertThat(count(after, "DenylistEntries")).isGreaterThanOrEqualTo(2);
        assertThat(count(after, "JwksFetchesOk")).isPositive();
        assertThat(Double.parseDouble(after.get("CognitoLatencyP99Millis"))).isPositive();
    }

    @Test
    void throttledLogout_countsAsPending_untilTheBackgroundRetryCompletesIt() {
        Map<String, String> before = metrics();
        StubTokens t = login("bob");
        stub.failNext(1, "TooManyRequestsException");

        assertThat(app.logout(t.accessToken(), t.refreshToken()).statusCode()).isEqualTo(202);

        Map<String, String> pending = metrics();
        assertThat(count(pending, "LogoutsPending") - count(before, "LogoutsPending")).isEqualTo(1);
        assertThat(count(pending, "CognitoCallsRetry") - count(before, "CognitoCallsRetry")).isEqualTo(1);
        await().atMost(SETTLE).untilAsserted(() -> {
            Map<String, String> later = metrics();
            assertThat(count(later, "PendingCompleted") - count(before, "PendingCompleted")).isEqualTo(1);
            assertThat(count(later, "PendingRevocations")).isZero();
        });
    }

    @Test
    void healthFromTheService_isLiveAndReady() {
        await().atMost(SETTLE).untilAsserted(() -> {
            Map<String, String> m = metrics();
            assertThat(m.get("health.live")).as(m.get("health.detail")).isEqualTo("true");
            assertThat(m.get("health.ready")).as(m.get("health.detail")).isEqualTo("true");
        });
    }

    @Test
    void microProfileHealth_onPayara_listsTheLivenessAndReadinessChecks_up() throws Exception {
        Assumptions.assumeTrue("payara".equals(ServerLogs.server()), "MicroProfile Health: Payara Micro only");
        URI server = URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/");

        await().atMost(SETTLE).untilAsserted(() -> assertThat(check(server.resolve("health/ready"))).isEqualTo("UP"));
        assertThat(check(server.resolve("health/live"))).isEqualTo("UP");
    }

    /** The status of the check named cognito-revoke in a MicroProfile Health answer. */
    @SuppressWarnings("unchecked")
    private static String check(URI endpoint) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = JSONObjectUtils.parse(r.body());
        List<Map<String, Object>> checks = (List<Map<String, Object>>) json.get("checks");
        assertThat(checks).as("%s answered %s %s", endpoint, r.statusCode(), r.body()).isNotNull();
        return checks.stream().filter(c -> "cognito-revoke".equals(c.get("name")))
                .map(c -> String.valueOf(c.get("status"))).findFirst()
                .orElseThrow(() -> new AssertionError(endpoint + " has no cognito-revoke check: " + r.body()));
    }
}
