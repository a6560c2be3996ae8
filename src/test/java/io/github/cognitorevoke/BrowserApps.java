package io.github.cognitorevoke;

import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Applications with the filter on embedded Jetty ({@link RevocationFilterTest#context}), each
 * context with its own extra init-params, against one Cognito wire stub whose app client
 * {@value #CLIENT} may sign out to {@value #LOGOUT_URI}; and a client that sends what a browser, an
 * API client or a load balancer would, never following redirects. A JUnit extension: register it
 * as a static field; it starts before the class, resets the stub before each test, stops after.
 */
final class BrowserApps implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** The app client of every context. */
    static final String CLIENT = "webclient";
    /** The allowed sign-out URL given as {@code logoutUri}. */
    static final String LOGOUT_URI = "http://127.0.0.1:8080/app/signed-out?from=cognito";
    /** {@link #LOGOUT_URI} percent-encoded, written out rather than computed. */
    static final String LOGOUT_URI_ENCODED = "http%3A%2F%2F127.0.0.1%3A8080%2Fapp%2Fsigned-out%3Ffrom%3Dcognito";
    /** The load balancer's cookie prefix given as {@code albSessionCookie}. */
    static final String ALB = "AWSELBAuthSessionCookie";
    /** The header the load balancer adds. */
    static final String ALB_HEADER = "X-Amzn-Oidc-Accesstoken";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final Function<CognitoStub, Map<String, Map<String, String>>> contexts;
    /** The stub; set once the class's applications started. */
    CognitoStub stub;
    private Server server;
    private String base;

    /**
     * Applications to start before the class.
     *
     * @param contexts given the stub: context path to the init-params it adds to the stub's
     */
    BrowserApps(Function<CognitoStub, Map<String, Map<String, String>>> contexts) {
        this.contexts = contexts;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        stub.setLogoutUrls(CLIENT, LOGOUT_URI);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ContextHandlerCollection handlers = new ContextHandlerCollection();
        contexts.apply(stub).forEach((path, extra) -> handlers.addHandler(JettyFixture.app(stub, path, extra)));
        server.setHandler(handlers);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Between tests: no queued Cognito failure, no recorded RevokeToken call. */
    @Override
    public void beforeEach(ExtensionContext context) {
        stub.clearFailures();
        stub.clearRevokeCalls();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            server.stop();
        } finally {
            stub.close();
        }
    }

    /**
     * Managed login against the stub, plus more init-params.
     *
     * @param stub the stub
     * @param more name, value, name, value...
     * @return the init-params
     */
    static Map<String, String> managedLogin(CognitoStub stub, String... more) {
        Map<String, String> p = new HashMap<>();
        p.put("cognitoDomain", stub.managedLoginDomain().toString());
        p.put("logoutUri", LOGOUT_URI);
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    /** Signs a user in at the stub, with this class's app client. */
    StubTokens login(String user) {
        return stub.login(CLIENT, user);
    }

    /** @return {@code http://127.0.0.1:<port>}, for raw requests */
    String base() {
        return base;
    }

    /** @return the exact {@code Location} of a browser's logout: the stub's {@code /logout}, written out */
    String cognitoLogout() {
        return stub.managedLoginDomain() + "/logout?client_id=" + CLIENT + "&logout_uri=" + LOGOUT_URI_ENCODED;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    HttpResponse<String> post(String path, String form, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), headers);
    }

    /** Follows a {@code Location} (to the stub's managed login) once. */
    static HttpResponse<String> follow(HttpResponse<String> redirect) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(redirect.headers().firstValue("Location").orElseThrow()))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest.Builder b, String... headers) throws Exception {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String form(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Max-Age=0, or the epoch Expires that containers write for it. */
    static boolean expired(String setCookie) {
        return setCookie.contains("Max-Age=0") || setCookie.contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
