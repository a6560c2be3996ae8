package io.github.cognitorevoke.internal.redis;

/**
 * One denylist write as Redis keeps it: a token id with its end, or a subject's cut-off with its
 * end. Two writes of the same key merge keep-later, as the Lua scripts do in Redis.
 *
 * @param key       the Redis key ({@code P j:id} or {@code P s:sub})
 * @param subject   true for a cut-off ({@code s:}), false for a token id ({@code j:})
 * @param name      the token id or the subject
 * @param notBefore the cut-off in epoch seconds (unused for a token id)
 * @param endMs     when the entry may go, epoch milliseconds (the key's PXAT)
 */
record DenylistWrite(String key, boolean subject, String name, long notBefore, long endMs) {

    /**
     * Merges a later write of the same key: the later end and the later cut-off win.
     *
     * @param next the other write
     * @return this write if the other adds nothing, else the merged write
     */
    DenylistWrite merge(DenylistWrite next) {
        long end = Math.max(endMs, next.endMs);
        long nb = Math.max(notBefore, next.notBefore);
        if (end == endMs && nb == notBefore) {
            return this;
        }
        return new DenylistWrite(key, subject, name, nb, end);
    }
}
