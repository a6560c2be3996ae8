package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Attack review of {@link PeekCache}: one request must never make another text's ids (or an
 * incomplete answer) come back. All HELD: these are regression tests.
 */
class PeekCacheAttackTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static String bearer(String payloadJson, String signature) {
        return "Bearer " + B64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    /** Two texts of the same length and the same last 12 characters: the same sample, the same slot. */
    private static String[] sameSample(String jtiA, String jtiB) {
        String a = bearer("{\"jti\":\"" + jtiA + "\"}", "c2lnbmF0dXJlLXRhaWw");
        String b = bearer("{\"jti\":\"" + jtiB + "\"}", "c2lnbmF0dXJlLXRhaWw");
        assertThat(a).hasSameSizeAs(b);
        assertThat(PeekCache.sample(a)).isEqualTo(PeekCache.sample(b));
        return new String[] {a, b};
    }

    /** HELD: a text kept in the table is never answered for another text with the same sample. */
    @Test
    void sameSampleOtherText_getsItsOwnIds() {
        PeekCache cache = new PeekCache();
        String[] t = sameSample("live-00001", "revoked-01");
        cache.ids(t[0], ReadBudget.perRequest());
        cache.ids(t[0], ReadBudget.perRequest()); // kept now
        assertThat(cache.ids(t[0], ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("live-00001");
        for (int i = 0; i < 3; i++) {
            assertThat(cache.ids(t[1], ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("revoked-01");
        }
        assertThat(cache.ids(t[0], ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("live-00001");
    }

    /**
     * HELD: an answer the budget cut short is never kept. The request's budget is spent by an earlier
     * text (four pair-array payloads, which only Nimbus reads); the same pair-array text, seen twice
     * with a spent budget, is not kept, so a fresh request still reads it in full.
     */
    @Test
    void budgetCutAnswer_isNotKept() {
        PeekCache cache = new PeekCache();
        String pairs = bearer("[[\"jti\",\"revoked-pairs\"]]", "c2lnbmF0dXJl");
        for (int i = 0; i < 3; i++) {
            ReadBudget spent = ReadBudget.of(0);
            assertThat(cache.ids(pairs, spent)).isEmpty();
            assertThat(spent.refused()).isTrue();
        }
        assertThat(cache.ids(pairs, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("revoked-pairs");
    }

    /** HELD: a text answered in full after a refusal earlier in the same request is not kept either (refused is sticky). */
    @Test
    void budgetRefusedEarlierInRequest_laterTextNotKept_andStillAnsweredInFull() {
        PeekCache cache = new PeekCache();
        String plain = bearer("{\"jti\":\"j-plain\"}", "c2lnbmF0dXJl");
        ReadBudget budget = ReadBudget.of(0);
        budget.take(); // refused by an earlier text
        assertThat(cache.ids(plain, budget)).extracting(TokenIds::jti).containsExactly("j-plain");
        assertThat(cache.ids(plain, budget)).extracting(TokenIds::jti).containsExactly("j-plain");
        assertThat(cache.ids(plain, ReadBudget.perRequest())).extracting(TokenIds::jti).containsExactly("j-plain");
    }

    /** HELD: callers cannot change a kept answer through the returned array (nothing in main code writes it; documented here). */
    @Test
    void concurrentTextsInOneSlot_eachThreadGetsItsOwnIds() throws Exception {
        PeekCache cache = new PeekCache();
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pairs.add(sameSample(String.format("live-%05d", i), String.format("revk-%05d", i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                int me = th;
                results.add(pool.submit(() -> {
                    for (int r = 0; r < 20_000; r++) {
                        String[] p = pairs.get((r + me) % pairs.size());
                        String text = p[(r / 3 + me) % 2];
                        TokenIds[] ids = cache.ids(new String(text.toCharArray()), ReadBudget.perRequest());
                        String expected = text == p[0] ? "live-" : "revk-";
                        if (ids.length != 1 || !ids[0].jti().startsWith(expected)
                                || !ids[0].jti().endsWith(String.format("%05d", pairs.indexOf(p)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
