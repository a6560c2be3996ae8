package io.github.cognitorevoke.internal;

import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.NOT_ACCEPTED;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.InvalidTokenException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.support.EngineFixture;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit line: one INFO line per logout and sign-out everywhere, ids and outcome, never a token. */
class AuditLogTest {

    private static final String CLIENT = "webclient";

    private final TestClock clock = TestClock.atNow();
    private final ScriptedCognitoGateway cognito = new ScriptedCognitoGateway();
    private final CapturingLogger log = new CapturingLogger();
    private CognitoStub stub;
    private RevocationEngine engine;

    @BeforeEach
    void start() {
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        engine = EngineFixture.against(stub).clock(clock).cognito(cognito).build();
        engine.observers().add(new AuditLog(log));
    }

    private RevocationSettings.Builder settings() {
        return StubSettings.builder(stub, CLIENT);
    }

    @AfterEach
    void stop() {
        engine.close();
        stub.close();
    }

    @Test
    void logout_writesOneInfoLine_withOutcomeSubAndJti_andNoToken() {
        StubTokens alice = stub.login(CLIENT, "alice");

        engine.logout(alice.accessToken(), alice.refreshToken());

        assertThat(log.lines).singleElement().satisfies(l -> {
            assertThat(l.level()).isEqualTo(System.Logger.Level.INFO);
            assertThat(l.message()).isEqualTo("cognito-revoke audit: logout status=COMPLETED reason=-"
                    + " accessTokenDenylisted=true sub=" + alice.accessClaims().getSubject()
                    + " jti=" + alice.accessJti() + " signInEnded=true");
            assertThat(l.message()).doesNotContain(alice.accessToken(), alice.refreshToken());
        });
    }

    @Test
    void logout_refreshTokenAloneAcceptedByCognito_writesOneLineWithoutIds() {
        StubTokens bob = stub.login(CLIENT, "bob");

        engine.logout(null, bob.refreshToken());

        assertThat(log.lines).singleElement().satisfies(l -> assertThat(l.message())
                .isEqualTo("cognito-revoke audit: logout status=COMPLETED reason=- accessTokenDenylisted=false sub=- jti=- signInEnded=false"));
    }

    @Test
    void logout_refreshTokenAloneNotAcceptedByCognito_writesNoLine() {
        cognito.onRevoke(t -> NOT_ACCEPTED);
        engine.logout(null, CognitoStub.unknownRefreshToken());
        cognito.onRevoke(t -> THROTTLED);
        engine.logout(null, CognitoStub.unknownRefreshToken());
        assertThatThrownBy(() -> engine.logout(null, "junk")).isInstanceOf(InvalidRequestException.class);

        assertThat(log.lines).as("anyone can send these: no line each").isEmpty();
    }

    @Test
    void logout_accessTokenWithRefreshTokenRefused_namesTheReasonAndIds() {
        StubTokens bob = stub.login(CLIENT, "bob");
        cognito.onRevoke(t -> NOT_ACCEPTED);

        engine.logout(bob.accessToken(), bob.refreshToken());

        assertThat(log.lines).singleElement().satisfies(l -> assertThat(l.message())
                .contains("logout status=REFUSED reason=TOKEN_NOT_ACCEPTED accessTokenDenylisted=true sub="
                        + bob.accessClaims().getSubject())
                .contains(" signInEnded=true")
                .doesNotContain(bob.refreshToken()));
    }

    @Test
    void signOutEverywhere_writesOneLine_withStatusAndSub() {
        StubTokens carol = stub.login(CLIENT, "carol");
        cognito.onGlobalSignOut(t -> THROTTLED);

        engine.signOutEverywhere(carol.accessToken());

        assertThat(log.lines).singleElement().satisfies(l -> assertThat(l.message())
                .isEqualTo("cognito-revoke audit: signOutEverywhere status=PENDING reason=- sub="
                        + carol.accessClaims().getSubject()));
    }

    @Test
    void logoutWithAForgedToken_writesNoAuditLine() {
        StubTokens dave = stub.login(CLIENT, "dave");
        String forged = stub.jwt().signWithUnknownKey(dave.accessClaims());

        assertThatThrownBy(() -> engine.logout(forged, null)).isInstanceOf(InvalidTokenException.class);

        assertThat(log.lines).isEmpty();
    }

    @Test
    void idWithControlCharacters_cannotBreakTheLine() {
        new AuditLog(log).signedOutEverywhere(new io.github.cognitorevoke.LogoutResult(
                io.github.cognitorevoke.LogoutResult.Status.COMPLETED, true, java.util.Optional.empty()),
                "a\nfake line\r");

        assertThat(log.lines).singleElement().satisfies(l -> assertThat(l.message())
                .endsWith("sub=a?fake?line?").doesNotContain("\n", "\r"));
    }

    @Test
    void loggerBelowInfo_buildsNoLine() {
        log.infoEnabled = false;
        StubTokens erin = stub.login(CLIENT, "erin");

        engine.logout(erin.accessToken(), null);

        assertThat(log.lines).isEmpty();
    }

    @Test
    void auditLog_isOnByDefault_andCanBeSwitchedOff() {
        assertThat(settings().build().auditLog()).isTrue();
        assertThat(settings().auditLog(false).build().auditLog()).isFalse();
        assertThat(settings().auditLog(false).build().toString()).contains("auditLog=false");
    }

    @Test
    void defaultInstallation_registersTheAuditLogOnlyWhenOn() {
        try (Installation on = Installation.builder(settings().build()).build();
             Installation off = Installation.builder(settings().auditLog(false).build()).build()) {
            // Metrics always observe; the audit log only when it is on.
            assertThat(on.engine().observers().contains(AuditLog.class)).isTrue();
            assertThat(off.engine().observers().contains(AuditLog.class)).isFalse();
        }
    }

    record Line(System.Logger.Level level, String message) {
    }

    /** A System.Logger that keeps what it is given. */
    static final class CapturingLogger implements System.Logger {
        final List<Line> lines = new CopyOnWriteArrayList<>();
        volatile boolean infoEnabled = true;

        @Override
        public String getName() {
            return AuditLog.LOGGER;
        }

        @Override
        public boolean isLoggable(Level level) {
            return infoEnabled || level.getSeverity() > Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(new Line(level, msg));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(new Line(level, params == null || params.length == 0 ? format
                    : java.text.MessageFormat.format(format, params)));
        }
    }
}
