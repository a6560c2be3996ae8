package io.github.cognitorevoke.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.cognitorevoke.internal.TokenIds;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Fuzzes the scanner {@link TokenIds#anyMatch}: whatever text surrounds a token in a header or
 * cookie value (junk, other tokens, dots), the token's own ids are among those it visits, so a
 * revoked token cannot hide behind padding. It never throws on any text either.
 */
class TokenIdsAnyMatchFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyMatch_tokenWithinAnyText_visitsTheTokensIds(FuzzedDataProvider data) {
        check(data);
    }

    static void check(FuzzedDataProvider data) {
        String prefix = surrounding(data);
        String suffix = surrounding(data);
        String token = data.consumeBoolean() ? FuzzTokens.genuine(data) : FuzzTokens.token(data);
        TokenIds ids = TokenIds.peek(token);
        String text = prefix + token + suffix;
        boolean found = TokenIds.anyMatch(text, visited -> visited.equals(ids));
        // Only ids that can be revoked must be found: a payload too short to hold a non-empty jti,
        // origin_jti or sub (under 12 characters: {"sub":1}) is skipped by design, so "{}" need not be visited.
        if (ids != null && (nonEmpty(ids.jti()) || nonEmpty(ids.originJti()) || nonEmpty(ids.sub()))) {
            assertThat(found).as("ids %s of the token within %s", ids,
                    HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8))).isTrue();
        }
    }

    private static boolean nonEmpty(String id) {
        return id != null && !id.isEmpty();
    }

    private static String surrounding(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> "";
            case 1 -> FuzzTokens.junk(data, 8);
            case 2 -> FuzzTokens.genuine(data) + FuzzTokens.junk(data, 3);
            case 3 -> FuzzTokens.token(data);
            default -> data.consumeString(24);
        };
    }
}
