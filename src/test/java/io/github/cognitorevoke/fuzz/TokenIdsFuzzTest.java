package io.github.cognitorevoke.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.cognitorevoke.internal.TokenIds;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HexFormat;

/**
 * Differential fuzzing of {@link TokenIds#peek}: it never throws, and on every token that Nimbus
 * parses it returns ids that agree with Nimbus's claims.
 *
 * <p>What "agree" means, field by field, when {@code SignedJWT.parse(t).getJWTClaimsSet()} succeeds:
 * <ul>
 *   <li>peek is not null;
 *   <li>{@code jti} equals {@code getJWTID()} and {@code sub} equals {@code getSubject()}, null when
 *       the claim is absent or JSON null (Nimbus refuses a non-string {@code jti}, and reads a number
 *       as {@code sub} as its decimal text);
 *   <li>{@code originJti} equals {@code getStringClaim("origin_jti")}; when that throws (not a
 *       string), peek may return anything for it;
 *   <li>{@code iat} is {@link Long#MIN_VALUE} when absent or null, else
 *       {@code floorDiv(getIssueTime().getTime(), 1000)}, compared only when Nimbus's milliseconds
 *       do not overflow (|iat| at most {@code Long.MAX_VALUE / 1000}): beyond that Nimbus has no
 *       meaningful answer to agree with.
 * </ul>
 *
 * <p>Without {@code JAZZER_FUZZ=1} each method runs its committed inputs from
 * {@code src/test/resources/.../TokenIdsFuzzTestInputs/<method>/} as regression tests.
 */
class TokenIdsFuzzTest {

    /** Ids of this many seconds or more overflow Nimbus's {@code Date} milliseconds. */
    private static final long NIMBUS_SAFE_SECONDS = Long.MAX_VALUE / 1000;

    @FuzzTest(maxDuration = "30s")
    void peek_anyText_neverThrowsAndAgreesWithNimbus(byte[] input) {
        assertAgreesWithNimbus(new String(input, StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "30s")
    void peek_structuredToken_neverThrowsAndAgreesWithNimbus(FuzzedDataProvider data) {
        assertAgreesWithNimbus(FuzzTokens.token(data));
    }

    static void assertAgreesWithNimbus(String token) {
        TokenIds ids = TokenIds.peek(token); // anything thrown here is a finding
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return; // Nimbus cannot read it: peek may answer null or anything, as long as it does not throw
        }
        String what = "peek of the token " + hex(token);
        assertThat(ids).as("%s, which Nimbus parses as %s", what, claims).isNotNull();
        assertThat(ids.jti()).as("jti, " + what).isEqualTo(claims.getJWTID());
        assertThat(ids.sub()).as("sub, " + what).isEqualTo(claims.getSubject());
        String originJti;
        try {
            originJti = claims.getStringClaim("origin_jti");
            assertThat(ids.originJti()).as("origin_jti, " + what).isEqualTo(originJti);
        } catch (ParseException notAString) {
            // Nimbus has no string to agree with.
        }
        Object iat = jwt.getPayload().toJSONObject().get("iat");
        if (iat == null) {
            assertThat(ids.iat()).as("absent iat, " + what).isEqualTo(Long.MIN_VALUE);
        } else if (iat instanceof Number n && Math.abs(n.longValue()) <= NIMBUS_SAFE_SECONDS) {
            assertThat(ids.iat()).as("iat, " + what)
                    .isEqualTo(Math.floorDiv(claims.getIssueTime().getTime(), 1000L));
        }
    }

    private static String hex(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        return bytes.length > 512 ? "(" + bytes.length + " bytes, see the reproducer)" : HexFormat.of().formatHex(bytes);
    }
}
