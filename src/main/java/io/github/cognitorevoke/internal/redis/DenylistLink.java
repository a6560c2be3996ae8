package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The denylist's link to Redis: its two connections (commands, and the subscription to
 * {@code P events}) and one daemon thread ({@code cognito-revoke-redis}) that makes them, replays the
 * kept writes and resyncs, in that order, at start and after every loss of the subscription. Lettuce's
 * auto-reconnect is off ({@link RedisConnections}): this worker makes new connections, with
 * {@link RedisConnections.Backoff}. It says once when an outage starts and once when it ends. On a
 * Redis Cluster it also follows the primary of the prefix's slot ({@link FailoverWatch}).
 */
final class DenylistLink {

    private static final System.Logger LOG = System.getLogger(DenylistKeys.LOGGER);
    /** How often the worker checks whether there is anything to connect, replay or sync. */
    private static final Duration TICK = Duration.ofMillis(100);
    /** How often the subscription's connection is pinged to find a Redis that vanished silently. */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);

    private final Clock clock;
    private final String server;
    private final int maxBuffered;
    private final DenylistKeys keys;
    private final RedisConnections connections;
    private final DenylistWrites writes;
    private final DenylistSync sync;
    private final Outage outage;
    private final RedisConnections.Backoff backoff = new RedisConnections.Backoff();
    private final FailoverWatch watch;
    private final ScheduledExecutorService worker;
    final CompletableFuture<Void> firstSync = new CompletableFuture<>();

    // Bytes, not strings: a sync of a million keys would otherwise decode each key and cut the prefix off a
    // second copy.
    private volatile StatefulConnection<byte[], byte[]> commands;
    private volatile StatefulRedisPubSubConnection<String, String> events;
    private volatile boolean subscribed;
    private volatile boolean inSync;
    /** Worker thread only. */
    private long lastPingNanos = System.nanoTime();
    private volatile Instant outOfSyncSince;
    private volatile boolean closed;
    /** Counts losses of the subscription: a sync that saw one begin under it proves nothing. */
    private final AtomicLong losses = new AtomicLong();
    private final AtomicBoolean woken = new AtomicBoolean();
    /** Through Sentinel: the latest question which server is the primary (followSentinel). */
    private volatile CompletableFuture<?> askingSentinel = CompletableFuture.completedFuture(null);
    /** Worker only: the losses count of a first load that waits for the other nodes' writes, or -1. */
    private long settling = -1;
    /** Worker only: when that first load counts. */
    private long settledNanos;

    DenylistLink(RedisConnections connections, DenylistKeys keys, DenylistSync sync, Outage outage, Clock clock,
            int maxBuffered) {
        this.connections = connections;
        this.server = connections.server();
        this.keys = keys;
        this.sync = sync;
        this.outage = outage;
        this.clock = clock;
        this.maxBuffered = maxBuffered;
        this.outOfSyncSince = clock.instant();
        this.writes = new DenylistWrites(keys, maxBuffered, connections, outage, this::outage);
        this.watch = new FailoverWatch(connections.timeout());
        // On a cluster, maybe the slot's primary died (a topology refresh closes its own connections: not counted).
        connections.onPeerClosed(watch::peerLost);
        connections.onDisconnected(connection -> {
            // Without auto-reconnect a closed connection stays closed: the worker makes a new one.
            if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
                lost();
            }
            wake();
        });
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cognito-revoke-redis");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the worker: connect, replay and sync now, then check every {@link #TICK}. */
    void start() {
        worker.scheduleWithFixedDelay(this::recoverQuietly, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the worker; the connections close with {@link RedisConnections}. */
    void close() {
        closed = true;
        worker.shutdownNow();
    }

    DenylistWrites writes() {
        return writes;
    }

    /** @return the commands connection, or null while there is none */
    StatefulConnection<byte[], byte[]> commands() {
        return commands;
    }

    boolean subscribed() {
        return subscribed;
    }

    boolean inSync() {
        return inSync;
    }

    Instant outOfSyncSince() {
        return outOfSyncSince;
    }

    boolean inOutage() {
        return outage.ongoing();
    }

    // ------------------------------------------------------------------ subscription

    private final class Events extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String ch, String message) {
            if (keys.channel.equals(ch)) {
                sync.apply(message);
            }
        }
    }

    /** The subscription is gone: until resubscribed and resynced, this node may miss entries. */
    private void lost() {
        if (closed) {
            return;
        }
        synchronized (this) {
            subscribed = false;
            losses.incrementAndGet();
            if (inSync) {
                outOfSyncSince = clock.instant();
                inSync = false;
            }
        }
        writes.replayRecent();
        outage("connection lost");
    }

    /**
     * Pings on the subscription's connection every {@link #HEARTBEAT}: a Redis that vanished without
     * closing the connection (a host gone, a network partition) answers nothing, and closing the
     * connection then makes it a lost subscription like any other, resynced once Redis is back.
     */
    private void heartbeat() {
        long now = System.nanoTime();
        if (now - lastPingNanos < HEARTBEAT.toNanos()) {
            return;
        }
        lastPingNanos = now;
        StatefulRedisPubSubConnection<String, String> e = events;
        if (e != null && e.isOpen()) {
            e.async().ping().whenComplete((pong, failure) -> {
                if (failure != null && e.isOpen()) {
                    e.closeAsync();
                }
            });
        }
        // On a cluster the slot's primary is often another node than the subscription's: while this node has
        // writes it would send again, a primary that vanished silently is found here, not by the next write. A
        // keyed command, routed as the writes are: a slot that moved answers MOVED, and Lettuce refreshes its
        // topology (there is no periodic refresh, see RedisConnections).
        if (commands instanceof StatefulRedisClusterConnection<byte[], byte[]> c && writes.hasRecent()
                && !watch.watching()) {
            RedisConnections.checkPrimary(c, keys.idIndex).whenComplete((exists, failure) -> {
                if (failure != null) {
                    watch.begin();
                    wake();
                }
            });
        }
    }

    private void wake() {
        // Coalesced: a burst of failed writes queues one recovery, not one each.
        if (!closed && !woken.getAndSet(true)) {
            try {
                worker.execute(this::recoverQuietly);
            } catch (RejectedExecutionException closing) {
                // Closed meanwhile: nothing to do.
            }
        }
    }

    private void recoverQuietly() {
        woken.set(false);
        try {
            heartbeat();
            followPrimary();
            recover();
        } catch (RuntimeException | Error e) {
            // Never let the scheduled task die; the next tick tries again.
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: Redis recovery step failed: " + e);
        }
    }

    /** Worker thread: connect if needed, then replay, then sync; each step only once the previous holds. */
    private void recover() {
        // The common case, every tick: nothing to do. Also catches a closed connection whose event went missing.
        if (closed || (inSync && writes.waiting() == 0 && open(events) && open(commands) && !outage.ongoing())) {
            return;
        }
        if (!backoff.due()) {
            return;
        }
        dropClosed();
        // Read before subscribing: a loss at any point of connect, replay or sync voids this sync.
        long loss = losses.get();
        try {
            connect();
            outage.replayed(writes.replay(RedisConnections.async(commands)));
            if (!inSync && !synced(loss)) {
                return;
            }
            if (writes.waiting() == 0) {
                outageOver();
            }
            backoff.succeeded();
        } catch (RevocationConfigurationException e) {
            // A cluster and a prefix without a hash tag: no connection will ever do. Fails the deployment
            // if it waits for the first sync, else says so once and keeps trying (the prefix cannot change).
            if (!firstSync.isDone()) {
                LOG.log(System.Logger.Level.ERROR, e.getMessage());
                firstSync.completeExceptionally(e);
            }
            backoff.failed();
        } catch (Exception e) {
            outage(connections.describe(e));
            // On a cluster a failed command may mean a failover: learn the new primaries now (there is no periodic refresh).
            connections.refreshTopology();
            backoff.failed();
        }
    }

    /**
     * Worker, on a cluster: follows the primary of the prefix's slot ({@link FailoverWatch}). While a
     * watch is under way, every tick and whatever the backoff, pings that primary (asking the cluster
     * for its topology after each failure) and sends the recent writes again as soon as it answers.
     */
    private void followPrimary() {
        boolean peerLost = watch.takePeerLost();
        if (connections.sentinel()) {
            followSentinel();
            return;
        }
        StatefulConnection<byte[], byte[]> c = commands;
        if (closed || !(c instanceof StatefulRedisClusterConnection<?, ?>)) {
            return;
        }
        if (peerLost) {
            // Without auto-reconnect a node connection that its peer closed stays inside the cluster connection, dead,
            // as long as its node is listed (a primary that restarts keeps its node id): commands routed to it would
            // time out for good. A new cluster connection makes new node connections (a write in flight on the old
            // one fails and is kept).
            watch.begin();
            try {
                commands = connections.connect(ByteArrayCodec.INSTANCE);
            } catch (Exception e) {
                commands = null; // made again by the next step
            } finally {
                c.closeAsync();
            }
        } else {
            RedisClusterNode primary = RedisConnections.primaryOf(c, keys.idIndex);
            if (primary != null && watch.primaryIs(primary.getNodeId())) {
                watch.begin();
            }
        }
        if (!watch.watching()) {
            return;
        }
        try {
            connect();
            connections.await(RedisConnections.pingPrimary(
                    (StatefulRedisClusterConnection<byte[], byte[]>) commands, keys.idIndex));
            watch.over();
            writes.replayRecent();
            outage.replayed(writes.replay(RedisConnections.async(commands)));
            backoff.answered();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: the primary of the prefix's slot does not answer yet: "
                    + connections.describe(e));
            connections.refreshTopology();
        }
    }

    /**
     * Worker, through Sentinel ({@link FailoverWatch}): while an outage lasts, asks a Sentinel every tick
     * (one question at a time) which server is the primary; once it names another than the one this
     * node last connected to, the next attempt to connect, replay and resync is at once, whatever the
     * backoff, not up to {@link RedisConnections#LONGEST_RETRY} later.
     */
    private void followSentinel() {
        if (closed || !outage.ongoing()) {
            watch.over();
            return;
        }
        if (watch.takeMoved()) {
            backoff.answered();
            return;
        }
        if (watch.watching() && askingSentinel.isDone()) {
            askingSentinel = connections.sentinelPrimary().thenAccept(primary -> {
                if (watch.named(primary.address())) {
                    wake();
                }
            });
        }
    }

    /**
     * How long ago a primary failed, as far as the server tells: on a cluster, when the latest failed
     * primary in the topology last answered; through Sentinel, since the Sentinel learned of the current
     * primary, if that primary was promoted from a replica ({@code second_repl_offset} set in its
     * {@code INFO replication}; 0 while the Sentinel finds it down, or if no Sentinel answers: a
     * failover may be under way).
     *
     * @return milliseconds, or -1 if nothing says so
     */
    private long failedMillisAgo() {
        if (connections.sentinel()) {
            try {
                RedisConnections.SentinelPrimary primary = connections.await(connections.sentinelPrimary());
                if (!primary.down() && primary.knownMillis() < DenylistWrites.RECENT.toMillis()
                        && neverPromoted()) {
                    // Never promoted from a replica (a promoted one keeps its former history's offset): the
                    // Sentinel itself started lately, no failover.
                    return -1;
                }
                return primary.failedMillisAgo();
            } catch (io.lettuce.core.RedisCommandExecutionException refused) {
                // A Sentinel that refuses SENTINEL MASTER (an ACL) tells nothing.
                LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: the Sentinel refuses SENTINEL MASTER: "
                        + connections.describe(refused));
                return -1;
            } catch (Exception unanswered) {
                return 0;
            }
        }
        long failed = RedisConnections.failedPrimaryLastAnswered(commands);
        return failed > 0 ? Math.max(0, clock.millis() - failed) : -1;
    }

    /** @return whether the primary says it was never a replica promoted ({@code second_repl_offset:-1}) */
    private boolean neverPromoted() {
        try {
            return "-1".equals(RedisConnections.infoField(
                    connections.await(RedisConnections.async(commands).info("replication")), "second_repl_offset"));
        } catch (Exception refusedOrUnanswered) {
            return false; // it may have been: wait
        }
    }

    /**
     * Loads every live entry; false if the subscription was lost meanwhile (the sync proves nothing then),
     * or while a first load waits for the other nodes after a failover ({@link FailoverWatch}).
     */
    private boolean synced(long loss) throws Exception {
        if (settling == loss) {
            return System.nanoTime() - settledNanos >= 0 && inSync(loss, -1, 0);
        }
        settling = -1;
        long start = System.nanoTime();
        int loaded = sync.sync(RedisConnections.async(commands), RedisConnections.holding(commands, keys.idIndex));
        long failed = firstSync.isDone() ? -1 : failedMillisAgo();
        if (failed >= 0 && failed < DenylistWrites.RECENT.toMillis()) {
            settling = loss;
            settledNanos = System.nanoTime() + watch.settle().toNanos();
            LOG.log(System.Logger.Level.INFO, "cognito-revoke: denylist shared through " + server + ": " + loaded
                    + " live entries loaded in " + (System.nanoTime() - start) / 1_000_000 + " ms; a primary failed "
                    + failed + " ms ago, so this node is ready in " + watch.settle().toMillis()
                    + " ms, once the other nodes have sent again the writes it may have lost");
            return false;
        }
        return inSync(loss, loaded, start);
    }

    /** Marks this node in sync unless a loss voided the load; says so after the first (loaded -1: said already). */
    private boolean inSync(long loss, int loaded, long start) {
        settling = -1;
        synchronized (this) {
            // Under the lock that lost() takes: no loss can slip between this check and the flag.
            if (losses.get() != loss || !subscribed) {
                return false;
            }
            inSync = true;
        }
        if (!firstSync.isDone()) {
            if (loaded >= 0) {
                LOG.log(System.Logger.Level.INFO, "cognito-revoke: denylist shared through " + server + ": "
                        + loaded + " live entries loaded in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            sync.warnIfEvicting(RedisConnections.holding(commands, keys.idIndex));
            firstSync.complete(null);
        }
        return true;
    }

    private static boolean open(StatefulConnection<?, ?> connection) {
        return connection != null && connection.isOpen();
    }

    /** Forgets closed connections (without auto-reconnect they stay closed), to be made anew. */
    private void dropClosed() {
        StatefulRedisPubSubConnection<String, String> e = events;
        if (e != null && !e.isOpen()) {
            lost(); // already known from the listener, unless it closed before it was ours
            events = null;
            e.closeAsync();
        }
        StatefulConnection<byte[], byte[]> c = commands;
        if (c != null && !c.isOpen()) {
            commands = null;
            c.closeAsync();
        }
    }

    /** Makes sure both connections are open and the subscription holds: subscribe first, then anything else. */
    private void connect() throws Exception {
        if (events == null) {
            subscribed = false;
            StatefulRedisPubSubConnection<String, String> e = connections.connectPubSub(StringCodec.UTF8, keys.channel);
            e.addListener(new Events());
            events = e;
        }
        if (!subscribed) {
            connections.await(events.async().subscribe(keys.channel));
            subscribed = true;
            if (connections.sentinel()) {
                // The primary this node now follows, to see a failover away from it (followSentinel).
                connections.sentinelPrimary().thenAccept(primary -> watch.connectedTo(primary.address()));
            }
        }
        if (commands == null) {
            commands = connections.connect(ByteArrayCodec.INSTANCE);
        }
    }

    // ------------------------------------------------------------------ outage log lines

    /** Says that an outage began, unless one is under way; wakes the worker. */
    void outage(String cause) {
        if (closed || !outage.begin()) {
            return;
        }
        // Whatever ended the outage (a failover, a restart) may have lost what Redis confirmed just before.
        writes.replayRecent();
        watch.begin();
        LOG.log(System.Logger.Level.WARNING, "cognito-revoke: Redis at " + server + " cannot be reached or did not"
                + " answer within redisTimeout (" + cause + "); this node keeps denylisting locally and keeps up to "
                + maxBuffered + " writes to replay when Redis answers again, and resynchronizes then");
        wake();
    }

    private void outageOver() {
        Outage.Over over = outage.end();
        if (over != null) {
            LOG.log(System.Logger.Level.INFO, "cognito-revoke: Redis at " + server + " answers again after "
                    + over.lasted().toMillis() + " ms; " + over.replayed()
                    + " denylist writes replayed, this node is in sync again");
        }
    }
}
