package io.github.cognitorevoke.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cognitorevoke.it.Browser;
import io.github.cognitorevoke.it.RunSecrets;
import io.github.cognitorevoke.it.TestWars;
import io.github.cognitorevoke.it.app.MetricsProbe;
import io.github.cognitorevoke.it.oidc.JakartaOidcApp;
import io.github.cognitorevoke.it.oidc.OidcSettings;
import io.github.cognitorevoke.it.oidc.PageServlet;
import io.github.cognitorevoke.support.RedisProcess;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A browser session of the server's own OpenID Connect login across two real WildFly nodes that share
 * their denylist through one real {@code redis-server}: Jakarta Security 3's OIDC mechanism signs the
 * user in on node B through the Cognito stub's managed login in a real headless browser; the user then
 * signs out everywhere (another browser, on node A) or logs the session's token family out on node A;
 * B ends its session on the next request, with no setting but {@code redisUri}. Without the shared tier
 * B would know nothing of it and the session would go on.
 *
 * <p>Each node is a separate JVM this test starts and stops by PID ({@link WildFlyNode}, the same
 * offsets as {@link SharedDenylistClusterIT}, which has stopped its nodes by then); the stub runs in this
 * JVM. Two browsers, since cookies ignore the port: one browser's session cookie on A would replace
 * its session cookie on B.
 */
class BrowserSessionClusterIT {

    private static final String CONTEXT = "cluster-oidc";
    private static final String CLIENT = "7clusteroidc8m9n0p1q2r3s4t5";
    private static final String SECRET = "it-cluster-oidc-secret-61f2";
    private static final String USER = "alice";
    private static final String PASSWORD = "Corr3ct-horse!";
    /** Pub/sub delivers in milliseconds; this only absorbs a loaded 2-core machine. */
    private static final Duration PROPAGATION = Duration.ofSeconds(10);
    private static final Duration PAGE = Duration.ofSeconds(30);
    /**
     * How far the identity provider's clock runs behind the nodes': a browser signed in again at once after a
     * sign-out everywhere gets tokens the cut-off rejects for this long, whatever the machine's speed (a
     * browser sent round at once would give up after 20 redirects well within it).
     */
    private static final Duration STUB_BEHIND = Duration.ofSeconds(4);

    private static CognitoStub stub;
    private static RedisProcess redis;
    private static WildFlyNode nodeA;
    private static WildFlyNode nodeB;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private ChromeDriver onB;
    private ChromeDriver onA;

