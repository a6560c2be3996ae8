package io.github.cognitorevoke.testing;

import io.github.cognitorevoke.RevocationSettings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs a {@link CognitoStub} for a test class: it starts the stub with one
 * app client before all tests and stops it after them, mints tokens for users, and hands out the
 * settings that point cognito-revoke at it.
 *
 * <pre>{@code
 * class LogoutTest {
 *     @RegisterExtension
 *     static CognitoStubExtension cognito = CognitoStubExtension.withClient("myapp");
 *
 *     @Test
 *     void logout_revokesTheRefreshToken() {
 *         StubTokens tokens = cognito.login("alice");
 *         try (TokenRevocationService service = TokenRevocationService.create(cognito.settings().build())) {
 *             service.logout(tokens.accessToken(), tokens.refreshToken());
 *         }
 *         assertThat(cognito.stub().isRevoked(tokens.refreshToken())).isTrue();
 *     }
 * }
 * }</pre>
 *
 * <p>{@code @ExtendWith(CognitoStubExtension.class)} works too (client {@value #DEFAULT_CLIENT_ID},
 * no secret, revocation on); test methods and constructors then take the stub as a parameter
 * ({@code void test(CognitoStub cognito)}), and so do they with {@code @RegisterExtension}. For a
 * filter under test, pass {@link #initParameters()} as the filter's init-params.
 *
 * <p>Registered on a static field or with {@code @ExtendWith}, one stub serves the whole class
 * (nested classes included): its revocations and recorded calls carry over from test to test, so
 * use a fresh user per test or {@link CognitoStub#clearRevokeCalls()}. Registered on an instance
 * field, each test gets its own stub. Configure the extension before it starts (in the field's
 * initializer); a configuration method called later fails.
 */
public final class CognitoStubExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** The app client id of {@code @ExtendWith(CognitoStubExtension.class)}. */
    public static final String DEFAULT_CLIENT_ID = "testclient";

    private final String clientId;
    private final Map<String, String> users = new LinkedHashMap<>();
    private String clientSecret;
    private boolean revocationEnabled = true;
    private final CognitoStub.Builder builder = CognitoStub.builder(); // starts a fresh stub each time
    private CognitoStub stub;
    // The unique id of the JUnit context whose end stops the stub (the class, or a test method).
    private String owner;

    /** An extension with the client {@value #DEFAULT_CLIENT_ID}; what {@code @ExtendWith} uses. */
    public CognitoStubExtension() {
        this(DEFAULT_CLIENT_ID);
    }

    private CognitoStubExtension(String clientId) {
        this.clientId = clientId;
    }

    /**
     * An extension whose stub has one app client with this id: no secret, token revocation enabled.
     *
     * @param clientId the app client id: letters, digits, {@code _} and {@code +}
     * @return a new extension, for {@code @RegisterExtension}
     */
    public static CognitoStubExtension withClient(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        if (!clientId.matches("[A-Za-z0-9_+]+")) { // what RevocationSettings accepts, like Cognito's own ids
            throw new IllegalArgumentException("clientId must be letters, digits, '_' and '+': " + clientId);
        }
        return new CognitoStubExtension(clientId);
    }

    /**
     * Gives the app client a secret: RevokeToken then wants it, and {@link #initParameters()} carries it.
     *
     * @param secret the client secret
     * @return this extension
     */
    public CognitoStubExtension clientSecret(String secret) {
        notStarted();
        this.clientSecret = Objects.requireNonNull(secret, "secret");
        return this;
    }

    /**
     * Switches token revocation off on the app client, as on clients created before 2021: tokens carry
     * no {@code jti}/{@code origin_jti} and RevokeToken answers {@code UnsupportedOperationException}.
     *
     * @return this extension
     */
    public CognitoStubExtension revocationDisabled() {
        notStarted();
        this.revocationEnabled = false;
        return this;
    }

    /**
     * Registers a user who can sign in with {@code USER_PASSWORD_AUTH} (for code under test that logs
     * in through the SDK); {@link #login(String)} needs no registration.
     *
     * @param username the user name
     * @param password the password
     * @return this extension
     */
    public CognitoStubExtension user(String username, String password) {
        notStarted();
        users.put(Objects.requireNonNull(username, "username"), Objects.requireNonNull(password, "password"));
        return this;
    }

    /**
     * Chooses the user pool id (default: a random one in {@code eu-west-1}).
     *
     * @param userPoolId e.g. {@code eu-central-1_AbCdEfGhI}
     * @return this extension
     */
    public CognitoStubExtension userPoolId(String userPoolId) {
        notStarted();
        builder.userPoolId(userPoolId);
        return this;
    }

    /**
     * Chooses the clock for token times ({@code iat}, {@code exp}, {@code auth_time}).
     *
     * @param clock the clock
     * @return this extension
     */
    public CognitoStubExtension clock(Clock clock) {
        notStarted();
        builder.clock(clock);
        return this;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startFor(context); // an instance field: no beforeAll was called
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopFor(context);
    }

    private synchronized void startFor(ExtensionContext context) {
        if (stub != null) {
            return; // started by an enclosing class, or before all of this class's tests
        }
        CognitoStub started = builder.start();
        started.addClient(clientId, clientSecret, revocationEnabled);
        users.forEach(started::addUser);
        stub = started;
        owner = context.getUniqueId();
    }

    private synchronized void stopFor(ExtensionContext context) {
        if (stub != null && context.getUniqueId().equals(owner)) {
            stub.close();
            stub = null;
            owner = null;
        }
    }

    private synchronized void notStarted() {
        if (stub != null) {
            throw new IllegalStateException("configure the CognitoStubExtension before its tests start");
        }
    }

    // ---------------------------------------------------------------- parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == CognitoStub.class || type == CognitoStubExtension.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CognitoStubExtension.class ? this : stub();
    }

    // ---------------------------------------------------------------- what tests use

    /**
     * The running stub, for everything the extension does not wrap (failure injection, key rotation,
     * the recorded RevokeToken calls).
     *
     * @return the stub
     * @throws IllegalStateException outside the tests (before the first, after the last)
     */
    public synchronized CognitoStub stub() {
        if (stub == null) {
            throw new IllegalStateException("the CognitoStub runs only while the tests run");
        }
        return stub;
    }

    /**
     * The app client id.
     *
     * @return the id given to {@link #withClient}, or {@value #DEFAULT_CLIENT_ID}
     */
    public String clientId() {
        return clientId;
    }

    /**
     * The app client's secret.
     *
     * @return the secret, or empty for a public client
     */
    public Optional<String> clientSecret() {
        return Optional.ofNullable(clientSecret);
    }

    /**
     * Signs a user in at the app client, as a successful {@code USER_PASSWORD_AUTH} would: a new
     * refresh-token family.
     *
     * @param username the user (registered on first use, with a stable {@code sub})
     * @return access, ID and refresh token
     */
    public StubTokens login(String username) {
        return stub().login(clientId, username);
    }

    /**
     * The filter's init-params for this stub: {@code region}, {@code userPoolId}, {@code clientId},
     * {@code endpoint}, {@code issuer}, {@code jwksUri} and, for a client with a secret,
     * {@code clientSecret}. Add {@code logoutPaths} and the rest as the test needs.
     *
     * @return a new modifiable map, in that order
     */
    public Map<String, String> initParameters() {
        CognitoStub s = stub();
        Map<String, String> params = new LinkedHashMap<>();
        params.put(RevocationSettings.REGION, s.region());
        params.put(RevocationSettings.USER_POOL_ID, s.userPoolId());
        params.put(RevocationSettings.CLIENT_ID, clientId);
        if (clientSecret != null) {
            params.put(RevocationSettings.CLIENT_SECRET, clientSecret);
        }
        params.put(RevocationSettings.ENDPOINT, s.endpoint().toString());
        params.put(RevocationSettings.ISSUER, s.issuer());
        params.put(RevocationSettings.JWKS_URI, s.jwksUri());
        return params;
    }

    /**
     * Settings for {@code TokenRevocationService.create(...)} against this stub: the same values as
     * {@link #initParameters()}, in a builder so the test can change the rest before {@code build()}.
     *
     * @return a new builder
     */
    public RevocationSettings.Builder settings() {
        CognitoStub s = stub();
        RevocationSettings.Builder settings = RevocationSettings.builder(s.region(), s.userPoolId(), clientId)
                .endpoint(s.endpoint().toString())
                .issuer(s.issuer())
                .jwksUri(s.jwksUri());
        if (clientSecret != null) {
            settings.clientSecret(clientSecret);
        }
        return settings;
    }
}
