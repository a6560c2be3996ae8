package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attack review of the payload scanner: every payload that Nimbus's {@code JWTClaimsSet.parse}
 * reads must give the same ids from {@link TokenIds#peek} and {@link TokenIds#anyMatch}; a payload
 * the scanner calls malformed while Nimbus reads it is a way past the filter.
 */
class TokenIdsAttackTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(StandardCharsets.UTF_8));

    private static String jwt(byte[] payload) {
        return HEADER + "." + B64.encodeToString(payload) + ".c2lnbmF0dXJl";
    }

    private static String jwt(String payloadJson) {
        return jwt(payloadJson.getBytes(StandardCharsets.UTF_8));
    }

    /** The ids as an application verifying with Nimbus reads them, or null if Nimbus refuses the payload. */
    static TokenIds nimbus(byte[] payload) {
        try {
            JWTClaimsSet claims = JWTClaimsSet.parse(new String(payload, StandardCharsets.UTF_8));
            String originJti;
            try {
                originJti = claims.getStringClaim("origin_jti");
            } catch (java.text.ParseException notAString) {
                originJti = null;
            }
            Date iat = claims.getIssueTime();
            return new TokenIds(claims.getJWTID(), originJti, claims.getSubject(),
                    iat == null ? Long.MIN_VALUE : Math.floorDiv(iat.getTime(), 1000));
        } catch (java.text.ParseException | RuntimeException e) {
            return null;
        }
    }

    private static List<TokenIds> anyMatch(String text) {
        List<TokenIds> found = new ArrayList<>();
        TokenIds.anyMatch(text, ids -> {
            found.add(ids);
            return false;
        }, ReadBudget.perRequest());
        return found;
    }

    // ------------------------------------------------------------------ a UTF-8 BOM

    /**
     * Nimbus's shaded Gson skips a byte order mark at the start of the payload, so
     * Nimbus reads the ids of {@code EF BB BF {"jti":...}}; the scanner's first-byte precheck
     * ({@code mayOpenJson}) and {@code Scanner.object()} see 0xEF and answer "certainly not JSON"
     * (null), so the ids are never looked up. Input: the payload bytes
     * {@code EF BB BF} + {@code {"jti":"revoked-jti","origin_jti":"o","sub":"u","iat":5}}.
     */
    @Test
    void bomBeforeTheObject_nimbusReadsTheIds_soMustTheScanner() {
        byte[] json = "{\"jti\":\"revoked-jti\",\"origin_jti\":\"o\",\"sub\":\"u\",\"iat\":5}".getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[json.length + 3];
        payload[0] = (byte) 0xEF;
        payload[1] = (byte) 0xBB;
        payload[2] = (byte) 0xBF;
        System.arraycopy(json, 0, payload, 3, json.length);

        TokenIds expected = new TokenIds("revoked-jti", "o", "u", 5);
        assertThat(nimbus(payload)).as("what a Nimbus-based verifier reads").isEqualTo(expected);
        assertThat(TokenIds.peek(jwt(payload))).as("peek").isEqualTo(expected);
        assertThat(anyMatch("Bearer " + jwt(payload))).as("anyMatch").containsExactly(expected);
    }

    /** The same with the pair-array form and with whitespace after the BOM. */
    @ParameterizedTest
    @MethodSource("bomVariants")
    void bomVariants_nimbusReadsTheIds_soMustTheScanner(String afterBom) {
        byte[] json = afterBom.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[json.length + 3];
        payload[0] = (byte) 0xEF;
        payload[1] = (byte) 0xBB;
        payload[2] = (byte) 0xBF;
        System.arraycopy(json, 0, payload, 3, json.length);
        TokenIds n = nimbus(payload);
        assertThat(n).as("Nimbus reads it").isNotNull();
        assertThat(TokenIds.peek(jwt(payload))).isEqualTo(n);
    }

    static Stream<String> bomVariants() {
        return Stream.of(" {\"jti\":\"revoked-jti\"}", "[[\"jti\",\"revoked-jti\"]]", "\n{\"sub\":\"u\",\"iat\":5}");
    }

    // ------------------------------------------------------------------ held: JSON Nimbus refuses or agrees on

    /**
     * HELD: for each construct, either Nimbus refuses the payload, or the scanner gives exactly
     * Nimbus's ids. (Checked against Nimbus 10.10: comments, unquoted or single-quoted names and
     * values, {@code =} and {@code ;} separators, trailing commas, NaN, raw control characters in any
     * string, bad escapes, trailing junk, form feed, NUL are all refused by Nimbus.)
     */
    @ParameterizedTest
    @MethodSource("constructs")
    void scannerAgreesWithNimbus_whereNimbusReadsThePayload(String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        TokenIds n = nimbus(payload);
        if (n != null) {
            assertThat(TokenIds.peek(jwt(payload))).as(json).isEqualTo(n);
            // anyMatch skips segments of 10 characters or fewer (no id fits): compare where there is an id
            if (n.jti() != null || n.sub() != null || n.originJti() != null) {
                assertThat(anyMatch("x." + jwt(payload))).as(json).endsWith(n).doesNotHaveDuplicates();
            }
        }
    }

    static Stream<String> constructs() {
        String ids = "\"jti\":\"J\",\"origin_jti\":\"O\",\"sub\":\"S\",\"iat\":5";
        return Stream.of(
                "{" + ids + "}",
                "{\"a\":1 /*c*/," + ids + "}",
                "{\"a\":1, //c\n" + ids + "}",
                "{\"a\":1, #c\n" + ids + "}",
                "{a:1," + ids + "}",
                "{'a':1," + ids + "}",
                "{\"a\":'x'," + ids + "}",
                "{\"a\"=1," + ids + "}",
                "{\"a\"=>1," + ids + "}",
                "{\"a\":1;" + ids + "}",
                "{\"a\":1,," + ids + "}",
                "{\"a\":[1,]," + ids + "}",
                "{\"a\":[1,,2]," + ids + "}",
                "{\"a\":NaN," + ids + "}",
                "{\"a\":Infinity," + ids + "}",
                "{\"a\":abc," + ids + "}",
                "{\"a\":\"x\ty\"," + ids + "}",
                "{\"a\":\"\\nx\ty\"," + ids + "}",
                "{\"a\":\"\\'\"," + ids + "}",
                "{\"a\":\"\\x41\"," + ids + "}",
                "{\"a\":\"\\u12\"," + ids + "}",
                "{\"a\":0123," + ids + "}",
                "{\"a\":.5," + ids + "}",
                "{\"a\":+1," + ids + "}",
                "{\"a\":truex," + ids + "}",
                "{\"a\":True," + ids + "}",
                "{" + ids + ",}",
                "{" + ids + "}\f",
                "\f{" + ids + "}",
                "{" + ids + "}\u0000",
                "{" + ids + "}{}",
                "{" + ids + "}[]",
                "{" + ids + "}//}",
                "{" + ids + "}#}",
                "{" + ids + "}\uFEFF",
                " \t\r\n{" + ids + "} \t\r\n",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":+5}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":\"5\"}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":05}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":-0}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":-5}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":5.0}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":5.9}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":5e0}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":true}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":999999999999999}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":9999999999999999}",
                "{\"jti\":\"J\",\"sub\":\"S\",\"iat\":-999999999999999}",
                "{\"jti\":5,\"sub\":\"S\",\"iat\":5}",
                "{\"jti\":true,\"sub\":\"S\",\"iat\":5}",
                "{\"jti\":null,\"sub\":\"S\",\"iat\":5}",
                "{\"jti\":[\"J\"],\"sub\":\"S\",\"iat\":5}",
                "{\"origin_jti\":5,\"sub\":\"S\",\"iat\":5}",
                "{\"origin_jti\":[\"O\"],\"jti\":\"J\"}",
                "{\"j\\u0074i\":\"J\",\"sub\":\"S\",\"iat\":5}",
                "{\"jti\":\"J\",\"jti\":\"K\",\"sub\":\"S\",\"iat\":5}",
                "{\"a\":1,\"a\":2," + ids + "}",
                "{\"a\":{\"b\":1,\"b\":2}," + ids + "}",
                "{\"\":1," + ids + "}",
                "[[\"jti\",\"J\"],[\"sub\",\"S\"],[\"iat\",5]]",
                "[[\"jti\",\"J\"],[\"jti\",\"K\"]]",
                "[]",
                "{\"jti\":\"\\uD800\",\"sub\":\"S\",\"iat\":5}",
                "{\"jti\":\"caf\u00e9\\u00e9\\\"\",\"sub\":\"S\",\"iat\":5}",
                "{\"a\":" + "[".repeat(70) + "]".repeat(70) + "," + ids + "}",
                "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "," + ids + "}");
    }

    // ------------------------------------------------------------------ held: the decoders agree

    /**
     * HELD: wherever the JDK's base64url decoder (used for segments of 128 characters or more)
     * succeeds, including with '=' padding and non-zero trailing bits, it gives Nimbus's bytes; it
     * throws on '+', '/', '=' inside the text and on a 4k+1 length, which fall back to Nimbus.
     */
    @Test
    void jdkDecoder_givesNimbusBytesWheneverItSucceeds() {
        Random random = new Random(7);
        String alphabet = "AQgw_-=+/.~eyJ9fQ";
        int compared = 0;
        for (int t = 0; t < 300_000; t++) {
            char[] s = new char[1 + random.nextInt(12)];
            for (int i = 0; i < s.length; i++) {
                s[i] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            byte[] jdk;
            try {
                jdk = Base64.getUrlDecoder().decode(new String(s));
            } catch (IllegalArgumentException e) {
                continue;
            }
            compared++;
            assertThat(jdk).as(new String(s)).isEqualTo(new Base64URL(new String(s)).decode());
        }
        assertThat(compared).isGreaterThan(1000);
    }

    /**
     * HELD: a token whose payload segment is 128 characters or more (the JDK decoder's path), padded
     * with '=' or not, sent after four segments that make the JDK decoder throw (so the rest use
     * the slow decoders): the same ids every way.
     */
    @Test
    void longPayload_afterFourDecoderThrows_sameIds() {
        String json = "{\"sub\":\"u\",\"x\":\"" + "y".repeat(300) + "\",\"origin_jti\":\"o\",\"iat\":7,\"jti\":\"j\"}";
        String token = jwt(json);
        String junk = ("." + "ey" + "A".repeat(200) + "+").repeat(6);
        TokenIds expected = new TokenIds("j", "o", "u", 7);
        assertThat(anyMatch("Bearer " + token)).containsExactly(expected);
        assertThat(anyMatch("Bearer x" + junk + "." + token)).contains(expected);
        String padded = HEADER + "." + Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        assertThat(anyMatch("Bearer " + padded)).containsExactly(expected);
    }

    /** HELD: characters outside the alphabet inside the payload segment are skipped, as Nimbus skips them. */
    @Test
    void nonAlphabetInsidePayload_readAsNimbusReadsIt() {
        String payload = B64.encodeToString("{\"jti\":\"revoked\"}".getBytes(StandardCharsets.UTF_8));
        for (String inserted : List.of("=", "+", "/", "~", "%", "\u00e9", "\u0100", " ", "\t", "!")) {
            String segment = payload.substring(0, 4) + inserted + payload.substring(4);
            TokenIds n = nimbus(new Base64URL(segment).decode());
            List<TokenIds> found = anyMatch("Bearer " + HEADER + "." + segment + ".sig");
            if (n == null) {
                assertThat(found).as(inserted).isEmpty();
            } else {
                assertThat(found).as(inserted).containsExactly(n);
            }
        }
    }

    /**
     * HELD: the early exit once the four claims are read never hides a claim Nimbus reads
     * differently: anything after the fourth that Nimbus accepts cannot change the four.
     */
    @Test
    void earlyExit_afterFourClaims() {
        String json = "{\"jti\":\"J\",\"origin_jti\":\"O\",\"sub\":\"S\",\"iat\":5,\"x\":{\"jti\":\"K\"},\"y\":[1,2]}";
        assertThat(TokenIds.peek(jwt(json))).isEqualTo(nimbus(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** HELD: the last-byte check accepts what Nimbus accepts at the end (whitespace only). */
    @Test
    void lastByteCheck_trailingWhitespaceOnly() {
        for (String tail : List.of(" ", "\t", "\r\n", "  \n ")) {
            byte[] payload = ("{\"jti\":\"J\"}" + tail).getBytes(StandardCharsets.UTF_8);
            assertThat(TokenIds.peek(jwt(payload))).as(Arrays.toString(tail.toCharArray())).isEqualTo(nimbus(payload));
        }
    }
}
