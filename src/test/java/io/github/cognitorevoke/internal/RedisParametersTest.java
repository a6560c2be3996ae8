package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared tier's init-params: parsed once, bad ones named, the password and the key never shown. */
class RedisParametersTest {

    private static final String PASSWORD = "pa55-never-shown";
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]).replace("AAAA", "QUJD");

    private static Map<String, String> valid() {
        return InitParametersTest.valid();
    }

    private static RevocationSettings parse(Map<String, String> p) {
        return InitParameters.parse(p, name -> switch (name) {
            case "REDIS_URL" -> "rediss://app:" + PASSWORD + "@cache.internal:6380/2";
            case "REDIS_KEY" -> KEY;
            default -> null;
        }, name -> null);
    }

    private static void assertFails(Map<String, String> p, String parameter, String fragment) {
        assertThatThrownBy(() -> parse(p))
                .isInstanceOf(RevocationConfigurationException.class)
                .satisfies(e -> assertThat(((RevocationConfigurationException) e).parameter()).isEqualTo(parameter))
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain(KEY));
    }

    @Test
    void absent_meansNodeLocal_withDocumentedDefaults() {
        RevocationSettings s = parse(valid());
        assertThat(s.redisUri()).isEmpty();
        assertThat(s.redisKeyPrefix()).isEqualTo("cognito-revoke:");
        assertThat(s.redisEncryptionKey()).isEmpty();
        assertThat(s.redisTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.redisSyncTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.redisMaxBufferedWrites()).isEqualTo(100_000);
        assertThat(s.redisLease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.toString()).doesNotContain("redis");
    }

    @Test
    void fromEnvironment_parsesEverything_andShowsNeitherPasswordNorKey() {
        Map<String, String> p = valid();
        p.put("redisUri", "${env:REDIS_URL}");
        p.put("redisKeyPrefix", "shop-eu:");
        p.put("redisEncryptionKey", "${env:REDIS_KEY}");
        p.put("redisTimeout", "200ms");
        p.put("redisSyncTimeout", "30s");
        p.put("redisMaxBufferedWrites", "5000");
        p.put("redisLease", "5s");
        RevocationSettings s = parse(p);
        assertThat(s.redisUri()).contains(URI.create("rediss://app:" + PASSWORD + "@cache.internal:6380/2"));
        assertThat(s.redisServer()).contains("rediss://app:***@cache.internal:6380/2");
        assertThat(s.redisKeyPrefix()).isEqualTo("shop-eu:");
        assertThat(s.redisEncryptionKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(Base64.getDecoder().decode(KEY)));
        assertThat(s.redisTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.redisSyncTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.redisMaxBufferedWrites()).isEqualTo(5000);
        assertThat(s.redisLease()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.toString()).contains("rediss://app:***@cache.internal:6380/2", "redisEncryptionKey=(set)")
                .doesNotContain(PASSWORD).doesNotContain(KEY);
    }

    @Test
    void redisEncryptionKey_returnsACopy_soNoCallerCanChangeIt() {
        Map<String, String> p = valid();
        p.put("redisUri", "redis://127.0.0.1");
        p.put("redisEncryptionKey", KEY);
        RevocationSettings s = parse(p);
        s.redisEncryptionKey().orElseThrow()[0] ^= 1;
        assertThat(s.redisEncryptionKey().orElseThrow()).isEqualTo(Base64.getDecoder().decode(KEY));
    }

    @Test
    void passwordOnlyUserInfo_isMasked() {
        Map<String, String> p = valid();
        p.put("redisUri", "redis://:" + PASSWORD + "@10.0.0.5:6379");
        assertThat(parse(p).redisServer()).contains("redis://:***@10.0.0.5:6379");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://cache:6379", "cache:6379", "redis://", "redis://cache:0", "redis://cache:70000",
            "redis://cache:6379/db", "redis://cache:6379/0?timeout=1", "redis://cache:6379/0#x",
            "redis://a:" + PASSWORD + "@ca che:6379"})
    void redisUri_malformed_failsNamingItWithoutThePassword(String uri) {
        Map<String, String> p = valid();
        p.put("redisUri", uri);
        assertFails(p, "redisUri", "redis://[user:password@]host[:port][/db]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "QUJD", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void redisEncryptionKey_notA32ByteBase64Key_failsNamingIt(String key) {
        Map<String, String> p = valid();
        p.put("redisUri", "redis://127.0.0.1");
        p.put("redisEncryptionKey", key);
        assertFails(p, "redisEncryptionKey", "openssl rand -base64 32");
    }

    @Test
    void redisEncryptionKey_unsetVariableThatLooksLikeAKey_isNotEchoed() {
        Map<String, String> p = valid();
        p.put("redisEncryptionKey", "${env:" + KEY + "}");
        assertFails(p, "redisEncryptionKey", "names a variable that is not set");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "redisKeyPrefix         | my app:           | visible ASCII",
        "redisKeyPrefix         | shop{eu:          | opens a hash tag that it does not close",
        "redisKeyPrefix         | {}shop{eu}:       | opens a hash tag that it does not close",
        "redisTimeout           | 1m                | must lie between",
        "redisSyncTimeout       | 6m                | must lie between",
        "redisLease             | 1s                | must lie between",
        "redisMaxBufferedWrites | 0                 | must lie between",
        "redisUrl               | redis://127.0.0.1 | did you mean redisUri?"})
    void badValueOrName_failsNamingIt(String name, String value, String fragment) {
        Map<String, String> p = valid();
        p.put(name, value);
        assertFails(p, name, fragment);
    }
}
