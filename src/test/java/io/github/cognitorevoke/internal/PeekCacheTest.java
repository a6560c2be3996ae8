package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

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
        TokenIds[] first = cache.ids(text, ReadBudget.perRequest());
        assertThat(first).extracting(TokenIds::jti).containsExactly("j-1");
        TokenIds[] second = cache.ids(new String(text.toCharArray()), ReadBudget.perRequest());
        assertThat(second).extracting(TokenIds::jti).containsExactly("j-1");
        assertThat(cache.ids(new String(text.toCharArray()), ReadBudget.perRequest())).isSameAs(second);
    }

    @Test
    void ids_aOneOffTextInTheSameSlot_doesNotEvictAKeptOne() {
        // Kept from the second sighting on: a stream of texts seen once never churns the table.
        PeekCache cache = new PeekCache();
        String kept = bearer("{\"jti\":\"kept-00001\"}", "c2lnbmF0dXJlLXRhaWw");
        String once = null;
        for (int n = 0; once == null; n++) { // another signature tail that lands in the same slot
            String candidate = bearer("{\"jti\":\"once-00001\"}", "c2lnbmF0dXJlLXRha" + n);
            if (PeekCache.sample(candidate) != PeekCache.sample(kept)
                    && (PeekCache.sample(candidate) & (PeekCache.SLOTS - 1)) == (PeekCache.sample(kept) & (PeekCache.SLOTS - 1))) {
                once = candidate;
            }
        }
        cache.ids(kept, ReadBudget.perRequest());
        TokenIds[] keptIds = cache.ids(kept, ReadBudget.perRequest());

        assertThat(cache.ids(once, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("once-00001");

        assertThat(cache.ids(kept, ReadBudget.perRequest())).isSameAs(keptIds);
    }

    @Test
    void ids_textCraftedForTheSameSlot_isNeverTakenForTheCachedOne() {
        // Same length and the same tail (what picks the slot), another payload: a revoked token
        // must not be answered with a live token's cached ids.
        PeekCache cache = new PeekCache();
        String live = bearer("{\"jti\":\"live-00001\",\"sub\":\"u\"}", "c2lnbmF0dXJlLXRhaWw");
        String revoked = bearer("{\"jti\":\"revoked-01\",\"sub\":\"u\"}", "c2lnbmF0dXJlLXRhaWw");
        assertThat(revoked).hasSameSizeAs(live).endsWith(live.substring(live.length() - 12));
        assertThat(cache.ids(live, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("live-00001");
        assertThat(cache.ids(revoked, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("revoked-01");
        assertThat(cache.ids(live, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("live-00001");
    }

    @Test
    void ids_everyPayloadOfAText_andLongTextsUncached() {
        PeekCache cache = new PeekCache();
        String two = bearer("{\"jti\":\"a-000000\"}", "x") + ", " + bearer("{\"jti\":\"b-000000\"}", "y");
        assertThat(cache.ids(two, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("a-000000", "b-000000");
        String padded = bearer("{\"jti\":\"c-000000\"}", "z".repeat(PeekCache.MAX_TEXT));
        assertThat(cache.ids(padded, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("c-000000");
    }

    @Test
    void ids_filledWithCraftedTexts_retainsBetween4And13MB() {
        // Texts of the longest kept length, each with its own tail (so they spread over the slots),
        // crafted to hold as much as they can: hundreds of tiny payloads (36 MB when those were
        // kept), four payloads whose ids fill what a kept text may hold, or ids as long as the text.
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        PeekCache cache = new PeekCache();
        for (int n = 0; n < 3 * PeekCache.SLOTS; n++) {
            StringBuilder text = new StringBuilder("Bearer x");
            int kind = n % 3;
            if (kind == 0) {
                while (text.length() < PeekCache.MAX_TEXT - 32) {
                    text.append('.').append(e.encodeToString(("{\"jti\":\"" + (char) ('a' + n % 26) + "\"}")
                            .getBytes(StandardCharsets.UTF_8)));
                }
            } else {
                int payloads = kind == 1 ? PeekCache.MAX_IDS : 1;
                int length = kind == 1 ? PeekCache.MAX_ID_CHARS / (3 * PeekCache.MAX_IDS) - 8 : 900;
                for (int k = 0; k < payloads; k++) {
                    String id = (n + "-" + k + "-" + "x".repeat(length)).substring(0, length);
                    text.append('.').append(e.encodeToString(("{\"jti\":\"" + id + "\",\"origin_jti\":\"" + id
                            + "\",\"sub\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8))).append(".s");
                }
            }
            String tail = " " + n;
            String s = (text + "A".repeat(PeekCache.MAX_TEXT)).substring(0, PeekCache.MAX_TEXT - tail.length()) + tail;
            cache.ids(s, ReadBudget.perRequest()); // the second sighting is the one that is kept
            assertThat(cache.ids(s, ReadBudget.perRequest())).isNotEmpty();
        }

        long retained = GraphLayout.parseInstance(cache).totalSize();

        assertThat(retained).isBetween(4L << 20, 13L << 20);
    }

    @Test
    void ids_aTextWhoseReadingTheBudgetCutShort_isNotKept() {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        PeekCache cache = new PeekCache();
        // A payload only Nimbus reads (an array of name/value pairs), then an ordinary one.
        String text = "Bearer x." + e.encodeToString("[[\"jti\",\"slow-1\"]]".getBytes(StandardCharsets.UTF_8))
                + "." + e.encodeToString("{\"jti\":\"fast-1\"}".getBytes(StandardCharsets.UTF_8)) + ".s";
        ReadBudget none = ReadBudget.of(0);

        assertThat(cache.ids(text, none)).extracting(TokenIds::jti).containsExactly("fast-1");
        assertThat(none.refused()).isTrue();

        assertThat(cache.ids(text, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("slow-1", "fast-1");
    }
}
