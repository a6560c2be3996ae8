package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The browser-app init-params: managed login, the load balancer's cookies, sign-out-everywhere paths. */
class BrowserParametersTest {

    private static final String DOMAIN = "https://myapp.auth.eu-west-1.amazoncognito.com";
    private static final String LOGOUT_URI = "https://app.example.com/signed-out";

    private static RevocationSettings parse(Map<String, String> extra) {
        Map<String, String> p = InitParametersTest.valid();
        p.putAll(extra);
        return InitParameters.parse(p, name -> null, name -> null);
    }

    private static void assertFails(Map<String, String> extra, String parameter, String... fragments) {
        assertThatThrownBy(() -> parse(extra))
                .isInstanceOf(RevocationConfigurationException.class)
                .satisfies(e -> assertThat(((RevocationConfigurationException) e).parameter()).isEqualTo(parameter))
                .hasMessageContaining("'" + parameter + "'")
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    @Test
    void parse_none_noManagedLoginNoAlbNoSignOutPaths() {
        RevocationSettings s = parse(Map.of());
        assertThat(s.cognitoDomain()).isEmpty();
        assertThat(s.logoutUri()).isEmpty();
        assertThat(s.albSessionCookie()).isEmpty();
        assertThat(s.signOutEverywherePaths()).isEmpty();
    }

    @Test
    void parse_all_areRead_andShown() {
        RevocationSettings s = parse(Map.of("cognitoDomain", " " + DOMAIN + "/ ", "logoutUri", LOGOUT_URI + "?bye=1",
                "albSessionCookie", "AWSELBAuthSessionCookie", "signOutEverywherePaths", "/everywhere, /api/all"));
        assertThat(s.cognitoDomain()).contains(URI.create(DOMAIN));
        assertThat(s.logoutUri()).contains(URI.create(LOGOUT_URI + "?bye=1"));
        assertThat(s.albSessionCookie()).contains("AWSELBAuthSessionCookie");
        assertThat(s.signOutEverywherePaths()).containsExactlyInAnyOrder("/everywhere", "/api/all");
        assertThat(s.toString()).contains("cognitoDomain=" + DOMAIN + ",", "logoutUri=" + LOGOUT_URI + "?bye=1",
                "albSessionCookie=AWSELBAuthSessionCookie");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9229", "http://127.5.4.3", "http://localhost:8080", "http://LOCALHOST",
            "http://[::1]:9229", "HTTPS://auth.example.com", "https://auth.example.com:8443"})
    void cognitoDomain_httpsOrLoopbackHttp_accepted(String domain) {
        assertThat(parse(Map.of("cognitoDomain", domain, "logoutUri", LOGOUT_URI)).cognitoDomain()).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://myapp.auth.eu-west-1.amazoncognito.com|must use https://",
            "http://127.0.0.256|'http://127.0.0.256'",
            "http://127.1|'http://127.1'",
            "http://localhost.evil.example|must use https://",
            "http://[::2]|must use https://",
            "http://10.0.0.1|must use https://",
            "myapp.auth.eu-west-1.amazoncognito.com|is not an absolute https:// URL",
            "//myapp.auth.eu-west-1.amazoncognito.com|is not an absolute https:// URL",
            "ftp://myapp.example.com|is not an absolute https:// URL",
            "https:myapp|is not an absolute https:// URL",
            "https://myapp.example.com/logout|must be the domain alone",
            "https://myapp.example.com/x/|must be the domain alone",
            "https://myapp.example.com?x=1|must be the domain alone",
            "https://myapp.example.com#top|must not carry user info or a fragment",
            "https://user:pw@myapp.example.com|must not carry user info or a fragment",
            "https://myäpp.example.com|must be visible ASCII",
            "https://my app.example.com|must be visible ASCII"})
    void cognitoDomain_bad_failsNamingIt(String domain, String why) {
        assertFails(Map.of("cognitoDomain", domain, "logoutUri", LOGOUT_URI), "cognitoDomain", why);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/signed-out|is not an absolute https:// URL",
            "signed-out.html|is not an absolute https:// URL",
            "//app.example.com/signed-out|is not an absolute https:// URL",
            "javascript:alert(1)|is not an absolute https:// URL",
            "http://app.example.com/signed-out|must use https://",
            "https://app.example.com/signed-out#x|must not carry user info or a fragment",
            "https://evil.example@app.example.com/|must not carry user info or a fragment"})
    void logoutUri_bad_failsNamingIt(String uri, String why) {
        assertFails(Map.of("cognitoDomain", DOMAIN, "logoutUri", uri), "logoutUri", why);
    }

    @Test
    void logoutUri_withCrLf_failsWithoutEchoingTheControlCharacters() {
        assertThatThrownBy(() -> parse(Map.of("cognitoDomain", DOMAIN,
                "logoutUri", LOGOUT_URI + "\r\nSet-Cookie: x=1")))
                .isInstanceOf(RevocationConfigurationException.class)
                .hasMessageContaining("'logoutUri'").hasMessageContaining("visible ASCII")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n"));
    }

    @Test
    void cognitoDomain_withoutLogoutUri_failsNamingLogoutUri() {
        assertFails(Map.of("cognitoDomain", DOMAIN), "logoutUri", "is required with cognitoDomain");
    }

    @Test
    void logoutUri_withoutCognitoDomain_failsNamingCognitoDomain() {
        assertFails(Map.of("logoutUri", LOGOUT_URI), "cognitoDomain", "is required with logoutUri");
    }

    @Test
    void logoutUri_loopbackHttp_accepted() {
        assertThat(parse(Map.of("cognitoDomain", DOMAIN, "logoutUri", "http://localhost:8080/app/bye")).logoutUri())
                .contains(URI.create("http://localhost:8080/app/bye"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AWSELB Auth", "AWSELB;x", "ALB=1", "AWSELB\r\nSet-Cookie"})
    void albSessionCookie_notACookieName_failsNamingIt(String prefix) {
        assertFails(Map.of("albSessionCookie", prefix), "albSessionCookie", "is not a valid cookie name");
    }

    @Test
    void signOutEverywherePaths_overlappingTheDefaultLogoutPath_failsNamingBoth() {
        assertFails(Map.of("signOutEverywherePaths", "/everywhere, /logout"), "signOutEverywherePaths",
                "'/logout' is also one of logoutPaths");
    }

    @Test
    void signOutEverywherePaths_overlappingConfiguredLogoutPaths_failsNamingBoth() {
        assertFails(Map.of("logoutPaths", "/bye, /auth/out", "signOutEverywherePaths", "/auth/out"),
                "signOutEverywherePaths", "'/auth/out' is also one of logoutPaths");
    }

    @ParameterizedTest
    @ValueSource(strings = {"everywhere", "/all/*", "/all?x=1", "/a, ,/b"})
    void signOutEverywherePaths_malformed_failsNamingIt(String paths) {
        assertFails(Map.of("signOutEverywherePaths", paths), "signOutEverywherePaths", "'");
    }

    @Test
    void logoutLocation_percentEncodesTheLogoutUri_andTheClientId() {
        String location = ManagedLogin.logoutLocation(URI.create(DOMAIN), "ab+c",
                URI.create("https://app.example.com/signed out?a=1&b=%41~".replace(" ", "%20")));
        assertThat(location).isEqualTo(DOMAIN + "/logout?client_id=ab%2Bc&logout_uri="
                + "https%3A%2F%2Fapp.example.com%2Fsigned%2520out%3Fa%3D1%26b%3D%2541~");
    }
}