    @BeforeAll
    static void startCluster() {
        if (!Boolean.getBoolean("it.cluster")) {
            return; // see skipOutsideTheClusterExecution
        }
        Path dir = Path.of(System.getProperty("it.build.dir", "target")).resolve("cluster-oidc");
        stub = CognitoStub.start(Clock.offset(Clock.systemUTC(), STUB_BEHIND.negated()));
        stub.addClient(CLIENT, SECRET, true);
        stub.addUser(USER, PASSWORD);
        redis = RedisProcess.start("cluster-oidc");
        Path war = exportWar(dir.resolve(CONTEXT + ".war"));
        Path wildflyHome = Path.of(System.getProperty("it.wildfly.home"));
        nodeA = new WildFlyNode("oidc-a", wildflyHome, dir.resolve("node-a"), 400, Map.of());
        nodeB = new WildFlyNode("oidc-b", wildflyHome, dir.resolve("node-b"), 500, Map.of());
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
            nodeA.start();
            nodeA.deploy(war);
        });
        nodeB.start();
        nodeB.deploy(war);
        a.join();
        stub.setCallbackUrls(CLIENT, nodeA.url(CONTEXT) + "callback", nodeB.url(CONTEXT) + "callback");
        stub.setLogoutUrls(CLIENT, logoutUri());
        for (WildFlyNode node : new WildFlyNode[] {nodeA, nodeB}) {
            await("the first sync with Redis on " + node).atMost(PROPAGATION).until(() -> ready(node));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        WildFlyNode.closeAll(nodeB, nodeA, redis, stub);
    }

    /** Runs in the Failsafe execution {@code it-cluster} only (see {@link SharedDenylistClusterIT}). */
    @BeforeEach
    void skipOutsideTheClusterExecution() {
        assumeTrue(Boolean.getBoolean("it.cluster"), "a cluster test: runs in the Failsafe execution it-cluster");
    }

    @AfterEach
    void closeBrowsers() {
        for (ChromeDriver browser : new ChromeDriver[] {onB, onA}) {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    @Test
    void signOutEverywhereOnA_endsTheBrowserSessionOnB_onItsNextRequest() throws Exception {
        onB = Browser.start();
        String access = signInThroughTheForm(onB, nodeB);
        String session = liveSessionOnB();

        onA = Browser.start(); // the same user on another device, served by node A
        signInThroughTheForm(onA, nodeA);
        onA.findElement(By.id("signout-everywhere")).click();
        new WebDriverWait(onA, PAGE).until(ExpectedConditions.urlToBe(logoutUri()));
        assertThat(stub.globalSignOutCount()).as("GlobalSignOut at Cognito").isEqualTo(1);

        await("B ends the session signed out everywhere on A").atMost(PROPAGATION)
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(get(nodeB, session, "cors").statusCode())
                        .as("a script's call on B with the session signed out on A").isEqualTo(401));
        HttpResponse<String> page = get(nodeB, session, "navigate");
        assertThat(page.body()).as("a navigation with the ended session").doesNotContain("Hello " + USER);
        assertThat(page.statusCode()).isNotEqualTo(200);

        // The browser's own next request, at once: the managed-login session signs it straight back in, with
        // tokens the cut-off still rejects (tokens carry whole seconds, and the stub's clock runs behind the
        // nodes'). It is told to come back when they pass, never sent round the sign-in until it gives up.
        int sessionSignIns = stub.managedSignIns()[1];
        onB.get(nodeB.url(CONTEXT) + "page");
        try {
            new WebDriverWait(onB, PAGE).until(ExpectedConditions.presenceOfElementLocated(By.id("hello")));
        } catch (org.openqa.selenium.TimeoutException e) {
            String source = onB.getPageSource();
            String url = onB.getCurrentUrl(); // without its query: an authorization code stays out of the report
            throw new AssertionError("no new sign-in on B; the browser shows " + url.replaceAll("\\?.*", "")
                    + (source.contains("ERR_TOO_MANY_REDIRECTS") ? " (ERR_TOO_MANY_REDIRECTS)" : ""), e);
        }
        assertThat(onB.findElement(By.id("access")).getText()).as("only a new sign-in's token").isNotEqualTo(access);
        assertThat(stub.managedSignIns()[1] - sessionSignIns)
                .as("signed in again through the managed-login session: refused at first, then accepted")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void logoutOnA_ofTheSessionsTokens_endsTheBrowserSessionOnB_onItsNextRequest() throws Exception {
        onB = Browser.start();
        String access = signInThroughTheForm(onB, nodeB);
        String session = liveSessionOnB();

        // the same token family logged out through A's API (a script of the same user on A)
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(nodeA.url(CONTEXT) + "logout"))
                .header("Authorization", "Bearer " + access).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as("API logout on A").isEqualTo(204);

        await("B ends the session logged out on A").atMost(PROPAGATION).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(get(nodeB, session, "cors").statusCode())
                        .as("a script's call on B with the session logged out on A").isEqualTo(401));
        onB.get(nodeB.url(CONTEXT) + "page");
        assertNoPageWithTheOldToken(access);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Either the login form or a new sign-in (the managed-login session may still sign the user in). */
    private void assertNoPageWithTheOldToken(String access) {
        new WebDriverWait(onB, PAGE).until(ExpectedConditions.or(
                ExpectedConditions.presenceOfElementLocated(By.id("signInFormUsername")),
                ExpectedConditions.presenceOfElementLocated(By.id("hello"))));
        if (!onB.findElements(By.id("access")).isEmpty()) {
            assertThat(onB.findElement(By.id("access")).getText()).as("only a new sign-in's token")
                    .isNotEqualTo(access);
        }
    }

    /** Signs in on a node through the stub's form; returns the session's access token the page shows. */
    private static String signInThroughTheForm(ChromeDriver browser, WildFlyNode node) {
        browser.get(node.url(CONTEXT) + "page");
        new WebDriverWait(browser, PAGE).until(ExpectedConditions.presenceOfElementLocated(By.id("signInFormUsername")));
        browser.findElement(By.id("signInFormUsername")).sendKeys(USER);
        browser.findElement(By.id("signInFormPassword")).sendKeys(PASSWORD);
        browser.findElement(By.id("signInSubmitButton")).click();
        new WebDriverWait(browser, PAGE).until(ExpectedConditions.presenceOfElementLocated(By.id("hello")));
        assertThat(browser.findElement(By.id("hello")).getText()).isEqualTo("Hello " + USER);
        String access = browser.findElement(By.id("access")).getText();
        assertThat(access).as("the session's access token").isNotBlank();
        RunSecrets.remember(access);
        RunSecrets.remember(browser.findElement(By.id("id")).getText());
        return access;
    }

    /** The session cookie of the browser on B, whose session serves a script's call now. */
    private String liveSessionOnB() throws Exception {
        Cookie c = onB.manage().getCookieNamed("JSESSIONID");
        assertThat(c).as("the server's session cookie").isNotNull();
        String session = c.getName() + "=" + c.getValue();
        assertThat(get(nodeB, session, "cors").statusCode()).as("B's session, live").isEqualTo(200);
        return session;
    }

    private static HttpResponse<String> get(WildFlyNode node, String cookie, String fetchMode) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.url(CONTEXT) + "page")).header("Cookie", cookie)
                .header("Sec-Fetch-Mode", fetchMode).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean ready(WildFlyNode node) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.url(CONTEXT) + "metrics-probe"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("health.ready=true");
    }

    /** Where Cognito's {@code /logout} sends the browser: a page the stub serves. */
    private static String logoutUri() {
        return stub.managedLoginDomain() + CognitoStub.SIGNED_OUT_PAGE;
    }

    /** Both nodes' application: Jakarta Security OIDC, the filter on the stub, the shared tier on Redis. */
    private static Path exportWar(Path file) {
        Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
        params.put("clientSecret", SECRET);
        params.put("cognitoDomain", stub.managedLoginDomain().toString());
        params.put("logoutUri", logoutUri());
        params.put("signOutEverywherePaths", "/signout-everywhere");
        params.put("redisUri", redis.uri());
        params.put("redisKeyPrefix", "cluster-oidc-it:");
        params.put("redisTimeout", "2s");
        params.put("redisSyncTimeout", "30s");
        WebArchive war = TestWars.app(CONTEXT, params, PageServlet.class, OidcSettings.class, JakartaOidcApp.class,
                        MetricsProbe.class)
                .setWebXML(new StringAsset(TestWars.webXml(params, PageServlet.CONSTRAINT)))
                .addAsResource(new StringAsset(OidcSettings.properties(stub.openIdProviderUri(), CLIENT, SECRET)), "oidc-it.properties")
                .addAsWebInfResource(new StringAsset(
                        "<jboss-web><security-domain>cognito-revoke-it</security-domain></jboss-web>\n"), "jboss-web.xml")
                .addAsLibraries(TestWars.lettuceJars());
        return TestWars.exportTo(war, file);
    }
}
