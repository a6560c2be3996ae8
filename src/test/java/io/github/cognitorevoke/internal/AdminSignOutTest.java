package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.testing.AdminCall;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * An administrator signs a user out by username (AdminGetUser for the sub, the cut-off, then
 * AdminUserGlobalSignOut), from the engine and from the MBean, over the real AWS SDK against the stub.
 */
class AdminSignOutTest {

    private static final String CLIENT = "webclient";
    private static final AwsCredentialsProvider NO_CREDENTIALS = () -> {
        throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    };

    private final TestClock clock = TestClock.atNow();
    private final List<String> audit = new CopyOnWriteArrayList<>();
    private CognitoStub stub;
    private RevocationSettings settings;

    @BeforeEach
    void start() {
        stub = CognitoStub.start(clock);
        stub.addClient(CLIENT, null, true);
        settings = RevocationSettings.builder(stub.region(), stub.userPoolId(), CLIENT)
                .endpoint(stub.endpoint().toString()).issuer(stub.issuer()).jwksUri(stub.jwksUri()).build();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private RevocationEngine engine(AwsCredentialsProvider credentials) {
        RevocationEngine engine = RevocationEngine.builder(settings).clock(clock)
                .cognito(new SdkCognitoGateway(settings, credentials)).build();
        engine.observers().add(new AuditLog(new System.Logger() {
            @Override
            public String getName() {
                return "audit";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
                audit.add(msg);
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                audit.add(format);
            }
        }));
        return engine;
    }

    @Test
    void signOutUser_everyDeviceOfTheUserRejected_refreshTokensEnded_recordedLikeASignOut() {
        StubTokens phone = stub.login(CLIENT, "alice");
        StubTokens laptop = stub.login(CLIENT, "alice");
        StubTokens bob = stub.login(CLIENT, "bob");
        try (RevocationEngine engine = engine(AppClientReadTest.TEST_CREDENTIALS)) {

            assertThat(engine.signOutUser("alice").status()).isEqualTo(Status.COMPLETED);

            assertThat(engine.isRevoked(phone.accessToken())).isTrue();
            assertThat(engine.isRevoked(laptop.idToken())).isTrue();
            assertThat(engine.isRevoked(bob.accessToken())).isFalse();
            assertThat(stub.isRevoked(phone.refreshToken())).isTrue();
            assertThat(stub.isRevoked(laptop.refreshToken())).isTrue();
            assertThat(stub.isRevoked(bob.refreshToken())).isFalse();
            assertThat(stub.adminCalls()).containsExactly(new AdminCall("AdminGetUser", true, null),
                    new AdminCall("AdminUserGlobalSignOut", true, null));
            assertThat(engine.metrics().getSignOutsEverywhereCompleted()).isEqualTo(1);
            assertThat(engine.metrics().getCognitoCallsDone()).isEqualTo(1);
            assertThat(audit).singleElement().satisfies(line -> assertThat(line)
                    .contains("signOutByAdministrator status=COMPLETED").contains("sub=" + phone.accessClaims().getSubject()));

            clock.advance(Duration.ofSeconds(2));
            assertThat(engine.isRevoked(stub.login(CLIENT, "alice").accessToken()))
                    .as("a sign-in after the cut-off").isFalse();
        }
    }

    @Test
    void signOutUser_unknownUser_saysSo_nothingChanged() {
        StubTokens alice = stub.login(CLIENT, "alice");
        try (RevocationEngine engine = engine(AppClientReadTest.TEST_CREDENTIALS)) {

            assertThatThrownBy(() -> engine.signOutUser("mallory")).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("No such user").hasMessageContaining("nothing changed");

            assertThat(stub.adminCalls()).containsExactly(new AdminCall("AdminGetUser", true, "UserNotFoundException"));
            assertThat(engine.isRevoked(alice.accessToken())).isFalse();
            assertThat(audit).isEmpty();
        }
    }

    @Test
    void signOutUser_withoutCredentials_saysWhy_nothingCalled() {
        StubTokens alice = stub.login(CLIENT, "alice");
        try (RevocationEngine engine = engine(NO_CREDENTIALS)) {

            assertThatThrownBy(() -> engine.signOutUser("alice")).isInstanceOf(RevocationUnavailableException.class)
                    .hasMessageContaining("no AWS credentials").hasMessageContaining("nothing changed");

            assertThat(stub.adminCalls()).isEmpty();
            assertThat(engine.isRevoked(alice.accessToken())).isFalse();
        }
    }

    @Test
    void jmxOperation_signsOutOrSaysWhyNot() throws Exception {
        StubTokens alice = stub.login(CLIENT, "alice");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (Installation installation = Installation.builder(settings).credentials(AppClientReadTest.TEST_CREDENTIALS)
                .published("/admin-sign-out-test").build()) {
            ObjectName name = MetricsExport.mbeanName("/admin-sign-out-test", 1);
            String[] signature = {String.class.getName()};

            assertThat((String) server.invoke(name, "signOutUser", new Object[] {"mallory"}, signature))
                    .contains("No such user");
            assertThat((String) server.invoke(name, "signOutUser", new Object[] {" "}, signature))
                    .isEqualTo("Nothing done: give a username");
            assertThat((String) server.invoke(name, "signOutUser", new Object[] {"alice"}, signature))
                    .startsWith("Signed out");

            assertThat(installation.engine().isRevoked(alice.accessToken())).isTrue();
            assertThat(server.getAttribute(name, "SignOutsEverywhereCompleted")).isEqualTo(1L);
        }
    }
}
