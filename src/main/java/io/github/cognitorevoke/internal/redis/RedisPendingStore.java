package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.PendingStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * Pending revocations in Redis, encrypted, owned by one live node at a time and taken over by
 * another when their node goes away. Keys (P = {@code redisKeyPrefix}), each with an expiry:
 * <ul>
 *   <li>{@code P p:<id>}: the entry, sealed by {@link PendingCipher}; expires at the entry's deadline.</li>
 *   <li>{@code P owned:<node>}: the ids a node works on, a set; expires with its latest entry.</li>
 *   <li>{@code P nodes}: node → last heartbeat (epoch ms of the nodes' clocks), a sorted set; expires
 *   with the latest owned set, and at least three leases after the last heartbeat.</li>
 * </ul>
 * A node renews its lease (its heartbeat) every sweep and every third of {@code redisLease} in the
 * background; a node silent for a lease, or closed (heartbeat 0), is dead. A sweep moves a batch of
 * a dead node's ids to the sweeping node's set in one script per dead node, so two live nodes never
 * take the same entry. Every expiry is kept-later in Lua (Redis 6.2 has neither EXPIRE GT nor
 * PEXPIRETIME). Every key a script touches is named by the node, in KEYS, and lies in the prefix's
 * hash slot: a standalone server, a primary with replicas, or a Redis Cluster.
 *
 * <p>Nothing here blocks longer than {@code redisTimeout} or throws: a write Redis did not take is
 * kept and retried every sweep (entries stay pending on this node regardless), and an entry that
 * ended while Redis was away is forgotten there when it answers.
 */
public final class RedisPendingStore implements PendingStore {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    /** Most writes that Redis did not take retried per sweep (saves, and forgetting what ended). */
    static final int RETRIES_PER_SWEEP = 1000;
    /** How many leases the node list outlives the last heartbeat when no entry needs it longer. */
    private static final int NODES_TTL_LEASES = 3;

    private static final String SAVE = Scripts.load("keep-later.lua", "save.lua");
    private static final String HEARTBEAT = Scripts.load("keep-later.lua", "heartbeat.lua");
    private static final String FORGET = Scripts.load("forget.lua");
    private static final String RELEASE = Scripts.load("reclaim.lua", "release.lua");

    private final PendingKeys keys;
    private final String node;
    private final Duration lease;
    private final Clock clock;
    private final PendingCipher cipher;
    private final String server;
    private final PendingLink link;
    // Orders writes: every command is dispatched under it, so a save never overtakes a later removal.
    private final Object writes;
    private final PendingTakeover takeover;
    private ScheduledFuture<?> heartbeat;
    private final Map<String, Pending> unsaved = new ConcurrentHashMap<>();
    private final Set<String> saving = ConcurrentHashMap.newKeySet();
    // id -> whether its entry goes too (true) or only this node's claim (false), until Redis took it.
    // Bounded (redisMaxBufferedWrites): past it an ended entry is left to its key's expiry at its deadline;
    // the worst that does is one more RevokeToken by a node that takes it over (harmless).
    private final Map<String, Boolean> unforgotten = new ConcurrentHashMap<>();
    private final int maxUnforgotten;

    /**
     * A store on connections it is handed and does not close; it makes its own connection from them.
     *
     * @param connections           the client, which the denylist may share
     * @param settings              the settings; {@code redisEncryptionKey} must be set
     * @param clock                 the time of heartbeats and deadlines (the nodes' clocks must agree
     *                              within a fraction of {@code redisLease})
     * @param node                  this node's id, unique per start (see {@link #newNodeId()})
     * @param heartbeatInBackground whether to renew the lease on Lettuce's timer as well as every sweep,
     *                              so that a long sweep does not let it run out (tests drive sweeps only)
     */
    public RedisPendingStore(RedisConnections connections, RevocationSettings settings, Clock clock, String node,
                             boolean heartbeatInBackground) {
        this(settings, clock, connections, node, heartbeatInBackground);
        // Handed a running client: the first save finds the connection made (an unreachable Redis
        // leaves it to the background, as for open).
        link.connectNow();
    }

    // Connects nothing: the public constructor connects now, open in the background.
    private RedisPendingStore(RevocationSettings settings, Clock clock, RedisConnections connections, String node,
                              boolean heartbeatInBackground) {
        byte[] key = settings.redisEncryptionKey().orElseThrow(() -> new IllegalArgumentException(
                RevocationSettings.REDIS_ENCRYPTION_KEY + " is required to keep pending revocations in Redis"));
        try {
            this.cipher = new PendingCipher(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        this.node = node;
        this.maxUnforgotten = settings.redisMaxBufferedWrites();
        this.lease = settings.redisLease();
        this.keys = new PendingKeys(settings.redisKeyPrefix(), node, NODES_TTL_LEASES * lease.toMillis());
        this.clock = clock;
        this.server = connections.server();
        this.link = new PendingLink(connections, settings.redisTimeout(), clock, unsaved::size);
        this.writes = link.lock;
        this.takeover = new PendingTakeover(keys, lease, cipher, link, server);
        if (heartbeatInBackground) {
            heartbeat = link.every(lease.dividedBy(3), this::heartbeat);
        }
    }

    /**
     * Opens the store of a deployment on a client it is handed and does not close (the denylist
     * shares it); the connection is made in the background: an unreachable Redis fails nothing, and
     * the connection is made again (with {@link RedisConnections.Backoff}) whenever it is needed.
     *
     * @param connections the client; its opener closes it after this store
     * @param settings    the settings; {@code redisUri} and {@code redisEncryptionKey} must be set
     * @param clock       the time of heartbeats and deadlines
     * @return the store
     */
    public static RedisPendingStore open(RedisConnections connections, RevocationSettings settings, Clock clock) {
        RedisPendingStore store = new RedisPendingStore(settings, clock, connections, newNodeId(), true);
        store.link.connection();
        return store;
    }

    /** @return a new random node id */
    public static String newNodeId() {
        return UUID.randomUUID().toString();
    }

    /** @return this node's id */
    public String node() {
        return node;
    }

    private void heartbeat() {
        StatefulConnection<String, String> c = link.connection();
        synchronized (writes) {
            if (link.closed() || c == null) {
                return;
            }
            RedisConnections.async(c).<Long>eval(HEARTBEAT, ScriptOutputType.INTEGER, new String[] {keys.nodes(), keys.mine()},
                    node, PendingKeys.millis(clock.instant()), Long.toString(keys.nodesTtl()));
        }
    }

    @Override
    public void save(Pending pending) {
        if (!pending.deadline().isAfter(clock.instant())) {
            return;
        }
        unsaved.put(pending.id(), pending);
        link.await(write(pending));
    }

    /** Sends a save unless one for the same entry is on its way; it leaves {@link #unsaved} once Redis took it. */
    private CompletableFuture<?> write(Pending pending) {
        StatefulConnection<String, String> c = link.connection();
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected yet"));
        }
        String name = keys.entry(pending.id());
        CompletableFuture<Long> sent;
        synchronized (writes) {
            // Checked under the lock: a removal made meanwhile must not be overtaken by this save.
            if (link.closed() || unsaved.get(pending.id()) != pending || !saving.add(pending.id())) {
                return CompletableFuture.completedFuture(null);
            }
            sent = RedisConnections.async(c).<Long>eval(SAVE, ScriptOutputType.INTEGER, new String[] {name, keys.mine(), keys.nodes()},
                    cipher.seal(name, pending), PendingKeys.millis(pending.deadline()), pending.id(), node,
                    PendingKeys.millis(clock.instant()), Long.toString(keys.nodesTtl())).toCompletableFuture();
        }
        return sent.whenComplete((r, failure) -> {
            saving.remove(pending.id());
            if (failure == null) {
                unsaved.remove(pending.id(), pending);
                link.answered();
            } else {
                link.failed(failure);
            }
        });
    }

    @Override
    public void remove(String id) {
        forget(id, true);
    }

    @Override
    public void release(String id) {
        forget(id, false);
    }

    private void forget(String id, boolean entryToo) {
        synchronized (writes) {
            unsaved.remove(id);
            if (unforgotten.size() < maxUnforgotten || unforgotten.containsKey(id)) {
                unforgotten.merge(id, entryToo, Boolean::logicalOr);
            }
        }
        sendForget(id);
    }

    private void sendForget(String id) {
        StatefulConnection<String, String> c = link.connection();
        Boolean entryToo = unforgotten.get(id);
        if (c == null || entryToo == null) {
            return;
        }
        CompletableFuture<Long> sent;
        synchronized (writes) {
            if (link.closed()) {
                return;
            }
            String[] names = entryToo ? new String[] {keys.mine(), keys.entry(id)} : new String[] {keys.mine()};
            sent = RedisConnections.async(c).<Long>eval(FORGET, ScriptOutputType.INTEGER, names, id).toCompletableFuture();
        }
        sent.whenComplete((r, failure) -> {
            if (failure == null) {
                unforgotten.remove(id, entryToo);
                link.answered();
            } else {
                link.failed(failure);
            }
        });
    }

    @Override
    public List<Pending> sweep(Instant now) {
        StatefulConnection<String, String> c = link.connection();
        if (c == null) {
            return List.of();
        }
        if (c.isOpen()) {
            // What Redis did not take earlier goes first: saves, then forgetting what ended meanwhile.
            unsaved.values().stream().limit(RETRIES_PER_SWEEP).forEach(this::write);
            unforgotten.keySet().stream().limit(RETRIES_PER_SWEEP).forEach(this::sendForget);
        }
        return takeover.takeOver(c, now);
    }

    @Override
    public void giveBack(Pending pending) {
        takeover.giveBack(pending);
    }

    @Override
    public void close() {
        synchronized (writes) {
            if (link.closed()) {
                return;
            }
        }
        StatefulConnection<String, String> c = link.current();
        if (c != null) {
            // A last chance for what Redis did not take, then the lease goes: others take over at their next sweep.
            CompletableFuture<?>[] last = unsaved.values().stream().map(this::write).toArray(CompletableFuture[]::new);
            link.await(CompletableFuture.allOf(last));
        }
        CompletableFuture<Long> released = null;
        synchronized (writes) {
            link.markClosed();
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            if (c != null) {
                released = RedisConnections.async(c).<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] {keys.nodes(), keys.mine()}, node)
                        .toCompletableFuture();
            }
        }
        if (released != null) {
            link.await(released);
        }
        if (!unsaved.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: {0} pending revocations could not be saved in Redis"
                    + " at {1} before this node stopped; no other node will finish them", unsaved.size(), server);
        }
        link.close();
    }
}
