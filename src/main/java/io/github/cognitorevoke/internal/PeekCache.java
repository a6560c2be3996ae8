package io.github.cognitorevoke.internal;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The ids found in recently seen header texts, so that a client sending the same token again (the
 * usual case: one token serves many requests) costs a string comparison instead of a decode and a
 * scan. The denylist is still asked on every request: only the text-to-ids step, which never
 * changes for a given text, is remembered.
 *
 * <p>A small direct-mapped table: a slot is picked from a cheap sample of the text and a hit needs
 * the whole text to be equal ({@code String.equals}, vectorized), so a crafted text can only evict
 * an entry, never be taken for another. A text is kept from its second sighting on (one int per
 * slot remembers the last miss), so a stream of one-off tokens costs no entries. Memory is bounded
 * by {@link #SLOTS} entries of a text of at most {@link #MAX_TEXT} characters and at most
 * {@link #MAX_IDS} payloads' ids of at most {@link #MAX_ID_CHARS} characters in all: at most about 11 MB
 * (2,048 slots of about 5.4 KB), which {@code PeekCacheTest} checks with JOL on crafted texts. Slots are written
 * without locks: a reference write is atomic, and a lost write only costs a later decode.
 */
final class PeekCache {

    static final int SLOTS = 2048;
    /** Longer texts are not kept (Cognito tokens are 1 to 2 KB). */
    static final int MAX_TEXT = 4096;
    /** Texts with more payloads are not kept: a client sends one token, rarely two or three. */
    static final int MAX_IDS = 4;
    /** Texts whose ids are longer in all are not kept (Cognito's ids are 36-character UUIDs). */
    static final int MAX_ID_CHARS = 512;
    private static final TokenIds[] NONE = new TokenIds[0];

    /** {@code sample}: the text's length and tail, mixed; compared first, without touching the old text. */
    private record Entry(int sample, String text, TokenIds[] ids) {
    }

    private final Entry[] slots = new Entry[SLOTS];
    /** The sample of the last text each slot missed (a doorkeeper, as in TinyLFU). */
    private final int[] missed = new int[SLOTS];

    /**
     * The ids of every payload in the text, from the table or found now.
     *
     * @param text   a header value, a cookie header or a query string
     * @param budget the slow reads this text may still use
     * @return the ids, in order; empty if none
     */
    TokenIds[] ids(String text, ReadBudget budget) {
        if (text.length() > MAX_TEXT) {
            return find(text, budget);
        }
        int sample = sample(text);
        int slot = sample & (SLOTS - 1);
        Entry e = slots[slot];
        if (e != null && e.sample == sample && e.text.equals(text)) {
            return e.ids;
        }
        TokenIds[] ids = find(text, budget);
        if (missed[slot] != sample) {
            // Kept only when seen twice: on a server with many users most texts come once in a
            // while, and keeping each would cost an entry's allocation and retention for nothing.
            missed[slot] = sample;
            return ids;
        }
        // An answer the budget cut short is not the text's whole answer; many ids are no client's.
        if (!budget.refused() && ids.length <= MAX_IDS && idChars(ids) <= MAX_ID_CHARS) {
            slots[slot] = new Entry(sample, text, ids);
        }
        return ids;
    }

    private static TokenIds[] find(CharSequence text, ReadBudget budget) {
        Found found = new Found();
        TokenIds.anyMatch(text, found, budget);
        return found.n == found.ids.length ? found.ids : Arrays.copyOf(found.ids, found.n);
    }

    /** Collects every payload's ids; a text with one token (the usual case) costs one array of one. */
    private static final class Found implements Predicate<TokenIds> {
        TokenIds[] ids = NONE;
        int n;

        @Override
        public boolean test(TokenIds t) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, Math.max(1, n * 2));
            }
            ids[n++] = t;
            return false;
        }
    }

    private static int idChars(TokenIds[] all) {
        int n = 0;
        for (TokenIds ids : all) {
            n += length(ids.jti()) + length(ids.originJti()) + length(ids.sub());
        }
        return n;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** The length and the last characters (a signature's tail: as good as random), mixed; its low bits pick the slot. */
    static int sample(String text) {
        int n = text.length();
        int h = n;
        for (int i = Math.max(0, n - 12); i < n; i++) {
            h = 31 * h + text.charAt(i);
        }
        h ^= h >>> 16;
        return (h * 0x9E3779B9) >>> 16 | h << 16;
    }
}
