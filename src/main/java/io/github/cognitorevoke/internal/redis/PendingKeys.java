package io.github.cognitorevoke.internal.redis;

import java.time.Instant;

/**
 * The pending store's key names (P = {@code redisKeyPrefix}), how long the node list outlives the
 * last heartbeat, and how times are written for the scripts.
 *
 * @param prefix   P
 * @param node     this node's id
 * @param nodesTtl milliseconds
 */
record PendingKeys(String prefix, String node, long nodesTtl) {
    /** @return {@code P nodes} */
    String nodes() {
        return prefix + "nodes";
    }

    /** @return {@code P owned:<this node>} */
    String mine() {
        return owned(node);
    }

    /** @return {@code P owned:<node>} */
    String owned(String node) {
        return prefix + "owned:" + node;
    }

    /**
     * @param t an instant
     * @return epoch milliseconds as the scripts read times
     */
    static String millis(Instant t) {
        return Long.toString(t.toEpochMilli());
    }

    /** @return {@code P p:<id>} */
    String entry(String id) {
        return prefix + "p:" + id;
    }
}
