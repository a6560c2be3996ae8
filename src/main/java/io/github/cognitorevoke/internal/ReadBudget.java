package io.github.cognitorevoke.internal;

/**
 * How many token payloads one request may still have read by Nimbus rather than by the fast
 * scanner of {@link TokenIds}. Nimbus's reading costs a few exceptions with stack traces, so
 * without a bound a header of many crafted segments would cost a node seconds of CPU. No issued
 * token needs it, so a request that asks for more is not a genuine one: it is refused (400), never
 * passed on unchecked. One budget serves every text of one request. It also bounds how often the
 * JDK's base64 decoder, which throws on bad input, is tried: after a few throws the request's
 * remaining segments go to a slower decoder that never throws, and nothing is refused for that.
 */
public class ReadBudget {

    /** Reads by Nimbus allowed per request: a few oddly written tokens, not a flood of them. */
    public static final int PER_REQUEST = 4;

    /** Decodes by the JDK's fast decoder that may still throw (it throws on what is not base64url). */
    private static final int FAST_DECODE_FAILURES = 4;

    private int left;
    private boolean refused;
    private int fastDecodeFailures;

    /** @param left the reads allowed; subclassed only here (a request's search is its own budget) */
    ReadBudget(int left) {
        this.left = left;
    }

    /** @return a budget for one request */
    public static ReadBudget perRequest() {
        return new ReadBudget(PER_REQUEST);
    }

    /** @return a budget that never refuses, for one token the application itself hands over */
    static ReadBudget unlimited() {
        return of(Integer.MAX_VALUE);
    }

    static ReadBudget of(int reads) {
        return new ReadBudget(reads);
    }

    /** @return true if one more read is allowed (and counts it); false marks the budget refused */
    boolean take() {
        if (left > 0) {
            left--;
            return true;
        }
        refused = true;
        return false;
    }

    /** @return whether the next segment may be decoded by the JDK's decoder, which throws on bad input */
    boolean fastDecode() {
        return fastDecodeFailures < FAST_DECODE_FAILURES;
    }

    /** Counts one throw of the JDK's decoder: after a few, the request's segments use the decoder that never throws. */
    void fastDecodeFailed() {
        fastDecodeFailures++;
    }

    /** @return whether a read was refused: some payload of the request was not checked */
    public boolean refused() {
        return refused;
    }
}
