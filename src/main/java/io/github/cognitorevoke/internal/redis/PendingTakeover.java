package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.PendingStore.Pending;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The take-over half of {@link RedisPendingStore}: names the dead nodes (dead.lua), then moves a batch
 * of each one's pending revocations to this node in one script (take.lua: two live nodes never take
 * the same entry; the ids are read first, so the script gets every key in KEYS), opens them, and hands back
 * what this node cannot work (an entry sealed with another key, or one the engine does not keep).
 */
final class PendingTakeover {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    /** Most entries one sweep takes over. */
    static final int TAKEOVER_BATCH = 100;
    /** Most dead nodes one sweep looks at, oldest heartbeat first. */
    static final int DEAD_NODES_PER_SWEEP = 16;

    /** Renews this node's lease and names the dead nodes (dead.lua). */
    private static final String DEAD = Scripts.load("keep-later.lua", "reclaim.lua", "dead.lua");
    /** Takes over some of one dead node's entries; no id moves if it fails (see take.lua). */
    private static final String TAKE = Scripts.load("keep-later.lua", "reclaim.lua", "take.lua");
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
    List<Pending> takeOver(StatefulConnection<String, String> c, Instant now) {
        origins.clear();
        List<Object> dead = call(c, DEAD, new String[] {keys.nodes(), keys.mine()}, keys.node(), PendingKeys.millis(now),
                Long.toString(keys.nodesTtl()), PendingKeys.millis(now.minus(lease)),
                Integer.toString(DEAD_NODES_PER_SWEEP));
        if (dead == null) {
            return List.of();
        }
        List<Pending> adopted = new ArrayList<>();
        int room = TAKEOVER_BATCH;
        for (Object node : dead) {
            if (room <= 0) {
                break;
            }
            List<Object> taken = takeFrom(c, (String) node, now, room);
            if (taken == null) {
                return adopted;
            }
            room -= taken.size() / 2;
            forEachTaken(taken, (id, blob) -> adopt((String) node, id, blob, adopted));
        }
        sweepRefused.set(false);
        if (!adopted.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "cognito-revoke: took over {0} pending revocations from Redis at {1},"
                    + " left by nodes that stopped or stopped renewing their lease", adopted.size(), server);
        }
        return adopted;
    }

    /**
     * Takes up to {@code room} entries of one dead node: reads some of its ids, then takes in one
     * script those still there (the key names sent in KEYS, as a Redis Cluster needs).
     *
     * @return id, blob of each entry taken; null if Redis did not answer in time (or refused)
     */
    private List<Object> takeFrom(StatefulConnection<String, String> c, String node, Instant now, int room) {
        String theirs = keys.owned(node);
        CompletableFuture<Set<String>> read;
        synchronized (link.lock) {
            if (link.closed()) {
                return null;
            }
            read = RedisConnections.async(c).srandmember(theirs, room)
                    .thenApply(ids -> (Set<String>) new LinkedHashSet<>(ids)).toCompletableFuture();
        }
        Set<String> ids = link.await(read, refused -> { });
        if (ids == null) {
            // Not a set (or no answer): take.lua takes nothing from it and drops the node from the list.
            ids = Set.of();
        }
        List<String> names = new ArrayList<>(3 + ids.size());
        names.add(keys.nodes());
        names.add(keys.mine());
        names.add(theirs);
        List<String> args = new ArrayList<>(2 + ids.size());
        args.add(node);
        args.add(PendingKeys.millis(now.minus(lease)));
        for (String id : ids) {
            names.add(keys.entry(id));
            args.add(id);
        }
        return call(c, TAKE, names.toArray(String[]::new), args.toArray(String[]::new));
    }

    private void adopt(String from, String id, String blob, List<Pending> adopted) {
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
    }

    /**
     * Runs one script of the sweep; null if Redis did not answer in time or refused it. A take that
     * did not answer in time may still move entries to this node: they go back to where they came
     * from when it does, since no one works them here.
     */
    private List<Object> call(StatefulConnection<String, String> c, String script, String[] names, String... args) {
        CompletableFuture<List<Object>> sent;
        synchronized (link.lock) {
            if (link.closed()) {
                return null;
            }
            sent = RedisConnections.async(c).<List<Object>>eval(script, ScriptOutputType.MULTI, names, args)
                    .toCompletableFuture();
        }
        List<Object> reply = link.await(sent, this::sweepFailed);
        if (reply == null && script == TAKE) {
            String from = args[0];
            sent.thenAccept(late -> forEachTaken(late, (id, blob) -> giveBack(id, from)));
        }
        return reply;
    }

    @FunctionalInterface
    private interface TakenEntry {
        void accept(String id, String blob);
    }

    private static void forEachTaken(List<Object> taken, TakenEntry action) {
        for (int i = 0; i + 1 < taken.size(); i += 2) {
            action.accept((String) taken.get(i), (String) taken.get(i + 1));
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
        StatefulConnection<String, String> c = link.current();
        if (c == null) {
            return;
        }
        synchronized (link.lock) {
            if (!link.closed()) {
                RedisConnections.async(c).<Long>eval(GIVE_BACK, ScriptOutputType.INTEGER,
                        new String[] {keys.mine(), keys.owned(from), keys.nodes(), keys.entry(id)}, id, from);
            }
        }
    }

    /**
     * Redis answered the sweep with an error (a full Redis, a busy script): not an outage, and no id
     * moved (see {@link #TAKE}). Said once until a sweep succeeds.
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
