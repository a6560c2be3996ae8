package io.github.cognitorevoke.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.InitParameters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the init-param parser: for any params, environment and system properties it returns
 * settings or throws {@link RevocationConfigurationException} whose message names the parameter and
 * never shows the client secret, neither as written nor as resolved from the environment.
 *
 * <p>The secret is made recognizable: the {@code clientSecret} value always carries
 * {@link #SECRET}, and every environment variable or system property named {@code SECRET_*} (which
 * no other parameter can name: the marker text is removed from their values) resolves to a value
 * that carries {@link #SECRET_ENV}. Neither marker may appear in any message.
 */
class InitParametersFuzzTest {

    private static final String SECRET = "s3cr3t-Written";
    private static final String SECRET_ENV = "s3cr3t-FromEnv";
    private static final List<String> NAMES = new ArrayList<>(RevocationSettings.PARAMETERS);
    private static final String[] VALUES = {
        "eu-west-1", "eu-west-1_AbCdEfGhI", "us-east-1_x", "client_1+a", "10m", "30s", "500ms", "2h", "1d",
        "999999999d", "PT5M", "PT-1S", "P1D", "PT0S", "0s", "5m", "301s", "1m", "61s",
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI", "http://localhost:9229",
        "https://h/p?q", "https://u@h", "https://h#f", "http://", "ftp://h", "://", "http://[::1", "/logout",
        "/logout, /signout", ",", " , ", "access_token", "__Host-at", "a b", "a;b", "com.example.Resolver",
        "1abc", "${env:A}", "${sys:b}", "${env:A:-d}", "${env:}", "${env: :-x}", "${env::-x}", "${other:x}",
        "${env:A", "$${env:A}}", "${env:${env:A}}", "${sys:b:-}", "\\${env:A}", "$", "${", "}", "",
        " ", "\u00e9", "\u0000",
    };

    @FuzzTest(maxDuration = "30s")
    void parse_anyParameters_settingsOrConfigurationErrorWithoutTheSecret(FuzzedDataProvider data) {
        check(data);
    }

    static void check(FuzzedDataProvider data) {
        Map<String, String> env = lookups(data);
        Map<String, String> sys = lookups(data);
        Map<String, String> params = new HashMap<>();
        if (data.consumeBoolean()) {
            // Start from a valid configuration, so that the parser's later checks are reached.
            params.put(RevocationSettings.REGION, "eu-west-1");
            params.put(RevocationSettings.USER_POOL_ID, "eu-west-1_AbCdEfGhI");
            params.put(RevocationSettings.CLIENT_ID, "client1");
        }
        int n = data.consumeInt(0, 8);
        for (int k = 0; k < n; k++) {
            String name = data.consumeInt(0, 7) == 0 ? clean(data.consumeString(16))
                    : NAMES.get(data.consumeInt(0, NAMES.size() - 1));
            params.put(name, data.consumeInt(0, 31) == 0 ? null : clean(value(data)));
        }
        if (data.consumeBoolean()) {
            params.put(RevocationSettings.CLIENT_SECRET, secret(data));
        }
        try {
            RevocationSettings settings = InitParameters.parse(params, env::get, sys::get);
            assertThat(settings).isNotNull();
        } catch (RevocationConfigurationException e) {
            Set<String> names = new LinkedHashSet<>(params.keySet());
            names.addAll(RevocationSettings.PARAMETERS);
            assertThat(e.parameter()).as("the parameter at fault").isIn(names);
            assertThat(e.getMessage()).contains("'" + e.parameter() + "'");
            if (RevocationSettings.CLIENT_SECRET.equals(e.parameter())) {
                // The secret's own messages: neither the written secret nor a value it resolves to.
                assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(SECRET_ENV);
            } else if (params.get(RevocationSettings.CLIENT_SECRET) != null
                    && params.get(RevocationSettings.CLIENT_SECRET).contains(SECRET)) {
                // Another parameter's message shows that parameter's own (resolved) value, which the
                // fuzzer may assemble into marker text from pieces; it must never show the secret.
                assertThat(e.getMessage()).doesNotContain(params.get(RevocationSettings.CLIENT_SECRET).strip());
            }
        }
    }

    private static String value(FuzzedDataProvider data) {
        StringBuilder s = new StringBuilder();
        int pieces = data.consumeInt(1, 3);
        for (int k = 0; k < pieces; k++) {
            s.append(data.consumeBoolean() ? VALUES[data.consumeInt(0, VALUES.length - 1)] : data.consumeString(12));
        }
        return s.toString();
    }

    /** A client secret written in any of the ways web.xml allows, always carrying a marker. */
    private static String secret(FuzzedDataProvider data) {
        String around = clean(value(data));
        String secret = switch (data.consumeInt(0, 7)) {
            case 0 -> SECRET;
            case 1 -> "${env:SECRET_A}" + SECRET;
            case 2 -> "${env:SECRET_A:-" + SECRET + "}";
            case 3 -> "${env:SECRET_B}${sys:SECRET_C:-" + SECRET + "}";
            case 4 -> "${env::-" + SECRET + "}";
            case 5 -> "${env: :-" + SECRET + "}";
            case 6 -> SECRET + "${" + clean(data.consumeString(8)) + "}";
            default -> SECRET + clean(value(data));
        };
        int at = data.consumeInt(0, around.length());
        return around.substring(0, at) + secret + around.substring(at);
    }

    /** Environment or system properties: fuzzed names and values; SECRET_* always holds a secret. */
    private static Map<String, String> lookups(FuzzedDataProvider data) {
        Map<String, String> values = new HashMap<>() {
            @Override
            public String get(Object key) {
                String value = super.get(key);
                return value != null && key instanceof String s && s.startsWith("SECRET_") ? SECRET_ENV + value : value;
            }
        };
        int n = data.consumeInt(0, 3);
        for (int k = 0; k < n; k++) {
            String name = data.consumeBoolean() ? "A" : data.consumeBoolean() ? "SECRET_A" : clean(data.consumeString(6));
            values.put(name, clean(value(data)));
        }
        values.put("SECRET_B", "");
        return values;
    }

    /** Takes the markers and the secrets' variable names out of text that is not the secret. */
    private static String clean(String text) {
        String s = text;
        String before;
        do {
            before = s;
            s = s.replace(SECRET, "").replace(SECRET_ENV, "").replace("SECRET_", "");
        } while (!s.equals(before));
        return s;
    }
}
