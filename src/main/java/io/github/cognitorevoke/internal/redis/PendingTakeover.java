package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.PendingStore.Pending;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The take-over half of {@link RedisPendingStore}: moves a batch of dead nodes' pending revocations
 * to this node in one script (two live nodes never take the same entry), opens them, and hands back
 * what this node cannot work (an entry sealed with another key, or one the engine does not keep).
 */
final class PendingTakeover {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    /** Most entries one sweep takes over. */
    static final int TAKEOVER_BATCH = 100;
    /** Most dead nodes one sweep looks at, oldest heartbeat first. */
    static final int DEAD_NODES_PER_SWEEP = 16;

    /** Takes over dead nodes' entries; no id moves if it fails (see sweep.lua). */
    private static final String SWEEP = Scripts.load("keep-later.lua", "reclaim.lua", "sweep.lua");
    private static final String GIVE_BACK = Scripts.load("keep-later.lua", "give-back.lua");

    private final PendingKeys keys;
    private final Duration lease;
    private final PendingCipher cipher;
    private final PendingLink link;
    private final String server;
    // The node each entry of the last sweep came from, to hand it back there.
    private final Map<String, String> origins = new ConcurrentHashMap<>();
    private final AtomicBoolean sweepRefused = new AtomicBoolean();
    private final AtomicBoolean warnedSeal = new AtomicBoolean();

    PendingTakeover(PendingKeys keys, Duration lease, PendingCipher cipher, PendingLink link, String server) {
        this.keys = keys;
        this.lease = lease;
        this.cipher = cipher;
        this.link = link;
        this.server = server;
    }

    /**
     * Takes over what dead nodes left, renewing this node's lease in the same script.
     *
     * @param c   the connection
     * @param now the sweep's time
     * @return the entries this node now works on; empty if Redis did not answer in time
     */
    List<Pending> takeOver(StatefulRedisConnection<String, String> c, Instant now) {
        origins.clear();
        CompletableFuture<List<Object>> swept;
        synchronized (link.lock) {
            if (link.closed()) {
                return List.of();
            }
            swept = c.async().<List<Object>>eval(SWEEP, ScriptOutputType.MULTI, new String[] {keys.nodes(), keys.mine()},
                    keys.node(), PendingKeys.millis(now), Long.toString(keys.nodesTtl()),
                    PendingKeys.millis(now.minus(lease)), Integer.toString(TAKEOVER_BATCH), keys.prefix(),
                    Integer.toString(DEAD_NODES_PER_SWEEP))
                    .toCompletableFuture();
        }
        List<Object> taken = link.await(swept, this::sweepFailed);
        if (taken == null) {
            // Redis may still move entries to this node: hand them back when it does, since no one works them here.
            swept.thenAccept(late -> forEachTaken(late, (from, id, blob) -> giveBack(id, from)));
            return List.of();
        }
        sweepRefused.set(false);
        List<Pending> adopted = new ArrayList<>(taken.size() / 3);
        forEachTaken(taken, (from, id, blob) -> {
            try {
                adopted.add(cipher.open(keys.entry(id), id, blob));
                origins.put(id, from);
            } catch (PendingCipher.SealBroken e) {
                if (warnedSeal.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, "cognito-revoke: a pending revocation in Redis at " + server
                            + " " + e.getMessage() + ": do all nodes use the same " + RevocationSettings.REDIS_ENCRYPTION_KEY
                            + "? It is left in Redis for another node (until its deadline)");
                }
                giveBack(id, from);
            }
        });
        if (!adopted.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "cognito-revoke: took over {0} pending revocations from Redis at {1},"
                    + " left by nodes that stopped or stopped renewing their lease", adopted.size(), server);
        }
        return adopted;
    }

    @FunctionalInterface
    private interface TakenEntry {
        void accept(String from, String id, String blob);
    }

    private static void forEachTaken(List<Object> taken, TakenEntry action) {
        for (int i = 0; i + 2 < taken.size(); i += 3) {
            action.accept((String) taken.get(i), (String) taken.get(i + 1), (String) taken.get(i + 2));
        }
    }

    /**
     * Hands an entry of the last sweep back to the node it came from.
     *
     * @param pending the entry; nothing happens if the last sweep did not take it
     */
    void giveBack(Pending pending) {
        String from = origins.remove(pending.id());
        if (from != null) {
            giveBack(pending.id(), from);
        }
    }

    private void giveBack(String id, String from) {
        StatefulRedisConnection<String, String> c = link.current();
        if (c == null) {
            return;
        }
        synchronized (link.lock) {
            if (!link.closed()) {
                c.async().<Long>eval(GIVE_BACK, ScriptOutputType.INTEGER,
                        new String[] {keys.mine(), keys.owned(from), keys.nodes(), keys.entry(id)}, id, from);
            }
        }
    }

    /**
     * Redis answered the sweep with an error (a full Redis, a busy script): not an outage, and no id
     * moved (see {@link #SWEEP}). Said once until a sweep succeeds.
     */
    private void sweepFailed(Throwable cause) {
        if (!(cause instanceof RedisCommandExecutionException)) {
            link.failed(cause);
        } else if (sweepRefused.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: Redis at {0} refused the sweep that lets this node"
                    + " take over pending revocations of stopped nodes ({1}); it is tried again at every sweep, and"
                    + " until one succeeds those revocations wait in Redis (until their deadline)", server,
                    link.briefly(cause));
        }
    }
}
