package io.github.cognitorevoke.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.cognitorevoke.support.TestClock;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stub as an OpenID Connect provider, over HTTP, the way a server's OIDC client and a browser use it. */
class OidcStubTest {

    private static final String CLIENT = "webapp";
    private static final String SECRET = "s3cret";
    private static final String CALLBACK = "http://localhost:8080/app/callback";
    private static final String SIGNED_OUT = "http://localhost:8080/app/signed-out";
    private static final String VERIFIER = "a-verifier-of-at-least-forty-three-characters-0123456789";

    private static CognitoStub stub;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, SECRET, true);
        stub.addClient("public", null, true);
        stub.setCallbackUrls(CLIENT, CALLBACK);
        stub.setCallbackUrls("public", CALLBACK);
        stub.setLogoutUrls(CLIENT, SIGNED_OUT);
        stub.addUser("alice", "Passw0rd!");
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    @Test
    void discovery_underTheIssuer_namesTheEndpoints() throws Exception {
        HttpResponse<String> r = get(stub.openIdProviderUri() + "/.well-known/openid-configuration", null);
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> d = JSONObjectUtils.parse(r.body());
        String domain = stub.managedLoginDomain().toString();
        assertThat(d).containsEntry("issuer", stub.issuer())
                .containsEntry("jwks_uri", stub.jwksUri())
                .containsEntry("authorization_endpoint", domain + "/oauth2/authorize")
                .containsEntry("token_endpoint", domain + "/oauth2/token")
                .containsEntry("userinfo_endpoint", domain + "/oauth2/userInfo")
                .containsEntry("end_session_endpoint", domain + "/logout");
        assertThat(get(stub.jwksUri(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void codeFlowWithPkce_form_tokens_userInfo_refresh_revocation() throws Exception {
        String location = authorize(CLIENT, challenge(VERIFIER), null);
        assertThat(location).startsWith(stub.managedLoginDomain() + "/login?");
        HttpResponse<String> form = get(location, null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("id=\"signInFormUsername\"", "id=\"signInFormPassword\"");

        HttpResponse<String> wrong = submit(form.body(), "alice", "nope");
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("Incorrect username or password.");

        HttpResponse<String> signedIn = submit(form.body(), "alice", "Passw0rd!");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        String callback = signedIn.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(CALLBACK + "?code=").endsWith("&state=st-1");
        String code = param(callback, "code");

        assertThat(token(CLIENT, SECRET, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", CALLBACK, "code_verifier", "wrong-" + VERIFIER)).body()).contains("invalid_grant");
        // the failed attempt used the code up
        assertThat(token(CLIENT, SECRET, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", CALLBACK, "code_verifier", VERIFIER)).body()).contains("invalid_grant");

        // the managed-login session skips the form
        String again = authorize(CLIENT, challenge(VERIFIER), cookie(signedIn));
        assertThat(again).startsWith(CALLBACK + "?code=");
        HttpResponse<String> tokens = token(CLIENT, SECRET, Map.of("grant_type", "authorization_code",
                "code", param(again, "code"), "redirect_uri", CALLBACK, "code_verifier", VERIFIER));
        assertThat(tokens.statusCode()).isEqualTo(200);
        Map<String, Object> t = JSONObjectUtils.parse(tokens.body());
        StubTokens minted = new StubTokens((String) t.get("access_token"), (String) t.get("id_token"),
                (String) t.get("refresh_token"), null);
        assertThat(minted.idClaims().getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(minted.idClaims().getAudience()).containsExactly(CLIENT);
        assertThat(minted.accessClaims().getStringClaim("scope")).isEqualTo("openid profile");
        String originJti = minted.accessClaims().getStringClaim("origin_jti");
        assertThat(originJti).isNotNull().isEqualTo(minted.idClaims().getStringClaim("origin_jti"));
        assertThat(minted.accessClaims().getClaim("auth_time")).isNotNull();
        assertThat(minted.accessJti()).isNotNull();

        HttpResponse<String> info = userInfo(minted.accessToken());
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"username\":\"alice\"");

        HttpResponse<String> refreshed = token(CLIENT, SECRET, Map.of("grant_type", "refresh_token",
                "refresh_token", minted.refreshToken()));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        Map<String, Object> r = JSONObjectUtils.parse(refreshed.body());
        assertThat(r).doesNotContainKey("refresh_token");
        StubTokens next = new StubTokens((String) r.get("access_token"), (String) r.get("id_token"), null, null);
        assertThat(next.accessClaims().getStringClaim("origin_jti")).isEqualTo(originJti);
        assertThat(next.accessJti()).isNotEqualTo(minted.accessJti());

        revoke(minted.refreshToken(), CLIENT, SECRET);
        assertThat(stub.isRevoked(minted.refreshToken())).isTrue();
        assertThat(token(CLIENT, SECRET, Map.of("grant_type", "refresh_token",
                "refresh_token", minted.refreshToken())).body()).contains("invalid_grant");
        assertThat(userInfo(next.accessToken()).statusCode()).isEqualTo(401);
    }

    @Test
    void token_wrongSecretOrNoSecret_invalidClient_publicClientInForm() throws Exception {
        String code = param(signIn(CLIENT, null), "code");
        assertThat(token(CLIENT, "wrong", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", CALLBACK)).body()).contains("invalid_client");
        Map<String, String> noSecret = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", CALLBACK, "client_id", CLIENT));
        assertThat(token(null, null, noSecret).body()).contains("invalid_client");

        String publicCode = param(signIn("public", challenge(VERIFIER)), "code");
        HttpResponse<String> ok = token(null, null, Map.of("grant_type", "authorization_code", "code", publicCode,
                "redirect_uri", CALLBACK, "client_id", "public", "code_verifier", VERIFIER));
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    @Test
    void authorize_foreignRedirectUri_errorPage_neverTheForeignUri() throws Exception {
        HttpResponse<String> r = get(stub.managedLoginDomain() + "/oauth2/authorize?response_type=code&client_id="
                + CLIENT + "&redirect_uri=" + enc("https://evil.example/cb"), null);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow())
                .startsWith(stub.managedLoginDomain() + "/error?error=redirect_mismatch");
    }

    @Test
    void logout_endsTheManagedLoginSession_nextAuthorizeShowsTheForm() throws Exception {
        String location = authorize(CLIENT, null, null);
        HttpResponse<String> signedIn = submit(get(location, null).body(), "alice", "Passw0rd!");
        String cookie = cookie(signedIn);
        assertThat(authorize(CLIENT, null, cookie)).startsWith(CALLBACK);
        HttpResponse<String> out = get(stub.managedLoginDomain() + "/logout?client_id=" + CLIENT + "&logout_uri="
                + enc(SIGNED_OUT), cookie);
        assertThat(out.headers().firstValue("Location")).contains(SIGNED_OUT);
        // even a browser that kept the cookie is asked for the password again
        assertThat(authorize(CLIENT, null, cookie)).startsWith(stub.managedLoginDomain() + "/login?");
    }

    @Test
    void managedLoginSession_signsInAgainWithTheFirstAuthTime_theFormWithANewOne() throws Exception {
        TestClock clock = new TestClock(java.time.Instant.parse("2026-12-01T10:00:00.250Z"));
        CognitoStub own = CognitoStub.builder().clock(clock).start();
        try {
            own.addClient(CLIENT, SECRET, true);
            own.setCallbackUrls(CLIENT, CALLBACK);
            own.addUser("alice", "Passw0rd!");
            String form = get(authorize(own, null), null).body();
            HttpResponse<String> signedIn = submit(own, form, "alice", "Passw0rd!");
            long first = authTime(own, param(signedIn.headers().firstValue("Location").orElseThrow(), "code"));
            assertThat(first).isEqualTo(clock.instant().getEpochSecond());

            clock.advance(java.time.Duration.ofMinutes(10));
            String again = authorize(own, cookie(signedIn));
            assertThat(again).startsWith(CALLBACK + "?code=");
            // no password typed: the session's tokens keep the time of the one authentication
            assertThat(authTime(own, param(again, "code"))).isEqualTo(first);

            HttpResponse<String> typedAgain = submit(own, get(authorize(own, null), null).body(), "alice", "Passw0rd!");
            assertThat(authTime(own, param(typedAgain.headers().firstValue("Location").orElseThrow(), "code")))
                    .isEqualTo(clock.instant().getEpochSecond()).isGreaterThan(first);
        } finally {
            own.close();
        }
    }

    private static String authorize(CognitoStub on, String cookie) throws Exception {
        HttpResponse<String> r = get(on.managedLoginDomain() + "/oauth2/authorize?response_type=code&client_id=" + CLIENT
                + "&redirect_uri=" + enc(CALLBACK) + "&scope=openid&state=st-2", cookie);
        assertThat(r.statusCode()).isEqualTo(302);
        return r.headers().firstValue("Location").orElseThrow();
    }

    private static long authTime(CognitoStub on, String code) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(on.managedLoginDomain() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((CLIENT + ":" + SECRET).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + enc(code)
                        + "&redirect_uri=" + enc(CALLBACK))).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> t = JSONObjectUtils.parse(r.body());
        StubTokens minted = new StubTokens((String) t.get("access_token"), (String) t.get("id_token"), null, null);
        long access = minted.accessClaims().getDateClaim("auth_time").toInstant().getEpochSecond();
        assertThat(minted.idClaims().getDateClaim("auth_time").toInstant().getEpochSecond()).isEqualTo(access);
        return access;
    }

    // ---------------------------------------------------------------- helpers

    private static String signIn(String client, String challenge) throws Exception {
        HttpResponse<String> form = get(authorize(client, challenge, null), null);
        return submit(form.body(), "alice", "Passw0rd!").headers().firstValue("Location").orElseThrow();
    }

    private static String authorize(String client, String challenge, String cookie) throws Exception {
        String url = stub.managedLoginDomain() + "/oauth2/authorize?response_type=code&client_id=" + client
                + "&redirect_uri=" + enc(CALLBACK) + "&scope=" + enc("openid profile") + "&state=st-1&nonce=n-1"
                + (challenge == null ? "" : "&code_challenge=" + challenge + "&code_challenge_method=S256");
        HttpResponse<String> r = get(url, cookie);
        assertThat(r.statusCode()).isEqualTo(302);
        return r.headers().firstValue("Location").orElseThrow();
    }

    /** Posts the form's hidden fields with the credentials, as a browser does. */
    private static HttpResponse<String> submit(String formHtml, String username, String password) throws Exception {
        return submit(stub, formHtml, username, password);
    }

    private static HttpResponse<String> submit(CognitoStub on, String formHtml, String username, String password)
            throws Exception {
        Matcher m = Pattern.compile("type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"").matcher(formHtml);
        StringBuilder body = new StringBuilder();
        while (m.find()) {
            body.append(enc(unescape(m.group(1)))).append('=').append(enc(unescape(m.group(2)))).append('&');
        }
        body.append("username=").append(enc(username)).append("&password=").append(enc(password));
        return http.send(HttpRequest.newBuilder(URI.create(on.managedLoginDomain() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> token(String client, String secret, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stub.managedLoginDomain() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (client != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> userInfo(String accessToken) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub.managedLoginDomain() + "/oauth2/userInfo"))
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void revoke(String refreshToken, String client, String secret) throws Exception {
        String body = "{\"Token\":\"" + refreshToken + "\",\"ClientId\":\"" + client + "\",\"ClientSecret\":\""
                + secret + "\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(stub.endpoint())
                .header("Content-Type", CognitoStub.AMZ_JSON_1_1)
                .header("X-Amz-Target", CognitoStub.TARGET_PREFIX + "RevokeToken")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(HttpResponse<String> r) {
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(CognitoStub.MANAGED_LOGIN_SESSION_COOKIE + "=");
        return setCookie.split(";", 2)[0];
    }

    private static String challenge(String verifier) throws Exception {
        return Base64URL.encode(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII))).toString();
    }

    private static String param(String url, String name) {
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in the redirect");
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
