package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PeekCacheTest {

    private static String bearer(String payloadJson, String signature) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return "Bearer " + e.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    @Test
    void ids_sameTextTwice_givesTheSameIds() {
        PeekCache cache = new PeekCache();
        String text = bearer("{\"jti\":\"j-1\",\"sub\":\"u\"}", "c2lnbmF0dXJlLXRhaWw");
        TokenIds[] first = cache.ids(text);
        assertThat(first).extracting(TokenIds::jti).containsExactly("j-1");
        assertThat(cache.ids(new String(text.toCharArray()))).isSameAs(first);
    }

    @Test
    void ids_textCraftedForTheSameSlot_isNeverTakenForTheCachedOne() {
        // Same length and the same tail (what picks the slot), another payload: a revoked token
        // must not be answered with a live token's cached ids.
        PeekCache cache = new PeekCache();
        String live = bearer("{\"jti\":\"live-00001\",\"sub\":\"u\"}", "c2lnbmF0dXJlLXRhaWw");
        String revoked = bearer("{\"jti\":\"revoked-01\",\"sub\":\"u\"}", "c2lnbmF0dXJlLXRhaWw");
        assertThat(revoked).hasSameSizeAs(live).endsWith(live.substring(live.length() - 12));
        assertThat(cache.ids(live)).extracting(TokenIds::jti).containsExactly("live-00001");
        assertThat(cache.ids(revoked)).extracting(TokenIds::jti).containsExactly("revoked-01");
        assertThat(cache.ids(live)).extracting(TokenIds::jti).containsExactly("live-00001");
    }

    @Test
    void ids_everyPayloadOfAText_andLongTextsUncached() {
        PeekCache cache = new PeekCache();
        String two = bearer("{\"jti\":\"a-000000\"}", "x") + ", " + bearer("{\"jti\":\"b-000000\"}", "y");
        assertThat(cache.ids(two)).extracting(TokenIds::jti).containsExactly("a-000000", "b-000000");
        String padded = bearer("{\"jti\":\"c-000000\"}", "z".repeat(PeekCache.MAX_TEXT));
        assertThat(cache.ids(padded)).extracting(TokenIds::jti).containsExactly("c-000000");
    }
}
