package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenIdsTest {

    private static String jwt(String payloadJson) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void peek_cognitoAccessToken_readsIds() {
        TokenIds ids = TokenIds.peek(jwt("{\"sub\":\"u-1\",\"cognito:groups\":[\"a\",\"b\"],\"iss\":\"https://x\","
                + "\"client_id\":\"c\",\"origin_jti\":\"o-1\",\"event_id\":\"e\",\"token_use\":\"access\","
                + "\"scope\":\"aws.cognito.signin.user.admin\",\"auth_time\":1700000000,\"exp\":1700003600,"
                + "\"iat\":1700000000,\"jti\":\"j-1\",\"username\":\"bob\",\"nested\":{\"jti\":\"inner\",\"x\":[1,{\"y\":null}]}}"));
        assertThat(ids).isEqualTo(new TokenIds("j-1", "o-1", "u-1", 1700000000L));
    }

    @Test
    void peek_keysInsideStringsOrNestedObjects_areNotClaims() {
        TokenIds ids = TokenIds.peek(jwt("{\"username\":\"\\\"jti\\\":\\\"evil\\\"\",\"obj\":{\"jti\":\"evil\"},\"jti\":\"real\"}"));
        assertThat(ids.jti()).isEqualTo("real");
    }

    @Test
    void peek_escapedKeyAndValue_decodedLikeAJsonParser() {
        TokenIds ids = TokenIds.peek(jwt("{\"j\\u0074i\":\"a\\/b\\u0041\",\"iat\":12.5}"));
        assertThat(ids.jti()).isEqualTo("a/bA");
        assertThat(ids.iat()).isEqualTo(12);
    }

    @Test
    void peek_withoutIds_givesNulls() {
        assertThat(TokenIds.peek(jwt("{}"))).isEqualTo(new TokenIds(null, null, null, Long.MIN_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", "....", "a.!!!.c", "a..c"})
    void peek_notAJws_givesNull(String token) {
        assertThat(TokenIds.peek(token)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{", "{\"jti\":}", "{\"jti\":\"a\"", "{\"jti\":\"a\",\"jti\":\"b\"}", "{\"jti\":1}",
            "{\"iat\":\"x\"}", "{\"a\":tru}", "{\"a\":1} x", "{\"jti\":\"\u0001\"}", "{\"iat\":99999999999999999999}",
            "null", "{\"a\":[1,2}"})
    void peek_malformedOrAmbiguousJson_givesNull(String json) {
        assertThat(TokenIds.peek(jwt(json))).isNull();
    }

    @Test
    void peek_controlCharacterInASkippedValue_isNotChecked() {
        // Only the ids are checked strictly: the lookup can only reject a request, and a token
        // with raw control characters fails the application's own verification anyway.
        assertThat(TokenIds.peek(jwt("{\"a\":\"\u0001\",\"jti\":\"j\"}")).jti()).isEqualTo("j");
    }

    @Test
    void peek_deeplyNested_givesNullInsteadOfStackOverflow() {
        assertThat(TokenIds.peek(jwt("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"))).isNull();
    }

    @Test
    void peek_oversized_givesNull() {
        assertThat(TokenIds.peek(jwt("{\"jti\":\"" + "x".repeat(20_000) + "\"}"))).isNull();
    }
}
