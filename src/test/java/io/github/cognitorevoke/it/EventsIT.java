package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.it.app.EventRecorder;
import io.github.cognitorevoke.it.app.EventsServlet;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library's CDI events in a real server (WildFly or Payara) against the Cognito wire stub: an
 * application bean ({@link EventRecorder}) with an {@code @Observes} and an {@code @ObservesAsync} observer
 * of each event receives every kind, each once per observer; and the audit line reaches the server log.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EventsIT {

    private static final String CLIENT = "1iteventsclient2k1j5g6f7d8s9"; // a Cognito-shaped client id
    private static final Duration ASYNC = Duration.ofSeconds(10);
    private static final Duration BACKGROUND_RETRY = Duration.ofSeconds(30);

    private static CognitoStub stub;

    @ArquillianResource
    private URL base;

    private static AppClient app;

    /** Runs before any beforeAll: starts the stub here, so its port can go into web.xml. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
        return TestWars.app("events", params, EventRecorder.class, EventsServlet.class);
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
        }
    }

    @BeforeEach
    void setUp() {
        if (app == null) {
            app = new AppClient(base).requireDeployed();
        }
    }

    private StubTokens login(String username) {
        StubTokens t = stub.login(CLIENT, username);
        RunSecrets.remember(t.accessToken());
        RunSecrets.remember(t.idToken());
        RunSecrets.remember(t.refreshToken());
        return t;
    }

    private static String sub(StubTokens t) {
        return t.accessClaims().getSubject();
    }

    private List<String> events() {
        HttpResponse<String> r = app.get("events", null);
        assertThat(r.statusCode()).as("GET events").isEqualTo(200);
        return r.body().lines().toList();
    }

    /** Waits until both observers (sync and async) got the event described by {@code line}. */
    private void awaitBoth(String line, Duration atMost) {
        await().atMost(atMost).untilAsserted(() ->
                assertThat(events()).contains("sync " + line + " dated", "async " + line + " dated"));
    }

    @Test
    void logoutCompleted_reachesBothObservers_withSubAndJti_andIsAudited() {
        long mark = ServerLogs.mark();
        StubTokens alice = login("alice");

        assertThat(app.logout(alice.accessToken(), alice.refreshToken()).statusCode()).isEqualTo(204);

        String line = "LogoutEvent status=COMPLETED reason=null denylisted=true sub=" + sub(alice)
                + " jti=" + alice.accessJti();
        assertThat(events()).as("the synchronous observer ran before the answer").contains("sync " + line + " dated");
        awaitBoth(line, ASYNC);
        assertThat(events()).as("each observer got it once").filteredOn(l -> l.contains(sub(alice))).hasSize(2);
        await().atMost(ASYNC).untilAsserted(() -> assertThat(ServerLogs.since(mark))
                .contains("cognito-revoke audit: logout status=COMPLETED reason=- accessTokenDenylisted=true sub="
                        + sub(alice) + " jti=" + alice.accessJti()));
    }

    @Test
    void logoutPendingThenCompletedInTheBackground_reachesBothObservers() {
        StubTokens bob = login("bob");
        stub.failNext(1, "TooManyRequestsException");

        assertThat(app.logout(bob.accessToken(), bob.refreshToken()).statusCode()).isEqualTo(202);

        awaitBoth("LogoutEvent status=PENDING reason=null denylisted=true sub=" + sub(bob) + " jti=" + bob.accessJti(),
                ASYNC);
        awaitBoth("PendingRevocationEvent outcome=COMPLETED globalSignOut=false attempts=2", BACKGROUND_RETRY);
        assertThat(stub.isRevoked(bob.refreshToken())).isTrue();
    }

    @Test
    void logoutRefusedByCognito_reachesBothObservers_withTheReason() {
        StubTokens carol = login("carol");
        stub.failNext(1, "UnsupportedOperationException");

        assertThat(app.logout(carol.accessToken(), carol.refreshToken()).statusCode()).isEqualTo(502);

        awaitBoth("LogoutEvent status=REFUSED reason=CLIENT_MISCONFIGURED denylisted=true sub=" + sub(carol)
                + " jti=" + carol.accessJti(), ASYNC);
    }

    @Test
    void signOutEverywhere_andAnOlderTokenOfTheUserRejected_reachBothObservers() {
        StubTokens otherDevice = login("dave");
        StubTokens dave = login("dave");

        HttpResponse<String> r = app.postForm("events/sign-out-everywhere", null,
                Map.of("access_token", dave.accessToken()));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(AppClient.value(r.body(), "status")).isEqualTo("COMPLETED");
        awaitBoth("SignOutEverywhereEvent status=COMPLETED reason=null sub=" + sub(dave), ASYNC);
        assertThat(app.get("protected", otherDevice.accessToken()).statusCode()).isEqualTo(401);
        awaitBoth("TokenRejectedEvent path=/protected sub=" + sub(dave) + " match=SIGNED_OUT", ASYNC);
    }

    @Test
    void revokedTokensRejected_reachBothObservers_withPathAndWhichIdMatched() {
        StubTokens erin = login("erin");
        assertThat(app.logout(erin.accessToken(), null).statusCode()).isEqualTo(204);

        assertThat(app.get("protected", erin.accessToken()).statusCode()).isEqualTo(401);
        assertThat(app.get("protected", erin.idToken()).statusCode()).isEqualTo(401);

        awaitBoth("TokenRejectedEvent path=/protected sub=" + sub(erin) + " match=JTI", ASYNC);
        awaitBoth("TokenRejectedEvent path=/protected sub=" + sub(erin) + " match=ORIGIN_JTI", ASYNC);
    }
}
