package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
        assertThat(ids).isEqualTo(new TokenIds("j-1", "o-1", "u-1", 1700000000L, 1700000000L));
    }

    @Test
    void peek_authTime_readAsIatIs_plainIntegersFast_restAsNimbusReadsThem() {
        assertThat(TokenIds.peek(jwt("{\"sub\":\"u\",\"auth_time\":1700000000}")).authTime()).isEqualTo(1700000000L);
        assertThat(TokenIds.peek(jwt("{\"sub\":\"u\",\"auth_time\":1700000000.9}")).authTime()).isEqualTo(1700000000L);
        assertThat(TokenIds.peek(jwt("{\"sub\":\"u\",\"auth\\u005ftime\":5}")).authTime()).as("escaped name").isEqualTo(5L);
        assertThat(TokenIds.peek(jwt("{\"sub\":\"u\",\"auth_time\":null}")).authTime()).isEqualTo(Long.MIN_VALUE);
        assertThat(TokenIds.peek(jwt("{\"sub\":\"u\",\"auth_time\":\"soon\"}")).authTime()).as("not a date")
                .isEqualTo(Long.MIN_VALUE);
        assertThat(TokenIds.peek(jwt("{\"sub\":\"u\"}")).authTime()).isEqualTo(Long.MIN_VALUE);
        assertThat(TokenIds.peek(jwt("{\"auth_time\":1,\"auth_time\":2}"))).as("a duplicate, as Nimbus").isNull();
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
    void anyMatch_shortestPayloadsWithAnId_areVisited() {
        // Nimbus reads a numeric sub as a subject ("1"): {"sub":1} is 12 characters, the shortest
        // payload with an id (a numeric jti is refused, a numeric origin_jti read as none).
        for (String json : new String[] {"{\"sub\":1}", "{\"sub\":-1}", "{\"jti\":\"x\"}"}) {
            String token = jwt(json);
            TokenIds ids = TokenIds.peek(token);
            assertThat(ids.jti() != null || ids.sub() != null || ids.originJti() != null).as(json).isTrue();
            assertThat(TokenIds.anyMatch("wqB7CAgBfQ==." + token.substring(token.indexOf('.') + 1), ids::equals))
                    .as(json).isTrue();
        }
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

    /** Each malformed payload next to its well-formed twin: the defect, not the shape, gives null. */
    static Stream<Arguments> malformedPayloadsAndTheirWellFormedTwins() {
        return Stream.of(
                Arguments.of("{", "{}"),
                Arguments.of("{\"jti\":}", "{\"jti\":\"a\"}"),
                Arguments.of("{\"jti\":\"a\"", "{\"jti\":\"a\"}"),
                Arguments.of("{\"jti\":\"a\",\"jti\":\"b\"}", "{\"jti\":\"a\",\"jtj\":\"b\"}"),
                Arguments.of("{\"jti\":1}", "{\"jti\":\"1\"}"),
                Arguments.of("{\"iat\":\"x\"}", "{\"iat\":1}"),
                Arguments.of("{\"a\":tru}", "{\"a\":true}"),
                Arguments.of("{\"a\":1} x", "{\"a\":1}"),
                Arguments.of("{\"jti\":\"\u0001\"}", "{\"jti\":\"\\u0001\"}"),
                Arguments.of("{\"jti\":\"\\u12\"}", "{\"jti\":\"\\u0012\"}"),
                Arguments.of("{jti:\"x\"}", "{\"jti\":\"x\"}"),
                Arguments.of("null", "{}"),
                Arguments.of("{\"a\":[1,2}", "{\"a\":[1,2]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPayloadsAndTheirWellFormedTwins")
    void peek_malformedOrAmbiguousJson_givesNull_whileItsWellFormedTwinIsRead(String malformed, String twin) {
        assertThat(TokenIds.peek(jwt(twin))).as("well-formed twin %s", twin).isNotNull();

        assertThat(TokenIds.peek(jwt(malformed))).isNull();
    }

    @Test
    void peek_agreesWithNimbus_onRandomClaimSets() throws Exception {
        // The hand-written scanner against a real JSON parser, on payloads Nimbus serializes:
        // escapes, unicode, nested objects and arrays, numbers of every kind, in random order.
        java.util.Random random = new java.util.Random(7);
        for (int n = 0; n < 3000; n++) {
            com.nimbusds.jwt.JWTClaimsSet.Builder claims = new com.nimbusds.jwt.JWTClaimsSet.Builder();
            java.util.List<Runnable> parts = new java.util.ArrayList<>();
            parts.add(() -> claims.jwtID(randomText(random)));
            parts.add(() -> claims.subject(randomText(random)));
            parts.add(() -> claims.claim("origin_jti", randomText(random)));
            parts.add(() -> claims.claim("iat", random.nextInt(2_000_000_000)));
            parts.add(() -> claims.claim("username", randomText(random)));
            parts.add(() -> claims.claim("cognito:groups", java.util.List.of(randomText(random), randomText(random))));
            parts.add(() -> claims.claim("nested", java.util.Map.of("jti", randomText(random), "n", random.nextDouble())));
            parts.add(() -> claims.claim("flag", random.nextBoolean()));
            parts.add(() -> claims.claim("big", random.nextLong()));
            java.util.Collections.shuffle(parts, random);
            parts.subList(0, random.nextInt(parts.size() + 1)).forEach(Runnable::run);
            com.nimbusds.jwt.JWTClaimsSet set = claims.build();
            String token = jwt(set.toString());

            TokenIds ids = TokenIds.peek(token);

            com.nimbusds.jwt.JWTClaimsSet parsed = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
            assertThat(ids).as(set.toString()).isNotNull();
            assertThat(ids.jti()).as(set.toString()).isEqualTo(parsed.getJWTID());
            assertThat(ids.sub()).as(set.toString()).isEqualTo(parsed.getSubject());
            assertThat(ids.originJti()).as(set.toString()).isEqualTo(parsed.getStringClaim("origin_jti"));
            assertThat(ids.iat()).as(set.toString()).isEqualTo(parsed.getIssueTime() == null
                    ? Long.MIN_VALUE : parsed.getIssueTime().getTime() / 1000);
        }
    }

    private static String randomText(java.util.Random random) {
        String alphabet = "abcXYZ019-_\"/\\\n\tüé€😀 :,{}[]";
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                    random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return sb.toString();
    }

    @Test
    void peek_controlCharacterInASkippedValue_isNotChecked() {
        // Only the ids are checked strictly: the lookup can only reject a request, and a token
        // with raw control characters fails the application's own verification anyway.
        assertThat(TokenIds.peek(jwt("{\"a\":\"\u0001\",\"jti\":\"j\"}")).jti()).isEqualTo("j");
    }

    @Test
    void peek_deeplyNested_givesNullInsteadOfStackOverflow_whileModerateNestingIsSkipped() {
        String moderate = "{\"a\":" + "[".repeat(32) + "]".repeat(32) + ",\"jti\":\"j\"}";
        assertThat(TokenIds.peek(jwt(moderate)).jti()).isEqualTo("j");

        assertThat(TokenIds.peek(jwt("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"jti\":\"j\"}"))).isNull();
    }

    @Test
    void peek_longToken_isStillRead() {
        // No length above which the check is skipped: a padded revoked token must not slip through.
        String id = "x".repeat(200_000);
        assertThat(TokenIds.peek(jwt("{\"jti\":\"" + id + "\"}")).jti()).isEqualTo(id);
    }

    @Test
    void peek_numberForms_readAsNimbusReadsThem() {
        // Fractions, exponents and overflowing integers go to Nimbus: its reading is the verifier's.
        assertThat(TokenIds.peek(jwt("{\"iat\":1.7e9,\"jti\":\"j\"}")).iat()).isEqualTo(1_700_000_000L);
        assertThat(TokenIds.peek(jwt("{\"iat\":17000000000e-1}")).iat()).isEqualTo(1_700_000_000L);
        assertThat(TokenIds.peek(jwt("{\"iat\":1700000000.9}")).iat()).isEqualTo(1_700_000_000L);
    }

    @Test
    void peek_truncatedUnicodeEscape_givesNullWithoutThrowing() {
        assertThat(TokenIds.peek(jwt("{\"jti\":\"\\u00"))).isNull();
        assertThat(TokenIds.peek(jwt("{\"x\":\"\\u0"))).isNull();
    }

    @Test
    void peek_charactersOutsideTheAlphabet_areIgnoredAsNimbusIgnoresThem() {
        String token = jwt("{\"jti\":\"j-9\"}");
        int dot = token.indexOf('.');
        String padded = token.substring(0, dot + 3) + "!!  \t" + token.substring(dot + 3);
        assertThat(TokenIds.peek(padded).jti()).isEqualTo("j-9");
    }

    @Test
    void anyMatch_findsThePayloadWhateverSurroundsIt() {
        String token = jwt("{\"jti\":\"revoked-1\",\"sub\":\"u\"}");
        for (String text : new String[] {token, "Bearer " + token, "bEaReR\t" + token + " trailing", token + ",x",
                "Bearer " + token + "." + "A".repeat(40_000), "a=b; tok=\"" + token + "\"; c=d",
                "Bearer x.y.z, Bearer " + token, "junk." + token}) {
            assertThat(TokenIds.anyMatch(text, ids -> "revoked-1".equals(ids.jti()))).as(text).isTrue();
        }
        assertThat(TokenIds.anyMatch("Bearer " + jwt("{\"jti\":\"live\"}"),
                ids -> "revoked-1".equals(ids.jti()))).isFalse();
    }

    @Test
    void decode_agreesWithTheJdkDecoder_onEveryLengthAndRefusesWhatIsNotBase64url() {
        java.util.Random random = new java.util.Random(11);
        for (int length = 0; length < 200; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            String framed = "x." + encoded + ".y";
            assertThat(TokenIds.decode(framed, 2, 2 + encoded.length())).isEqualTo(bytes);
        }
        assertThat(TokenIds.decode("abc+", 0, 4)).isNull();
        assertThat(TokenIds.decode("ab=c", 0, 4)).isNull();
        assertThat(TokenIds.decode("abcde", 0, 5)).isNull();
        assertThat(TokenIds.decode("ab\u00e9d", 0, 4)).isNull();
    }

    private static String segment(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.AAAAAAAAAA", "x.eyJhIjpbW1tbW1s", "x.eyJhIjpbW1tbW1s%", "x.e30x", "x.e30=x"})
    void anyMatch_junkSegmentsOfEveryShape_needNoReadByNimbus(String unit) {
        // Junk that Nimbus refuses is known for junk by the scanner itself: no exception, no budget.
        String text = unit.repeat(2000);
        ReadBudget none = ReadBudget.of(0);

        assertThat(TokenIds.anyMatch(text, ids -> true, none)).isFalse();

        assertThat(none.refused()).isFalse();
    }

    @Test
    void anyMatch_malformedJsonOfEveryKind_needsNoReadByNimbus() {
        ReadBudget none = ReadBudget.of(0);
        for (String json : new String[] {"{", "{\"jti\":}", "{\"jti\":\"a\"", "{\"jti\":\"a\",\"jti\":\"b\"}",
                "{\"a\":tru}", "{\"a\":1} x", "{\"jti\":\"\u0001\"}", "{\"jti\":\"\\u12\"}", "{jti:\"x\"}",
                "null", "{\"a\":[1,2}", "{\"a\":1,}", "{\"jti\":\"x\"}//", "/*c*/{}", "\"s\"", "123"}) {
            assertThat(TokenIds.anyMatch("x." + segment(json) + ".s", ids -> true, none)).as(json).isFalse();
        }
        assertThat(none.refused()).isFalse();
    }

    @Test
    void anyMatch_payloadsOnlyNimbusReads_takeTheBudget_andThoseBeyondItAreMarked() {
        String slow = segment("[[\"jti\",\"pairs\"]]");
        String fractionalIat = segment("{\"iat\":1.5e9,\"jti\":\"frac\"}");
        java.util.List<String> seen = new java.util.ArrayList<>();
        ReadBudget two = ReadBudget.of(2);

        TokenIds.anyMatch("x." + slow + "." + fractionalIat + "." + slow + "." + segment("{\"jti\":\"fast\"}") + ".s",
                ids -> seen.add(ids.jti()) && false, two);

        assertThat(seen).containsExactly("pairs", "frac", "fast");
        assertThat(two.refused()).isTrue();
    }

    @Test
    void peek_arrayOfNameValuePairs_readAsNimbusReadsIt() {
        assertThat(TokenIds.peek(jwt("[[\"jti\",\"j-1\"],[\"sub\",\"u\"]]")))
                .isEqualTo(new TokenIds("j-1", null, "u", Long.MIN_VALUE));
    }

    @Test
    void peek_nullIds_readAsAbsent_andADuplicateNullAsMalformed() {
        assertThat(TokenIds.peek(jwt("{\"jti\":null,\"sub\":null,\"iat\":null,\"origin_jti\":\"o\"}")))
                .isEqualTo(new TokenIds(null, "o", null, Long.MIN_VALUE));
        assertThat(TokenIds.peek(jwt("{\"jti\":null,\"jti\":\"x\"}"))).isNull();
    }

    @Test
    void anyMatch_charactersBeyondTheBasicPlaneBeforeTheToken_stillFindIt() {
        // A surrogate pair is two chars of the text: the byte view must keep the text's positions.
        String token = jwt("{\"jti\":\"after-astral\",\"sub\":\"u\"}");

        assertThat(TokenIds.anyMatch("\uD83D\uDE00\uDB90\uDD65 x " + token, ids -> "after-astral".equals(ids.jti())))
                .isTrue();
    }

    @Test
    void anyMatch_segmentsWithCharactersOutsideTheAlphabet_decodedAsNimbusDoes_withoutItsHelp() {
        // Nimbus skips what is not base64 (and reads + and / too); so does the decoder here.
        String payload = segment("{\"jti\":\"odd-1\",\"sub\":\"u\"}");
        String padded = payload.substring(0, 5) + "%~=\u00e9" + payload.substring(5);
        ReadBudget none = ReadBudget.of(0);
        java.util.List<String> seen = new java.util.ArrayList<>();

        TokenIds.anyMatch("x." + padded + ".s " + ("x." + segment("{\"a\":1}").substring(0, 4) + "~~".repeat(8) + ".").repeat(50),
                ids -> seen.add(ids.jti()) && false, none);

        assertThat(seen).containsExactly("odd-1");
        assertThat(none.refused()).isFalse();
    }

    @Test
    void anyMatch_longSegmentsTheJdkDecoderRefuses_stopTryingItAfterAFew_andRefuseNothing() {
        // Each opens like an object and is long enough for the JDK decoder, which throws on '~'.
        String segment = "ey" + "A".repeat(149) + "~";
        ReadBudget budget = ReadBudget.perRequest();

        TokenIds.anyMatch(("x." + segment + ".").repeat(50), ids -> false, budget);

        assertThat(budget.fastDecode()).isFalse();
        assertThat(budget.refused()).isFalse();
    }

    @Test
    void anyMatch_longSegmentsOfALengthNoEncoderWrites_neverReachTheJdkDecoder() {
        // One character over a group: the JDK decoder would throw on every one; the lenient decode reads them.
        String segment = "ey" + "A".repeat(151);
        ReadBudget budget = ReadBudget.perRequest();

        TokenIds.anyMatch(("x." + segment + ".").repeat(50), ids -> false, budget);

        assertThat(budget.fastDecode()).isTrue();
        assertThat(budget.refused()).isFalse();
    }

    @Test
    void peek_keysReadFromTheBytes_areTheDenylistKeysOfTheIds() {
        // ASCII ids take their key from the decoded bytes; others from the string: both must be
        // the key the denylist stores for the id, or a revoked token would pass.
        for (String json : new String[] {
                "{\"sub\":\"u-1\",\"origin_jti\":\"12345678-1234-4234-8234-123456789012\",\"iat\":1,\"jti\":\"j\"}",
                "{\"sub\":\"\u0142ukasz\",\"origin_jti\":\"caf\u00e9\",\"iat\":1,\"jti\":\"\u20ac-8-bytes\"}",
                "{\"sub\":\"a\\u0062c\",\"origin_jti\":\"x\\/y\",\"iat\":1,\"jti\":\"\\u00e9t\u00e9\"}",
                "{\"jti\":null,\"sub\":\"exactly8\",\"origin_jti\":\"sixteen-chars-ok\"}"}) {
            TokenIds ids = TokenIds.peek(jwt(json));
            assertThat(ids).as(json).isNotNull();
            assertThat(ids.subKey()).as(json).isEqualTo(CaffeineDenylist.hash(ids.sub()));
            assertThat(ids.originJtiKey()).as(json).isEqualTo(CaffeineDenylist.hash(ids.originJti()));
            if (ids.jti() != null) {
                assertThat(ids.jtiKey()).as(json).isEqualTo(CaffeineDenylist.hash(ids.jti()));
            }
            CaffeineDenylist denylist = new CaffeineDenylist(java.time.Clock.systemUTC());
            denylist.add(ids.jti() != null ? ids.jti() : ids.originJti(), java.time.Instant.now().plusSeconds(60));
            assertThat(denylist.revoked(ids)).as(json).isNotZero();
        }
    }
}
