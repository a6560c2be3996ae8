package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.it.oidc.OidcSettings;
import io.github.cognitorevoke.it.oidc.PageServlet;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.ManagedLogoutCall;
import io.github.cognitorevoke.testing.RevokeCall;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A server's own OpenID Connect login, driven by a real headless browser ({@link Browser}) against the
 * Cognito stub's managed login, with the filter reading the session's tokens without configuration:
 * <ul>
 *   <li>log in through the form → the protected page → "Log out" → the browser passes Cognito's
 *       {@code /logout} and lands on {@code logoutUri}; the refresh token was revoked at the stub; the old
 *       session cookie gets no page; the session's access and ID tokens get 401 as bearer tokens; "Log in"
 *       shows the form again (the managed-login session ended);</li>
 *   <li>tokens revoked elsewhere (an API logout of the same family) end the session on its next request: a
 *       script's call gets 401, a navigation is sent to sign in again and comes back with a new sign-in.
 *       That is also the control for the first case: a logout that does not pass Cognito's {@code /logout}
 *       leaves the managed-login session, and the user is signed straight back in without the form.</li>
 * </ul>
 * Subclasses deploy one WAR each (a constrained {@code /page}, the filter with {@code cognitoDomain} and
 * {@code logoutUri}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ServerOidcBrowserCase {

    static final String USER = "alice";
    static final String PASSWORD = "Corr3ct-horse!";
    static final String SECRET = "it-oidc-client-secret-0d5e";
    /** elytron-oidc-client's token cookie with {@code "token-store": "cookie"}. */
    static final String TOKEN_COOKIE = "OIDC_STATE";
    /** Any authenticated caller may see {@code /page}. */
    static final String CONSTRAINT = PageServlet.CONSTRAINT;

    private static CognitoStub stub;
    private static String clientId;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @ArquillianResource
    URL base;

    ChromeDriver browser;

    /** Starts the stub with a confidential app client and the user. */
    static CognitoStub startStub(String client) {
        stub = CognitoStub.start();
        clientId = client;
        stub.addClient(client, SECRET, true);
        stub.addUser(USER, PASSWORD);
        return stub;
    }

    /**
     * Starts the stub with the app client and the user, and returns the filter's init-params for it: the
     * client's secret, {@code cognitoDomain} and {@code logoutUri} on the stub.
     */
    static Map<String, String> startStubAndFilterParams(String client) {
        CognitoStub stub = startStub(client);
        Map<String, String> params = StubSettings.initParameters(stub, client);
        params.put("clientSecret", SECRET);
        params.put("cognitoDomain", stub.managedLoginDomain().toString());
        params.put("logoutUri", logoutUri(stub));
        return params;
    }

    /** @return the stub {@link #startStubAndFilterParams} started */
    static CognitoStub stub() {
        return stub;
    }

    /** The WAR's {@code oidc-it.properties}. */
    static String settings(CognitoStub stub, String client) {
        return OidcSettings.properties(stub.openIdProviderUri(), client, SECRET);
    }

    /**
     * Where Cognito's {@code /logout} sends the browser: a page the stub serves (Payara Micro picks its
     * port at start, so the application's own address is not known when the WAR is built).
     */
    static String logoutUri(CognitoStub stub) {
        return stub.managedLoginDomain() + CognitoStub.SIGNED_OUT_PAGE;
    }

    /** The redirect URI the server's OIDC client sends for a sign-in that started at {@code /page}. */
    abstract String callback(URL base);

    @BeforeEach
    void open() {
        stub.setCallbackUrls(clientId, callback(base));
        stub.setLogoutUrls(clientId, logoutUri(stub));
        browser = Browser.start();
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
            stub = null;
        }
    }

    @Test
    void logIn_seeThePage_logOut_sessionAndTokensEnd_andCognitosSessionToo() throws Exception {
        signInThroughTheForm();
        String access = browser.findElement(By.id("access")).getText();
        String id = browser.findElement(By.id("id")).getText();
        assertThat(access).as("the session's access token").isNotBlank();
        Stream.remember(access, id);
        String session = sessionCookie();
        assertThat(bearer(access).statusCode()).as("live token, bearer").isEqualTo(200);

        int revokesBefore = stub.revokeCallCount();
        browser.findElement(By.id("logout")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.urlToBe(logoutUri(stub)));
        assertThat(browser.findElement(By.id("signed-out")).getText()).isEqualTo("Signed out");

        List<ManagedLogoutCall> logouts = stub.managedLogoutCalls();
        assertThat(logouts).last().satisfies(c -> assertThat(c.sessionEnded()).isTrue());
        assertThat(stub.awaitRevokeCalls(revokesBefore + 1, Duration.ofSeconds(10))).isTrue();
        RevokeCall revoke = stub.revokeCalls().get(revokesBefore);
        assertThat(revoke.httpStatus()).isEqualTo(200);
        assertThat(stub.isRevoked(revoke.token())).as("the session's refresh token revoked").isTrue();

        HttpResponse<String> old = get("page", session, "navigate");
        assertThat(old.body()).as("the old session cookie gets no page").doesNotContain("Hello " + USER);
        assertThat(old.statusCode()).isNotEqualTo(200);
        assertThat(bearer(access).statusCode()).as("the session's access token, bearer").isEqualTo(401);
        assertThat(bearer(id).statusCode()).as("the session's ID token, bearer").isEqualTo(401);

        int formSignIns = stub.managedSignIns()[0];
        browser.get(base + "page");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("signInFormUsername")));
        assertThat(stub.managedSignIns()[0]).as("no sign-in without the form").isEqualTo(formSignIns);
    }

    @Test
    void tokensRevokedElsewhere_theSessionEndsOnItsNextRequest() throws Exception {
        signInThroughTheForm();
        String access = browser.findElement(By.id("access")).getText();
        Stream.remember(access);
        String session = sessionCookie();
        // the same family logged out through the API (another node, another tab's bearer logout)
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "logout"))
                .header("Authorization", "Bearer " + access).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isIn(204, 202);

        HttpResponse<String> script = get("page", session, "cors");
        assertThat(script.statusCode()).as("a script's call with the revoked session").isEqualTo(401);
        assertThat(get("page", session, "navigate").body()).doesNotContain("Hello " + USER);

        int sessionSignIns = stub.managedSignIns()[1];
        browser.get(base + "page");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("hello")));
        assertThat(stub.managedSignIns()[1]).as("signed in again through the managed-login session")
                .isEqualTo(sessionSignIns + 1);
        assertThat(browser.findElement(By.id("access")).getText()).as("a new sign-in's token").isNotEqualTo(access);
    }

    private void signInThroughTheForm() {
        browser.get(base + "page");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("signInFormUsername")));
        assertThat(browser.getCurrentUrl()).startsWith(stub.managedLoginDomain() + "/login?");
        browser.findElement(By.id("signInFormUsername")).sendKeys(USER);
        browser.findElement(By.id("signInFormPassword")).sendKeys(PASSWORD);
        browser.findElement(By.id("signInSubmitButton")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("hello")));
        assertThat(browser.findElement(By.id("hello")).getText()).isEqualTo("Hello " + USER);
    }

    /**
     * The browser's cookies for the application as they are now: the server's session cookie, or, with
     * elytron-oidc-client's cookie token store, the cookie that holds the tokens.
     */
    private String sessionCookie() {
        Cookie c = browser.manage().getCookieNamed(SecuredApp.SESSION_COOKIE);
        Cookie tokens = browser.manage().getCookieNamed(TOKEN_COOKIE);
        assertThat(c != null || tokens != null).as("the server's session cookie, or its token cookie").isTrue();
        return java.util.stream.Stream.of(c, tokens).filter(java.util.Objects::nonNull).map(k -> k.getName() + "=" + k.getValue())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private HttpResponse<String> get(String path, String cookie, String fetchMode) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                .header("Sec-Fetch-Mode", fetchMode).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> bearer(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "protected"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Remembers tokens for the server-log check. */
    private static final class Stream {
        static void remember(String... tokens) {
            for (String t : tokens) {
                if (t != null && !t.isEmpty()) {
                    RunSecrets.remember(t);
                }
            }
        }
    }
}
