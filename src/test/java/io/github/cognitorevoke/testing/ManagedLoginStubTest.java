package io.github.cognitorevoke.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stub's managed-login {@code GET /logout}, over HTTP, by Cognito's rules. */
class ManagedLoginStubTest {

    private static final String CLIENT = "webclient";
    private static final String SIGNED_OUT = "https://app.example.com/signed-out";
    private static final String CALLBACK = "https://app.example.com/callback";

    private static CognitoStub stub;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        stub.addClient("other", null, true);
        stub.setLogoutUrls(CLIENT, SIGNED_OUT, "http://localhost:8080/bye");
        stub.setCallbackUrls(CLIENT, CALLBACK);
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub.managedLoginDomain() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String errorPage(String error) {
        return stub.managedLoginDomain() + "/error?error=" + enc(error);
    }

    private static void assertSessionCleared(HttpResponse<String> r, boolean cleared) {
        if (cleared) {
            assertThat(r.headers().allValues("Set-Cookie")).singleElement().satisfies(c ->
                    assertThat(c).startsWith(CognitoStub.MANAGED_LOGIN_SESSION_COOKIE + "=;").contains("Max-Age=0"));
        } else {
            assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void logout_allowedLogoutUri_302ToIt_andSessionCookieCleared() throws Exception {
        HttpResponse<String> r = get("/logout?client_id=" + CLIENT + "&logout_uri=" + enc(SIGNED_OUT));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains(SIGNED_OUT);
        assertSessionCleared(r, true);
        assertThat(stub.managedLogoutCalls()).last()
                .isEqualTo(new ManagedLogoutCall(CLIENT, SIGNED_OUT, null, SIGNED_OUT, true));
    }

    @Test
    void logout_parametersInAnyOrder_accepted() throws Exception {
        HttpResponse<String> r = get("/logout?logout_uri=" + enc("http://localhost:8080/bye") + "&client_id=" + CLIENT);
        assertThat(r.headers().firstValue("Location")).contains("http://localhost:8080/bye");
    }

    @Test
    void logout_logoutUriNotAllowed_redirectMismatchErrorPage_sessionKept() throws Exception {
        for (String uri : new String[] {"https://evil.example/", SIGNED_OUT + "/", SIGNED_OUT.toUpperCase()}) {
            HttpResponse<String> r = get("/logout?client_id=" + CLIENT + "&logout_uri=" + enc(uri));
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).contains(errorPage("redirect_mismatch") + "&client_id=" + CLIENT);
            assertSessionCleared(r, false);
        }
        HttpResponse<String> page = get("/error?error=redirect_mismatch&client_id=" + CLIENT);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("An error was encountered", "redirect_mismatch");
    }

    @Test
    void logout_anotherClientsSignOutUrl_redirectMismatch() throws Exception {
        assertThat(get("/logout?client_id=other&logout_uri=" + enc(SIGNED_OUT)).headers().firstValue("Location"))
                .contains(errorPage("redirect_mismatch") + "&client_id=other");
    }

    @Test
    void logout_withoutClientId_requiredParametersMissing() throws Exception {
        HttpResponse<String> r = get("/logout?logout_uri=" + enc(SIGNED_OUT));
        assertThat(r.headers().firstValue("Location")).contains(errorPage("Required parameters missing"));
        assertSessionCleared(r, false);
    }

    @Test
    void logout_unknownClient_invalidClient() throws Exception {
        assertThat(get("/logout?client_id=nope&logout_uri=" + enc(SIGNED_OUT)).headers().firstValue("Location"))
                .contains(errorPage("invalid_client") + "&client_id=nope");
    }

    @Test
    void logout_genericOidcClientsParameters_requiredParametersMissing() throws Exception {
        HttpResponse<String> r = get("/logout?client_id=" + CLIENT + "&id_token_hint=abc&post_logout_redirect_uri="
                + enc(SIGNED_OUT));
        assertThat(r.headers().firstValue("Location")).contains(errorPage("Required parameters missing")
                + "&client_id=" + CLIENT);
        assertSessionCleared(r, false);
    }

    @Test
    void logout_redirectUriForm_302ToLoginWithTheParameters_sessionCleared() throws Exception {
        HttpResponse<String> r = get("/logout?response_type=code&client_id=" + CLIENT + "&redirect_uri=" + enc(CALLBACK)
                + "&state=s1&scope=openid");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains(stub.managedLoginDomain() + "/login?client_id=" + CLIENT
                + "&redirect_uri=" + enc(CALLBACK) + "&response_type=code&scope=openid&state=s1");
        assertSessionCleared(r, true);
    }

    @Test
    void logout_redirectUriNotACallbackUrl_redirectMismatch() throws Exception {
        assertThat(get("/logout?response_type=code&client_id=" + CLIENT + "&redirect_uri=" + enc(SIGNED_OUT))
                .headers().firstValue("Location")).contains(errorPage("redirect_mismatch") + "&client_id=" + CLIENT);
    }

    @Test
    void logout_redirectUriWithoutResponseType_requiredParametersMissing() throws Exception {
        assertThat(get("/logout?client_id=" + CLIENT + "&redirect_uri=" + enc(CALLBACK)).headers().firstValue("Location"))
                .contains(errorPage("Required parameters missing") + "&client_id=" + CLIENT);
    }

    @Test
    void logout_repeatedParameter_invalidRequest() throws Exception {
        assertThat(get("/logout?client_id=" + CLIENT + "&logout_uri=" + enc(SIGNED_OUT) + "&logout_uri="
                + enc("https://evil.example/")).headers().firstValue("Location")).contains(errorPage("invalid_request"));
    }

    @Test
    void logout_post_405AllowGet() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stub.managedLoginDomain() + "/logout?client_id="
                + CLIENT + "&logout_uri=" + enc(SIGNED_OUT))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void setLogoutUrls_unknownClient_refused() {
        assertThatThrownBy(() -> stub.setLogoutUrls("nope", SIGNED_OUT)).isInstanceOf(IllegalArgumentException.class);
    }
}
