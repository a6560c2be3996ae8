package io.github.cognitorevoke.it;

import static io.github.cognitorevoke.it.AppClient.REVOKED_CHALLENGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/**
 * The whole logout flow in a real server against cognito-local, an independent Cognito emulator: real
 * tokens from its USER_PASSWORD_AUTH, its JWKS, its RevokeToken. (Its tokens carry {@code jti} but no
 * {@code origin_jti}.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CognitoLocalLogoutIT {

    @RegisterExtension
    static final CognitoLocal COGNITO = new CognitoLocal();

    private static final String ALICE_PASSWORD = "Passw0rd!alice";
    private static final String BOB_PASSWORD = "Passw0rd!bob";
    private static String clientId;

    @ArquillianResource
    private URL base;

    /** Runs before the emulator extension's beforeAll: the emulator starts lazily on the first call. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        CognitoLocal.UserPool pool = COGNITO.createPool("it");
        clientId = COGNITO.createClient(pool, "web");
        COGNITO.createUser(pool, "alice", ALICE_PASSWORD);
        COGNITO.createUser(pool, "bob", BOB_PASSWORD);
        RunSecrets.remember(ALICE_PASSWORD);
        RunSecrets.remember(BOB_PASSWORD);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("region", "eu-west-1");
        params.put("userPoolId", pool.id());
        params.put("clientId", clientId);
        params.put("endpoint", COGNITO.endpoint().toString());
        params.put("issuer", pool.issuer());
        params.put("jwksUri", pool.jwksUri().toString());
        // Generous: the first SDK call in a fresh server JVM loads many classes (seconds on a busy machine).
        params.put("cognitoTimeout", "20s");
        return TestWars.app("cognito-local", params);
    }

    private static CognitoLocal.Tokens login(String user, String password) {
        CognitoLocal.Tokens t = COGNITO.login(clientId, user, password);
        RunSecrets.remember(t.accessToken());
        RunSecrets.remember(t.idToken());
        RunSecrets.remember(t.refreshToken());
        return t;
    }

    @Test
    void logoutAgainstCognitoLocal_revokesAtTheEmulator_rejectsTheAccessToken_andSparesOtherUsers() {
        AppClient app = new AppClient(base).requireDeployed();
        CognitoLocal.Tokens alice = login("alice", ALICE_PASSWORD);
        long firstSecond = System.currentTimeMillis() / 1000; // alice's auth_time is no later
        CognitoLocal.Tokens bob = login("bob", BOB_PASSWORD);
        assertThat(app.get("protected", alice.accessToken()).statusCode()).isEqualTo(200);

        HttpResponse<String> logout = app.logout(alice.accessToken(), alice.refreshToken());

        assertThat(logout.statusCode()).as("logout: %s", logout.body()).isEqualTo(204);
        HttpResponse<String> after = app.get("protected", alice.accessToken());
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("WWW-Authenticate")).hasValue(REVOKED_CHALLENGE);
        assertThatThrownBy(() -> COGNITO.refresh(clientId, alice.refreshToken()))
                .as("REFRESH_TOKEN_AUTH with the revoked refresh token")
                .isInstanceOf(NotAuthorizedException.class);
        assertThat(app.get("protected", bob.accessToken()).statusCode()).isEqualTo(200);
        // A new sign-in in another second: another auth_time (one in the same second would share the ended key).
        while (System.currentTimeMillis() / 1000 <= firstSecond) {
            Thread.onSpinWait();
        }
        assertThat(app.get("protected", login("alice", ALICE_PASSWORD).accessToken()).statusCode())
                .as("a new login of the same user").isEqualTo(200);
    }
}
