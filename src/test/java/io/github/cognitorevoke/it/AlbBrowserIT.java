package io.github.cognitorevoke.it;

import static io.github.cognitorevoke.it.AppClient.REVOKED_CHALLENGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Behind a load balancer that authenticates with Cognito ({@link FakeAlb}, in front of the real server), in
 * a real headless browser: the browser signs in through the stub's managed login, the application is
 * reached with the access token in {@code X-Amzn-Oidc-Accesstoken} only; "Log out" (a form POST through
 * the ALB, with {@code albSessionCookie}) denylists the token's family, expires the ALB's
 * {@code <prefix>-0} and {@code -1} cookies in the browser and ends at Cognito's {@code /logout}; the kept
 * access token then gets 401 in the header, and the next visit through the ALB shows the sign-in form
 * (neither the ALB's session nor the managed-login session survived).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "wildfly|payara")
class AlbBrowserIT {

    private static final String CLIENT = "8albbrowser9n0p1q2r3s4t5u6v";
    private static final String SECRET = "it-alb-client-secret-3c9d";
    private static final String PREFIX = "AWSELBAuthSessionCookie";
    private static final String USER = "alice";
    private static final String PASSWORD = "Corr3ct-horse!";
    private static final Duration PAGE = Duration.ofSeconds(30);

    private static CognitoStub stub;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @ArquillianResource
    URL base;

    /** Starts the stub first, so that its address can go into the WAR. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, SECRET, true);
        stub.addUser(USER, PASSWORD);
        stub.setLogoutUrls(CLIENT, logoutUri());
        Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
        params.put("clientSecret", SECRET);
        params.put("cognitoDomain", stub.managedLoginDomain().toString());
        params.put("logoutUri", logoutUri());
        params.put("albSessionCookie", PREFIX);
        return TestWars.app("alb", params).addAsWebResource(new StringAsset("<!DOCTYPE html><title>ALB</title>"
                + "<h1 id=\"hello\">Signed in through the load balancer</h1>"
                + "<form method=\"post\" action=\"logout\"><button id=\"logout\">Log out</button></form>"), "page.html");
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
            stub = null;
        }
    }

    private static String logoutUri() {
        return stub.managedLoginDomain() + CognitoStub.SIGNED_OUT_PAGE;
    }

    @Test
    void signInThroughTheAlb_logOut_expiresItsCookies_revokesTheToken_andEndsAtCognitosLogout() throws Exception {
        URI server = URI.create(base.getProtocol() + "://" + base.getAuthority());
        ChromeDriver browser = Browser.start();
        try (FakeAlb alb = new FakeAlb(stub, CLIENT, SECRET, PREFIX, server)) {
            stub.setCallbackUrls(CLIENT, alb.callback());
            String page = alb.origin() + base.getPath() + "page.html";

            browser.get(page);
            new WebDriverWait(browser, PAGE).until(ExpectedConditions.presenceOfElementLocated(By.id("signInFormUsername")));
            browser.findElement(By.id("signInFormUsername")).sendKeys(USER);
            browser.findElement(By.id("signInFormPassword")).sendKeys(PASSWORD);
            browser.findElement(By.id("signInSubmitButton")).click();
            new WebDriverWait(browser, PAGE).until(ExpectedConditions.presenceOfElementLocated(By.id("hello")));
            assertThat(browser.getCurrentUrl()).isEqualTo(page);
            assertThat(albCookies(browser)).as("the ALB's session cookies in the browser")
                    .containsExactlyInAnyOrder(PREFIX + "-0", PREFIX + "-1");
            String access = alb.lastAccessToken();
            assertThat(albHeader(access).statusCode()).as("the live token in the ALB's header").isEqualTo(200);

            browser.findElement(By.id("logout")).click();
            new WebDriverWait(browser, PAGE).until(ExpectedConditions.urlToBe(logoutUri()));

            assertThat(stub.managedLogoutCalls()).last().satisfies(c -> assertThat(c.sessionEnded()).isTrue());
            assertThat(albCookies(browser)).as("the ALB's cookies, expired by the logout").isEmpty();
            HttpResponse<String> after = albHeader(access);
            assertThat(after.statusCode()).as("the logged-out token in the ALB's header").isEqualTo(401);
            assertThat(after.headers().firstValue("WWW-Authenticate")).hasValue(REVOKED_CHALLENGE);

            browser.get(page);
            new WebDriverWait(browser, PAGE).until(ExpectedConditions.presenceOfElementLocated(By.id("signInFormUsername")));
        } finally {
            browser.quit();
        }
    }

    /** The names of the ALB's cookies the browser holds, whatever page it shows (DevTools: every cookie). */
    @SuppressWarnings("unchecked")
    private static List<String> albCookies(ChromeDriver browser) {
        Map<String, Object> all = browser.executeCdpCommand("Network.getAllCookies", Map.of());
        return ((List<Map<String, Object>>) all.get("cookies")).stream().map(c -> (String) c.get("name"))
                .filter(n -> n.startsWith(PREFIX)).toList();
    }

    private HttpResponse<String> albHeader(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "protected")).header(FakeAlb.HEADER, token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
