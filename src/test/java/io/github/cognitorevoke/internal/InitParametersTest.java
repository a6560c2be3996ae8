package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InitParametersTest {

    private static final String SECRET = "s3cr3t-v4lue-never-shown";

    static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("region", "eu-west-1");
        p.put("userPoolId", "eu-west-1_AbCdEfGhI");
        p.put("clientId", "4h3l2k1j5g6f7d8s9a0p1o2i3u");
        return p;
    }

    private static RevocationSettings parse(Map<String, String> p) {
        return InitParameters.parse(p, name -> "COGNITO_SECRET".equals(name) ? SECRET : null,
                name -> "pool.id".equals(name) ? "eu-west-1_FromSysProp" : null);
    }

    private static void assertFails(Map<String, String> p, String parameter, String... fragments) {
        assertThatThrownBy(() -> parse(p))
                .isInstanceOf(RevocationConfigurationException.class)
                .satisfies(e -> assertThat(((RevocationConfigurationException) e).parameter()).isEqualTo(parameter))
                .hasMessageContaining("'" + parameter + "'")
                .hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void parse_requiredOnly_appliesCognitoDefaults() {
        RevocationSettings s = parse(valid());
        assertThat(s.issuer()).isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI");
        assertThat(s.jwksUri()).isEqualTo(URI.create(
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI/.well-known/jwks.json"));
        assertThat(s.logoutPaths()).containsExactly("/logout");
        assertThat(s.logoutRedirect()).isEmpty();
        assertThat(s.clientSecret()).isEmpty();
        assertThat(s.endpoint()).isEmpty();
        assertThat(s.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxTokenLifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(s.pendingDeadline()).isEqualTo(Duration.ofDays(1));
        assertThat(s.maxPendingRevocations()).isEqualTo(10_000);
        assertThat(s.maxPendingBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(s.auditLog()).isTrue();
    }

    @Test
    void parse_everyParameter_isRead() {
        Map<String, String> p = valid();
        p.put("userPoolId", "local_4xK2abcd");
        p.put("clientSecret", "${env:COGNITO_SECRET}");
        p.put("endpoint", "http://127.0.0.1:9229");
        p.put("issuer", "http://127.0.0.1:9229/local_4xK2abcd");
        p.put("jwksUri", "http://127.0.0.1:9229/local_4xK2abcd/.well-known/jwks.json");
        p.put("logoutPaths", " /logout , /api/signout");
        p.put("logoutRedirect", "/bye.html?x=1");
        p.put("accessTokenCookie", "AT");
        p.put("refreshTokenCookie", "RT");
        p.put("tokenResolver", "com.example.SessionTokens");
        p.put("clockSkew", "10s");
        p.put("cognitoTimeout", "PT2.5S");
        p.put("maxTokenLifetime", "2h");
        p.put("pendingDeadline", "PT12H");
        p.put("maxPendingRevocations", "500");
        p.put("maxPendingBytes", "512k");
        p.put("auditLog", " false ");
        RevocationSettings s = parse(p);
        assertThat(s.clientSecret()).contains(SECRET);
        assertThat(s.endpoint()).contains(URI.create("http://127.0.0.1:9229"));
        assertThat(s.issuer()).isEqualTo("http://127.0.0.1:9229/local_4xK2abcd");
        assertThat(s.logoutPaths()).containsExactlyInAnyOrder("/logout", "/api/signout");
        assertThat(s.logoutRedirect()).contains("/bye.html?x=1");
        assertThat(s.accessTokenCookie()).contains("AT");
        assertThat(s.refreshTokenCookie()).contains("RT");
        assertThat(s.tokenResolver()).contains("com.example.SessionTokens");
        assertThat(s.clockSkew()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.cognitoTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.maxTokenLifetime()).isEqualTo(Duration.ofHours(2));
        assertThat(s.pendingDeadline()).isEqualTo(Duration.ofHours(12));
        assertThat(s.maxPendingRevocations()).isEqualTo(500);
        assertThat(s.maxPendingBytes()).isEqualTo(512 * 1024);
        assertThat(s.auditLog()).isFalse();
        assertThat(s.toString()).contains("maxTokenLifetime=PT2H", "pendingDeadline=PT12H",
                "maxPendingRevocations=500", "maxPendingBytes=524288", "auditLog=false");
        assertThat(s.toString()).doesNotContain(SECRET).contains("clientSecret=(set)");
    }

    @Test
    void parse_sysPlaceholder_isResolved() {
        Map<String, String> p = valid();
        p.put("userPoolId", "${sys:pool.id}");
        assertThat(parse(p).userPoolId()).isEqualTo("eu-west-1_FromSysProp");
    }

    @ParameterizedTest
    @CsvSource({"region", "userPoolId", "clientId"})
    void parse_missingRequired_namesIt(String name) {
        Map<String, String> p = valid();
        p.remove(name);
        assertFails(p, name, "is required");
    }

    @Test
    void parse_blankRequired_namesIt() {
        Map<String, String> p = valid();
        p.put("clientId", "  ");
        assertFails(p, "clientId", "is required");
    }

    @Test
    void parse_unknownParameter_namesIt() {
        Map<String, String> p = valid();
        p.put("clientSecert", "x");
        assertFails(p, "clientSecert", "not a cognito-revoke parameter");
    }

    @Test
    void parse_misspelledParameter_suggestsClosestKnownName() {
        Map<String, String> p = valid();
        p.put("clientSecert", SECRET);
        assertFails(p, "clientSecert", "is not a cognito-revoke parameter; did you mean clientSecret?");
    }

    @ParameterizedTest
    @CsvSource({
            "clientSecert, clientSecret",   // two neighbours swapped: one edit
            "ClientID, clientId",           // case only
            "logoutPath, logoutPaths",      // one missing
            "regoin, region",
            "userpoolid, userPoolId",
            "jwksUrl, jwksUri",
            "maxPendingRevocation, maxPendingRevocations",
            "cognitoTimout, cognitoTimeout",
    })
    void closest_nearMiss_suggestsTheKnownName(String typed, String known) {
        assertThat(InitParameters.closest(typed, RevocationSettings.PARAMETERS)).containsExactly(known);
    }

    @ParameterizedTest
    @CsvSource({"foo", "secret", "timeout", "redirectUri", "poolId"})
    void closest_farFromEveryName_suggestsNothing(String typed) {
        assertThat(InitParameters.closest(typed, RevocationSettings.PARAMETERS)).isEmpty();
    }

    @Test
    void parse_unknownParameterFarFromEveryName_listsKnownNamesWithoutGuessing() {
        Map<String, String> p = valid();
        p.put("frobnicate", "x");
        assertFails(p, "frobnicate", "not a cognito-revoke parameter; known parameters are [region, userPoolId");
        assertThatThrownBy(() -> parse(p)).message().doesNotContain("did you mean");
    }

    @Test
    void closest_tie_namesEveryEquallyCloseName() {
        assertThat(InitParameters.closest("ab", Set.of("abc", "abd", "xyz"))).containsExactly("abc", "abd");
    }

    @ParameterizedTest
    @CsvSource({"abc, abc, 0", "ab, ba, 1", "abc, acb, 1", "abc, ab, 1", "abc, xbc, 1", "ca, abc, 3", "'', abc, 3"})
    void distance_countsInsertionsDeletionsSubstitutionsAndSwaps(String a, String b, int expected) {
        assertThat(InitParameters.distance(a, b)).isEqualTo(expected);
    }

    @Test
    void parse_placeholderDefault_usedWhenUnset_andBlankOptionalIsAbsent() {
        Map<String, String> p = valid();
        p.put("region", "${env:UNSET_REGION:-eu-west-1}");
        p.put("endpoint", "${env:UNSET_ENDPOINT:-}");
        p.put("clientSecret", "${env:COGNITO_SECRET:-fallback}");
        RevocationSettings s = parse(p);
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.endpoint()).isEmpty();
        assertThat(s.clientSecret()).contains(SECRET);
    }

    @Test
    void parse_unsetEnvironmentVariable_namesParameterAndVariable() {
        Map<String, String> p = valid();
        p.put("clientSecret", "${env:MISSING_SECRET}");
        assertFails(p, "clientSecret", "MISSING_SECRET", "not set");
    }

    @Test
    void parse_secretPastedAsVariableName_isNotEchoed() {
        Map<String, String> p = valid();
        p.put("clientSecret", "${env:1h2g3f4e5d6c7b8a9s0d1f2g3h4j5k6l7z8x9c0v1b2n3m4q5w6e}");
        assertThatThrownBy(() -> InitParameters.parse(p, n -> null, n -> null))
                .isInstanceOf(RevocationConfigurationException.class)
                .hasMessageContaining("clientSecret").hasMessageContaining("not set")
                .hasMessageNotContaining("1h2g3f4e5d6c7b8a9s0d1f2g3h4j5k6l7z8x9c0v1b2n3m4q5w6e");
    }

    @Test
    void parse_unsetEnvironmentVariableOfOptionalParameter_suggestsDefaultAndEmptyDefault() {
        Map<String, String> p = valid();
        p.put("clientSecret", "${env:MISSING_SECRET}");
        assertFails(p, "clientSecret", "'${env:MISSING_SECRET}' is not set in the environment",
                "set the environment variable MISSING_SECRET", "${env:MISSING_SECRET:-value}",
                "or ${env:MISSING_SECRET:-} to leave clientSecret unset");
    }

    @Test
    void parse_unsetEnvironmentVariableOfRequiredParameter_suggestsOnlyADefaultValue() {
        Map<String, String> p = valid();
        p.put("region", "${env:MISSING_REGION}");
        assertFails(p, "region", "${env:MISSING_REGION:-value}");
        assertThatThrownBy(() -> parse(p)).message().doesNotContain("${env:MISSING_REGION:-}");
    }

    @Test
    void parse_unsetSystemProperty_suggestsDashDAndDefault() {
        Map<String, String> p = valid();
        p.put("endpoint", "${sys:cognito.endpoint}");
        assertFails(p, "endpoint", "'${sys:cognito.endpoint}' is not set as a system property",
                "-Dcognito.endpoint=...", "${sys:cognito.endpoint:-value}", "${sys:cognito.endpoint:-} to leave endpoint unset");
    }

    @Test
    void parse_unsetVariableNextToSecretText_neverShowsTheSecret() {
        Map<String, String> p = valid();
        p.put("clientSecret", SECRET + "${env:MISSING_SUFFIX}");
        assertFails(p, "clientSecret", "MISSING_SUFFIX");
    }

    @Test
    void parse_unknownPlaceholderKind_fails() {
        Map<String, String> p = valid();
        p.put("clientSecret", "${ENV=COGNITO_SECRET}");
        assertFails(p, "clientSecret", "${env:NAME}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "region|EU_WEST_1|not an AWS region",
            "userPoolId|us-east-1_AbCdEfGhI|not a user pool id of region eu-west-1",
            "userPoolId|eu-west-1-AbC|not a user pool id",
            "clientId|has space|not an app client id",
            "endpoint|ftp://x|http:// or https://",
            "endpoint|not a url|not",
            "issuer|cognito-idp.eu-west-1.amazonaws.com/x|http:// or https://",
            "jwksUri|https://host/jwks?x=1|query",
            "logoutPaths|logout|context-relative path",
            "logoutPaths|/a,,/b|empty entry",
            "logoutPaths|/logout/*|context-relative path",
            "logoutRedirect|https://evil.example/|relative URL",
            "logoutRedirect|//evil.example/|relative URL",
            "logoutRedirect|/\\evil.example|relative URL",
            "logoutRedirect|javascript:alert(1)|relative URL",
            "accessTokenCookie|a b|cookie name",
            "refreshTokenCookie|a;b|cookie name",
            "tokenResolver|not a class|class name",
            "clockSkew|ten seconds|duration",
            "clockSkew|10m|between",
            "clockSkew|-PT1S|between",
            "cognitoTimeout|0s|above 0s",
            "cognitoTimeout|2m|at most 1m",
            "maxTokenLifetime|30s|between",
            "maxTokenLifetime|31d|between",
            "maxTokenLifetime|a day|duration",
            "pendingDeadline|0s|between",
            "pendingDeadline|365d|between",
            "maxPendingRevocations|0|between",
            "maxPendingRevocations|-1|whole number",
            "maxPendingRevocations|10k|whole number",
            "maxPendingRevocations|99999999999|whole number",
            "maxPendingBytes|1k|between",
            "maxPendingBytes|2048m|between",
            "maxPendingBytes|8 MB|size such as",
            "maxPendingBytes|8g|size such as",
            "auditLog|yes|neither true nor false",
            "auditLog|TRUE|neither true nor false",
            "auditLog|1|neither true nor false",
            "auditLog|flase|neither true nor false"})
    void parse_malformedValue_namesParameterAndValue(String name, String value, String fragment) {
        Map<String, String> p = valid();
        p.put(name, value);
        assertFails(p, name, fragment);
    }

    @Test
    void parse_endpointOverride_allowsEmulatorPoolIds() {
        Map<String, String> p = valid();
        p.put("userPoolId", "local_4xK2abcd");
        assertFails(p, "userPoolId", "eu-west-1_AbCdEfGhI");
        p.put("endpoint", "http://localhost:9229");
        assertThat(parse(p).userPoolId()).isEqualTo("local_4xK2abcd");
    }

    @Test
    void durations_acceptIsoAndShortForms() {
        assertThat(ParameterText.duration("x", "PT10M")).isEqualTo(Duration.ofMinutes(10));
        assertThat(ParameterText.duration("x", "10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(ParameterText.duration("x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ParameterText.duration("x", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ParameterText.duration("x", "1d")).isEqualTo(Duration.ofDays(1));
    }

    @ParameterizedTest
    @CsvSource({"8388608, 8388608", "512k, 524288", "512K, 524288", "8m, 8388608", "' 16k ', 16384"})
    void bytes_plainOrKiBOrMiB(String text, long bytes) {
        assertThat(ParameterText.bytes("maxPendingBytes", text)).isEqualTo(bytes);
    }

    @Test
    void parameters_listsEveryContractName() {
        assertThat(RevocationSettings.PARAMETERS).containsAll(Set.of("region", "userPoolId", "clientId",
                "clientSecret", "endpoint", "issuer", "jwksUri", "logoutPaths", "logoutRedirect",
                "accessTokenCookie", "refreshTokenCookie", "auditLog"));
    }
}
