package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one owner of the shared tier's Lettuce client: its resources (event loops, timer), its
 * options, how it reconnects, and how a failure is put into words. The denylist and the pending store
 * take their connections from here, as Lettuce's clients share one {@link ClientResources}: whoever
 * opens this closes it, a user that is handed it closes only its own connections.
 *
 * <p>Whether the server is a Redis Cluster (cluster mode enabled, ElastiCache Serverless) is asked of
 * the server, not configured: before the first connection, {@code INFO cluster} on the URI's host says
 * {@code cluster_enabled:1} or not ({@link #cluster()}), and the answer holds for the client's life. A
 * cluster gets Lettuce's {@link RedisClusterClient}, which routes each script to the primary of its
 * keys' slot and follows failovers and resharding; anything else gets {@link RedisClient}, which
 * also resolves {@code redis-sentinel://} URIs to the current primary. The same WAR then runs
 * against a developer's single Redis and a production cluster.
 *
 * <p>Lettuce's auto-reconnect is off: a closed connection stays closed and its user makes a new one
 * on its own schedule ({@link Backoff}). The denylist must resubscribe, replay and resync in that
 * order anyway, and Lettuce's reconnect logs a warning every 5 s of an outage, which would break
 * "one warning per outage". Nothing is queued while disconnected: a command fails at once, and its
 * user keeps what it needs to send again.
 */
public final class RedisConnections implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisConnections.class.getName());
    /** The first wait after a failure (connect, replay, sync), doubled after each further one. */
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    /** Longest wait between attempts after a failure. */
    static final Duration LONGEST_RETRY = Duration.ofSeconds(2);
    /**
     * The shortest time between two topology refreshes this owner asks for: each one asks every known
     * node, and Lettuce logs a warning for each that it cannot reach (a dead primary, until forgotten).
     */
    static final Duration REFRESH_INTERVAL = Duration.ofMillis(500);
    /** The time limit of one page of the sync (at least {@code redisTimeout}). */
    static final Duration SYNC_PAGE_TIMEOUT = Duration.ofSeconds(5);

    private final String server;
    /** The URI's user info ({@code user:password}, or null), blanked out of failure texts. */
    private final String secret;
    private final Duration timeout;
    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final ClientOptions options;
    private final String keyPrefix;
    /** Whether the server is a cluster, once asked; null until then, and again after a failed question. */
    private CompletableFuture<Boolean> cluster;
    /** Made once the server turned out to be a cluster. */
    private volatile RedisClusterClient clusterClient;
    /** The latest topology refresh this owner asked for, and when. */
    private volatile CompletableFuture<Void> refreshing = CompletableFuture.completedFuture(null);
    private volatile long refreshedNanos = System.nanoTime() - REFRESH_INTERVAL.toNanos();
    /** Through Sentinel: a connection to the first of the URI's Sentinels that answers, made on demand and again once closed. */
    private CompletableFuture<StatefulRedisSentinelConnection<String, String>> sentinel;
    private final List<Consumer<RedisChannelHandler<?, ?>>> disconnectListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RedisConnections(RevocationSettings settings, RedisURI uri) {
        this.server = settings.redisServer().orElseThrow();
        this.keyPrefix = settings.redisKeyPrefix();
        // Decoded where Java parses the URI as a server; a Sentinel URI's list of hosts it does not.
        this.secret = settings.redisUri().map(u -> u.getUserInfo() != null ? u.getUserInfo()
                : RevocationSettings.userInfo(u)).orElse(null);
        this.timeout = settings.redisTimeout();
        this.uri = uri;
        uri.setTimeout(timeout);
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        this.client = RedisClient.create(resources);
        this.options = ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(Math.max(10_000, settings.redisMaxBufferedWrites()))
                .timeoutOptions(TimeoutOptions.builder().timeoutSource(new Timeouts(timeout)).build())
                .socketOptions(SocketOptions.builder()
                        // A JVM's first connection loads and starts Netty: give it time, or start-up warns for nothing.
                        .connectTimeout(timeout.compareTo(LONGEST_RETRY) < 0 ? LONGEST_RETRY : timeout)
                        // Plain keepalive only: the extended options (idle, interval) need jdk.net or a native
                        // transport, which WildFly's module class loader does not give a deployment. A peer
                        // that vanished without a FIN is found by the denylist's heartbeat instead.
                        .keepAlive(true)
                        .build())
                .build();
        client.setOptions(options);
        client.addListener(new Disconnects());
    }

    /**
     * Makes the client; connects nothing yet.
     *
     * @param settings the settings; {@code redisUri} must be set
     * @return the client's owner, to be closed by the caller
     * @throws RevocationConfigurationException if Lettuce cannot use the URI (the message names the
     *                                          parameter and the server, never the password)
     */
    public static RedisConnections open(RevocationSettings settings) {
        URI given = settings.redisUri().orElseThrow(() -> new IllegalArgumentException(
                RevocationSettings.REDIS_URI + " is required"));
        RedisURI uri;
        try {
            uri = RedisURI.create(given);
        } catch (RuntimeException e) {
            // Lettuce's message may quote the URI, password included: name the parameter only.
            throw new RevocationConfigurationException(RevocationSettings.REDIS_URI, "Lettuce cannot use "
                    + settings.redisServer().orElse("it") + " (" + e.getClass().getSimpleName() + ")");
        }
        return new RedisConnections(settings, uri);
    }

    /** @return the server without its password, for log lines */
    String server() {
        return server;
    }

    /** @return {@code redisTimeout}, the limit of every command but the sync's pages */
    Duration timeout() {
        return timeout;
    }

    /**
     * Whether the server is a Redis Cluster: asked once with {@code INFO cluster} on a connection of
     * its own (a Sentinel URI never is), the answer kept; a question that failed is asked again by the
     * next caller.
     *
     * @return true for a cluster; fails if the server cannot be reached, or if it is a cluster and
     *         {@code redisKeyPrefix} holds no hash tag ({@link RevocationConfigurationException})
     */
    synchronized CompletableFuture<Boolean> cluster() {
        if (cluster != null && !cluster.isCompletedExceptionally()) {
            return cluster;
        }
        if (!uri.getSentinels().isEmpty()) {
            cluster = CompletableFuture.completedFuture(false);
            return cluster;
        }
        CompletableFuture<Boolean> asked = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                .thenCompose(c -> c.async().info("cluster").toCompletableFuture()
                        .handle((info, failure) -> {
                            c.closeAsync();
                            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause() : failure;
                            if (cause != null && !(cause instanceof io.lettuce.core.RedisCommandExecutionException)) {
                                // No answer (a timeout, a lost connection) says nothing: ask again later.
                                throw new CompletionException(cause);
                            }
                            // A server that refuses INFO (an ACL without it) is taken for a standalone one.
                            return cause == null && "1".equals(infoField(info, "cluster_enabled"));
                        }))
                .thenApply(this::checkedForCluster);
        cluster = asked;
        return asked;
    }

    private boolean checkedForCluster(boolean isCluster) {
        if (isCluster && RevocationSettings.hashTag(keyPrefix).isEmpty()) {
            throw new RevocationConfigurationException(RevocationSettings.REDIS_KEY_PREFIX, "'" + keyPrefix + "' holds"
                    + " no hash tag, and " + server + " is a Redis Cluster: the scripts write several keys at once,"
                    + " which a cluster allows only within one hash slot; put the part that names the application in"
                    + " braces, e.g. {" + keyPrefix.replace(":", "") + "}:");
        }
        if (isCluster && clusterClient == null) {
            RedisClusterClient c = RedisClusterClient.create(resources, uri);
            c.setOptions(ClusterClientOptions.builder(options)
                    // A cluster connection makes its node connections in the background, so a command may come
                    // before its node's connection is up: rejecting it would fail every start-up. It waits
                    // instead, bounded by redisTimeout like every command.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    // Follow a failover or a resharding as soon as a command meets it (a MOVED or ASK answer, a
                    // slot no node serves, an unknown node), and when this owner asks (refreshTopology). No periodic
                    // refresh: each one opens a new connection to every node of the cluster (on a cluster of six, six
                    // handshakes and CLUSTER NODES parsed six times: 30-90 ms of CPU, measured), which on a busy machine can hold up
                    // the requests of that moment. A node that has written lately checks the slot's primary with a keyed
                    // command every 2 s instead (DenylistLink's heartbeat), which a moved slot answers with MOVED.
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(false)
                            .build())
                    .build());
            c.addListener(new Disconnects());
            clusterClient = c;
        }
        return isCluster;
    }

    /**
     * On a cluster, asks it for its nodes and slots again (in the background), unless such a question
     * is under way or was asked less than {@link #REFRESH_INTERVAL} ago; elsewhere nothing.
     */
    void refreshTopology() {
        RedisClusterClient c = clusterClient;
        long now = System.nanoTime();
        if (c != null && refreshing.isDone() && now - refreshedNanos >= REFRESH_INTERVAL.toNanos()) {
            refreshedNanos = now;
            refreshing = c.refreshPartitionsAsync().toCompletableFuture();
        }
    }

    /**
     * The primary of a key's slot as a cluster connection's topology has it now.
     *
     * @param c   a connection from {@link #connect}
     * @param key a key
     * @return the node, or null if the connection is not a cluster's or no node serves the slot
     */
    static RedisClusterNode primaryOf(StatefulConnection<?, ?> c, byte[] key) {
        return c instanceof StatefulRedisClusterConnection<?, ?> cluster
                ? cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key)) : null;
    }

    /**
     * Asks the primary of a key's slot whether the key exists, routed by the key's slot as a write is
     * ({@code EXISTS}, on the cluster connection's connection to that node): a slot that moved answers
     * {@code MOVED}, which Lettuce follows and which makes it refresh its topology.
     *
     * @param c   a cluster connection from {@link #connect}
     * @param key a key
     * @return the answer; fails if the slot's primary does not answer within {@code redisTimeout}
     */
    static CompletableFuture<Long> checkPrimary(StatefulRedisClusterConnection<byte[], byte[]> c, byte[] key) {
        return c.async().exists(key).toCompletableFuture();
    }

    /**
     * Pings the primary of a key's slot on a cluster connection (on a connection of its own to that
     * node, made if needed).
     *
     * @param c   a cluster connection from {@link #connect}
     * @param key a key
     * @return the answer; fails if no node serves the slot, or it does not answer
     */
    static CompletableFuture<String> pingPrimary(StatefulRedisClusterConnection<?, ?> c, byte[] key) {
        RedisClusterNode primary = primaryOf(c, key);
        if (primary == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no primary serves the slot"));
        }
        return c.getConnectionAsync(primary.getNodeId())
                .thenCompose(node -> node.async().ping().toCompletableFuture());
    }

    /**
     * When the latest failed primary last answered: the cluster's topology lists a node as a primary
     * flagged {@code fail} or {@code fail?}, with the time it last answered the cluster bus's pings
     * ({@code pong-recv}, on the clock of the node whose view it is). A primary that dies stays listed
     * so, without slots once a replica took them over, until it comes back or is forgotten.
     *
     * @param c a connection from {@link #connect}
     * @return epoch milliseconds, or 0 if none is listed or the connection is not a cluster's
     */
    static long failedPrimaryLastAnswered(StatefulConnection<?, ?> c) {
        long last = 0;
        if (c instanceof StatefulRedisClusterConnection<?, ?> cluster) {
            for (RedisClusterNode node : cluster.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && (node.is(RedisClusterNode.NodeFlag.FAIL)
                        || node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL))) {
                    last = Math.max(last, node.getPongReceivedTimestamp());
                }
            }
        }
        return last;
    }

    /** @return whether the URI names Sentinels ({@code redis-sentinel://}), which name the primary */
    boolean sentinel() {
        return !uri.getSentinels().isEmpty();
    }

    /**
     * Through Sentinel: what the first of the URI's Sentinels that answers knows of the primary
     * ({@code SENTINEL MASTER}), on a connection of its own kept for the next question.
     *
     * @return the primary as that Sentinel sees it; fails if no Sentinel answers within {@code redisTimeout}
     */
    synchronized CompletableFuture<SentinelPrimary> sentinelPrimary() {
        CompletableFuture<StatefulRedisSentinelConnection<String, String>> s = sentinel;
        if (s == null || s.isCompletedExceptionally() || (s.isDone() && !s.join().isOpen())) {
            if (s != null && s.isDone() && !s.isCompletedExceptionally()) {
                s.join().closeAsync();
            }
            s = client.connectSentinelAsync(StringCodec.UTF8, uri);
            sentinel = s;
        }
        return s.thenCompose(c -> c.async().master(uri.getSentinelMasterId()).toCompletableFuture())
                .thenApply(SentinelPrimary::of);
    }

    /**
     * The primary as a Sentinel sees it.
     *
     * @param address   its {@code host:port}
     * @param down      whether the Sentinel finds it down or fails it over (flags other than {@code master})
     * @param knownMillis how long ago the Sentinel learned that this server is the primary
     *                    ({@code role-reported-time}: from a failover's {@code +switch-master}, or from the
     *                    Sentinel's own start)
     */
    record SentinelPrimary(String address, boolean down, long knownMillis) {

        static SentinelPrimary of(Map<String, String> fields) {
            String known = fields.get("role-reported-time");
            return new SentinelPrimary(fields.get("ip") + ":" + fields.get("port"),
                    !"master".equals(fields.get("flags")), known == null ? 0 : Long.parseLong(known));
        }

        /** @return how long ago the primary may have failed: 0 while it is down, else since it became the primary */
        long failedMillisAgo() {
            return down ? 0 : knownMillis;
        }
    }

    static String infoField(String info, String name) {
        return info == null ? null : info.lines().filter(l -> l.startsWith(name + ":"))
                .map(l -> l.substring(name.length() + 1).strip()).findFirst().orElse(null);
    }

    /** Connects after {@link #cluster()} answered (waiting for it at most twice {@code redisTimeout}). */
    <K, V> StatefulConnection<K, V> connect(RedisCodec<K, V> codec) throws Exception {
        return await(cluster()) ? clusterClient.connect(codec) : client.connect(codec, uri);
    }

    <K, V> CompletableFuture<StatefulConnection<K, V>> connectAsync(RedisCodec<K, V> codec) {
        // Off the I/O thread that answered INFO: the cluster client loads its topology before it connects.
        return cluster().thenComposeAsync(isCluster -> isCluster
                // connectAsync needs the topology loaded already (the blocking connect loads it itself).
                ? clusterClient.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> clusterClient.connectAsync(codec))
                        .<StatefulConnection<K, V>>thenApply(c -> c)
                : client.connectAsync(codec, uri).toCompletableFuture().<StatefulConnection<K, V>>thenApply(c -> c),
                resources.eventExecutorGroup());
    }

    /**
     * A subscription's connection. On a cluster it goes to the primary of the channel's slot, the
     * node whose scripts publish on it: a message published there reaches its subscribers at once,
     * where one that the cluster bus relays to another node can wait for TCP's delayed
     * acknowledgement (Redis 6.2 leaves Nagle's algorithm on for the bus links it opens: about 40 ms,
     * measured). Any node would receive every message, so the choice is about speed only; when the
     * topology names no primary for the slot yet, the cluster client picks a node.
     *
     * @param codec   the codec
     * @param channel the channel to be subscribed to
     * @return the connection
     * @throws Exception if it cannot be made
     */
    <K, V> StatefulRedisPubSubConnection<K, V> connectPubSub(RedisCodec<K, V> codec, String channel) throws Exception {
        if (!await(cluster())) {
            return client.connectPubSub(codec, uri);
        }
        RedisClusterNode primary = clusterClient.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
        if (primary == null || primary.getUri() == null) {
            return clusterClient.connectPubSub(codec);
        }
        // The seed's settings (credentials, TLS, timeouts) at the primary's address.
        RedisURI at = RedisURI.builder(uri).withHost(primary.getUri().getHost()).withPort(primary.getUri().getPort())
                .build();
        return client.connectPubSub(codec, at);
    }

    /**
     * The commands of a connection from {@link #connect} or {@link #connectAsync}, whichever client made it.
     *
     * @param c a connection
     * @return its asynchronous commands: the cluster's route each command by its keys' slot
     */
    @SuppressWarnings("unchecked")
    static <K, V> RedisClusterAsyncCommands<K, V> async(StatefulConnection<K, V> c) {
        return c instanceof StatefulRedisClusterConnection<?, ?> cluster
                ? ((StatefulRedisClusterConnection<K, V>) cluster).async()
                : ((StatefulRedisConnection<K, V>) c).async();
    }

    /**
     * The commands of the server that holds a key: on a cluster, the primary of the key's slot (for
     * commands that name no key, such as {@code INFO}, which a cluster connection sends to any node);
     * else the connection's own.
     *
     * @param c   a connection from {@link #connect}
     * @param key a key
     * @return that server's commands
     */
    @SuppressWarnings("unchecked")
    static <K, V> RedisClusterAsyncCommands<K, V> holding(StatefulConnection<K, V> c, byte[] key) {
        if (c instanceof StatefulRedisClusterConnection<?, ?> cluster) {
            StatefulRedisClusterConnection<K, V> cc = (StatefulRedisClusterConnection<K, V>) cluster;
            RedisClusterNode primary = primaryOf(c, key);
            if (primary != null) {
                return cc.async().getConnection(primary.getNodeId());
            }
        }
        return async(c);
    }

    /**
     * Calls back on Lettuce's I/O thread whenever a connection of this client closes.
     *
     * @param lost gets the connection that closed; quick work only
     */
    void onDisconnected(Consumer<RedisChannelHandler<?, ?>> lost) {
        disconnectListeners.add(lost);
    }

    /**
     * Calls back on Lettuce's I/O thread whenever a command connection of this client is closed by its
     * peer, not by this client (which marks its own closed first). On a cluster the node connection
     * then stays dead inside its cluster connection for as long as its node is listed (a primary that
     * restarts keeps its node id, and may become primary again): the user makes a new cluster connection.
     *
     * @param lost called; quick work only
     */
    void onPeerClosed(Runnable lost) {
        onDisconnected(c -> {
            if (!(c instanceof StatefulRedisPubSubConnection<?, ?>) && !c.isClosed()) {
                lost.run();
            }
        });
    }

    /** Hands every closed connection, of either client, to the users' listeners. */
    private final class Disconnects implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            disconnectListeners.forEach(l -> l.accept(connection));
        }
    }

    /** Runs a quick task on Lettuce's event executors, so it needs no thread of its own. */
    ScheduledFuture<?> every(Duration period, Runnable task) {
        long ms = Math.max(1, period.toMillis());
        return resources.eventExecutorGroup().scheduleWithFixedDelay(task, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for a command of the denylist's worker; Lettuce itself fails it after its time limit, this
     * bound is a backstop.
     */
    <T> T await(Future<T> command) throws Exception {
        try {
            return command.get(Math.max(timeout.toMillis(), SYNC_PAGE_TIMEOUT.toMillis()) * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The kind and message of a failure, with the URI's user info blanked out should Lettuce quote it. */
    String describe(Throwable failure) {
        return describe(failure, secret);
    }

    /**
     * The kind and message of a failure, with a URI's user info ({@code user:password}, or null)
     * and its password alone blanked out.
     */
    static String describe(Throwable failure, String secret) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String text = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (secret != null && !secret.isEmpty()) {
            text = text.replace(secret, "***");
            int colon = secret.indexOf(':');
            if (colon >= 0 && colon + 1 < secret.length()) {
                text = text.replace(secret.substring(colon + 1), "***");
            }
        }
        return text;
    }

    /** Stops the client and its resources (connections, event loops, timer) within about two seconds. */
    @Override
    public void close() {
        RedisClusterClient c = clusterClient;
        if (c != null) {
            try {
                c.shutdown(Duration.ZERO, LONGEST_RETRY);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: closing the Redis cluster client: " + e);
            }
        }
        try {
            client.shutdown(Duration.ZERO, LONGEST_RETRY);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: closing the Redis client: " + e);
        }
        resources.shutdown(0, LONGEST_RETRY.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(LONGEST_RETRY.toMillis() + 500);
    }

    /**
     * When to try again after failures: {@link #FIRST_RETRY}, doubling to {@link #LONGEST_RETRY}.
     * Not thread-safe: one per user, used on one thread or under its user's lock.
     */
    static final class Backoff {
        private int failures;
        private long nextAttemptNanos = System.nanoTime();

        /** @return whether the wait after the last failure is over */
        boolean due() {
            return System.nanoTime() - nextAttemptNanos >= 0;
        }

        void failed() {
            failures++;
            long wait = Math.min(LONGEST_RETRY.toNanos(), FIRST_RETRY.toNanos() << Math.min(failures - 1, 10));
            nextAttemptNanos = System.nanoTime() + wait;
        }

        void succeeded() {
            failures = 0;
        }

        /** Redis answers again: the next attempt is due at once, and waits start afresh. */
        void answered() {
            failures = 0;
            nextAttemptNanos = System.nanoTime();
        }
    }

    /**
     * Every command fails after {@code redisTimeout}, except the sync's pages: on a busy
     * machine a page of thousands of entries may take longer, and one late page would restart a sync
     * of a million entries from the beginning.
     */
    private static final class Timeouts extends TimeoutOptions.TimeoutSource {
        private final long commandMs;
        private final long pageMs;

        Timeouts(Duration timeout) {
            this.commandMs = timeout.toMillis();
            this.pageMs = Math.max(commandMs, SYNC_PAGE_TIMEOUT.toMillis());
        }

        @Override
        public long getTimeout(RedisCommand<?, ?, ?> command) {
            // The sync's pages are the only EVALSHA (writes use EVAL).
            if (command != null && command.getType() == CommandType.EVALSHA) {
                return pageMs;
            }
            return commandMs;
        }
    }
}
