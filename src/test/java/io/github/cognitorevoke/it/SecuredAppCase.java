package io.github.cognitorevoke.it;

import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.it.app.BearerTokenMechanism;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URL;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the container-security test classes share: the Cognito wire stub (started by the subclass's
 * {@code @Deployment} through {@link #deploy}, so its port can go into {@code web.xml}; stopped after the
 * class), the deployment's {@link SecuredApp} client, and logins at the stub.
 *
 * <p>Each subclass is one WAR: Payara Micro's Arquillian adapter runs one deployment per server process.
 * Subclasses also carry {@code @DisabledIfSystemProperty(named = "it.cluster", ...)} (not inherited): with
 * {@code -Dit.test} they would run in the {@code it-cluster} execution too, which has no Arquillian adapter.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class SecuredAppCase {

    private static CognitoStub stub;
    private static String clientId;

    @ArquillianResource
    private URL base;

    /** The deployed application, fresh for each test. */
    protected SecuredApp app;

    /**
     * Starts the stub with a public app client, and builds the WAR against it.
     *
     * @param name the WAR's name
     * @param client the app client's id
     * @param mechanism the application's one mechanism
     * @param moreParams filter init-params besides the stub's
     * @return the WAR
     */
    static WebArchive deploy(String name, String client, Class<? extends BearerTokenMechanism> mechanism,
                             Map<String, String> moreParams) {
        stub = CognitoStub.start();
        clientId = client;
        stub.addClient(client, null, true);
        Map<String, String> params = StubSettings.initParameters(stub, client);
        params.putAll(moreParams);
        return SecuredApp.war(name, params, mechanism);
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
            stub = null;
        }
    }

    @BeforeEach
    void connect() {
        app = new SecuredApp(base);
    }

    /** @return the app client's id */
    static String clientId() {
        return clientId;
    }

    /** @return the running stub */
    static CognitoStub stub() {
        return stub;
    }

    /**
     * Logs a user in at the stub and remembers the tokens for the log check.
     *
     * @param username the user
     * @return the tokens
     */
    static StubTokens login(String username) {
        StubTokens t = stub.login(clientId, username);
        Stream.of(t.accessToken(), t.idToken(), t.refreshToken()).forEach(RunSecrets::remember);
        return t;
    }
}
