package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PercentDecodedTest {

    private static String segment(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void of_decodesAsUrlDecoderDoes_andKnowsWhereItChanged() {
        PercentDecoded d = PercentDecoded.of("a%2Eb+c%zz%41");

        assertThat(d.toString()).isEqualTo("a.b c%zzA");
        PercentDecoded.Changes changes = d.changes();
        assertThat(changes.within(0, 0)).isFalse();
        assertThat(changes.within(1, 1)).isTrue();
        assertThat(changes.within(4, 7)).isFalse();
        assertThat(changes.within(4, 8)).isTrue();
        assertThat(PercentDecoded.of("a%zz").changed()).isFalse();
    }

    @Test
    void of_characterBeyondLatin1_keepsEveryCharacter() {
        assertThat(PercentDecoded.of("x%41\u20ac%42").toString()).isEqualTo("xA\u20acB");
    }

    @Test
    void anyMatch_tokenWhoseDotsArePercentEncoded_isFound() {
        String token = "eyJhbGciOiJSUzI1NiJ9." + segment("{\"jti\":\"pct-1\"}") + ".c2ln";

        assertThat(TokenIds.anyMatch(PercentDecoded.of("access_token=" + token.replace(".", "%2E")),
                ids -> "pct-1".equals(ids.jti()), ReadBudget.perRequest())).isTrue();
    }

    @Test
    void anyMatch_readsOnlyTheSegmentsDecodingChanged() {
        // Payloads only Nimbus reads, far from the one escape: read in the pass over the text as
        // sent, not again in the decoded text (a budget of none would be refused if they were).
        String slow = segment("[[\"aud\",\"app\"]]");
        String text = ("x." + slow + ".").repeat(20) + "y.%65" + segment("{\"jti\":\"esc-1\"}").substring(1) + ".z"; // %65 is the 'e' it replaced
        ReadBudget none = ReadBudget.of(0);
        java.util.List<String> seen = new java.util.ArrayList<>();

        TokenIds.anyMatch(PercentDecoded.of(text), ids -> seen.add(ids.jti()) && false, none);

        assertThat(none.refused()).isFalse();
        assertThat(seen).containsExactly("esc-1");
    }
}
