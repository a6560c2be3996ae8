package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.Denylist;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared denylist tier: this node's {@link CaffeineDenylist}, written through to Redis or Valkey
 * and kept up to date from it.
 *
 * <p>Every check ({@link #contains}, {@link #notBeforeEpochSecond}) reads only the local Caffeine
 * cache: the request path never touches the network. A write applies locally at once, then goes to
 * Redis as one Lua script that keeps the later end (an entry's end never moves earlier), gives the key
 * that end as its expiry ({@code PXAT}) and publishes the change on the channel {@code P events}.
 * Every node subscribes to that channel and applies what it hears, keep-later, to its own cache.
 *
 * <p>Keys (P = {@code redisKeyPrefix}): {@code P j:<id>} = end in epoch ms; {@code P s:<sub>} =
 * {@code "<notBefore epoch s> <until epoch ms>"}; and two sorted sets that index them for the sync,
 * {@code P ids} (member id, score end ms) and {@code P subjects} (member sub, score until ms), written
 * by the same script as the key they index, so that key and index never disagree. Messages:
 * {@code j <endMs> <id>} and {@code s <notBefore> <untilMs> <sub>}. Only Redis 6.2 commands (no
 * {@code EXPIRE GT}, no {@code PEXPIRETIME}): the same scripts run on Redis 6.2+ and Valkey 7.2+.
 *
 * <p>Nothing is missed across a dropped connection: at start and after every loss of the
 * subscription the node subscribes first, then replays the writes Redis did not confirm, then loads
 * every live entry from the two indexes (see {@code sync()}); it is {@link #inSync()} only once
 * that completed and until the subscription is lost again.
 *
 * <p>During an outage Lettuce queues nothing (commands are rejected while disconnected and time out
 * after {@code redisTimeout}); writes Redis did not confirm are kept in a bounded buffer, one slot
 * per key, and replayed when Redis answers again. Lettuce's auto-reconnect is off: the worker makes
 * new connections (backoff 100 ms to 2 s), which keeps subscribe, replay and sync in that order and
 * Lettuce's reconnect log lines out of the server log. One warning when an outage starts, one line
 * when it ends. No id, token or password is ever logged.
 *
 * <p>Threads: Lettuce's I/O threads apply published entries and complete write futures (chain only
 * quick work on them); one daemon thread ({@code cognito-revoke-redis}) connects, replays and syncs.
 */
public final class RedisDenylist implements Denylist, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisDenylist.class.getName());
    /** Index members per sync page; each page is read by one script while the previous one is applied. */
    static final int PAGE_SIZE = 20_000;
    /** Longest stored value read: {@code "<notBefore> <untilMs>"} has at most 2 * 19 + 1 bytes. */
    static final int VALUE_BYTES = 64;
    /** Replayed writes in flight at once. */
    private static final int REPLAY_BATCH = 1_000;
    /** How often the worker checks whether there is anything to connect, replay or sync. */
    private static final Duration TICK = Duration.ofMillis(100);
    /** How often the subscription's connection is pinged to find a Redis that vanished silently. */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** Longest wait between attempts after a failure (connect, replay, sync). */
    static final Duration LONGEST_RETRY = Duration.ofSeconds(2);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    /** The time limit of one page of the sync (at least {@code redisTimeout}). */
    static final Duration SYNC_PAGE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * One page of the sync: members of the index KEYS[1] from rank ARGV[1] to ARGV[2] in descending
     * score order. ARGV[3] = now ms, ARGV[4] = cap ms, ARGV[5] = longest name, ARGV[6] = key prefix or
     * empty. Returns a flag (1: the page was full and still live, read on; 0: done), then name and
     * field of each member: with an empty prefix the field is the score (a score beyond the cap is sent
     * as the cap); else the first {@link #VALUE_BYTES} bytes of the key prefix + name (no stored value
     * is longer), members whose key is gone or holds another type left out. Stops at the first member
     * already past. Names longer than the longest are not sent: whatever was written under the prefix,
     * a page costs this node a bounded amount of memory.
     */
    static final String PAGE_SCRIPT = """
            local page = redis.pcall('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
            local out = {0}
            if type(page) ~= 'table' or page.err then return out end
            local now, cap, longest, kp = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
            for i = 1, #page, 2 do
              local m, s = page[i], tonumber(page[i + 1])
              if not s or s <= now then return out end
              if #m <= longest then
                if kp == '' then
                  out[#out + 1] = m
                  out[#out + 1] = s > cap and ARGV[4] or page[i + 1]
                else
                  local v = redis.pcall('GETRANGE', kp .. m, 0, %d)
                  if type(v) == 'string' and #v > 0 then
                    out[#out + 1] = m
                    out[#out + 1] = v
                  end
                end
              end
            end
            if #page == 2 * (tonumber(ARGV[2]) - tonumber(ARGV[1]) + 1) then out[1] = 1 end
            return out
            """.formatted(VALUE_BYTES - 1);
    /** Cognito's longest access or ID token validity: a bound on entry ends even if maxTokenLifetime is set shorter. */
    private static final Duration COGNITO_LONGEST_TOKEN = Duration.ofDays(1);
    /**
     * The longest name (token id or subject) taken from Redis; Cognito's are UUIDs. Longer ones were
     * not written by a node, and a subject's name stays in memory as long as its cut-off.
     */
    static final int MAX_NAME = 1024;

    /**
     * Lua, the start of both write scripts: {@code index(idx, score, member, endedMs, capMs)} raises the
     * member's score (ZADD GT: a score never drops, so no member still to be read by a sync moves
     * up past it, see {@link #sync()}), removes the members that ended by endedMs (only those that
     * ended since the last write: bounded work) and gives the index the expiry of its latest member, at
     * most capMs (a member planted far ahead must not keep the index forever). An index of another type
     * is replaced, as the entry keys are.
     */
    private static final String INDEX_FUNCTION = """
            local function index(idx, score, member, ended, cap)
              if type(redis.pcall('ZADD', idx, 'GT', score, member)) ~= 'number' then
                redis.call('DEL', idx)
                redis.call('ZADD', idx, score, member)
              end
              redis.call('ZREMRANGEBYSCORE', idx, '-inf', ended)
              local top = redis.call('ZREVRANGE', idx, 0, 0, 'WITHSCORES')[2]
              if top then
                local at = math.max(math.min(tonumber(top), tonumber(cap)), tonumber(score))
                redis.call('PEXPIREAT', idx, string.format('%.0f', at))
              end
            end
            """;

    /**
     * KEYS[1] = P j:id, KEYS[2] = P ids; ARGV = endMs, id, channel, capMs, endedMs. Keeps the later end
     * and indexes it; publishes only a change.
     * A current end beyond capMs (now + the longest legitimate entry) was not written by a node: it is
     * replaced, or a value planted ahead of a logout would swallow it and its message.
     * A key that holds no string (missing: false; another type: an error, which pcall returns) is
     * replaced: a key of another type under the prefix must not fail every write of it, and with it
     * every replay and sync of the node.
     */
    static final String ID_SCRIPT = INDEX_FUNCTION + """
            local got = redis.pcall('GET', KEYS[1])
            local cur = type(got) == 'string' and tonumber(got)
            if cur and cur >= tonumber(ARGV[1]) and cur <= tonumber(ARGV[4]) then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[1])
            index(KEYS[2], ARGV[1], ARGV[2], ARGV[5], ARGV[4])
            redis.call('PUBLISH', ARGV[3], 'j ' .. ARGV[1] .. ' ' .. ARGV[2])
            return 1
            """;

    /**
     * KEYS[1] = P s:sub, KEYS[2] = P subjects; ARGV = notBefore (s), untilMs, channel, sub, capMs, endedMs.
     * Keeps the later of each field as written and indexes the until (strings: no float formatting of large numbers in Lua). A key that holds no string
     * or a field beyond capMs is replaced, as in {@link #ID_SCRIPT}.
     */
    static final String SUBJECT_SCRIPT = INDEX_FUNCTION + """
            local nb, u = ARGV[1], ARGV[2]
            local cur = redis.pcall('GET', KEYS[1])
            if type(cur) == 'string' then
              local cnb, cu = string.match(cur, '^(-?%d+) (%d+)$')
              if cnb and tonumber(cu) <= tonumber(ARGV[5]) and tonumber(cnb) * 1000 <= tonumber(ARGV[5]) then
                local keepNb = tonumber(cnb) >= tonumber(nb)
                local keepU = tonumber(cu) >= tonumber(u)
                if keepNb and keepU then return 0 end
                if keepNb then nb = cnb end
                if keepU then u = cu end
              end
            end
            local v = nb .. ' ' .. u
            redis.call('SET', KEYS[1], v, 'PXAT', u)
            index(KEYS[2], u, ARGV[4], ARGV[6], ARGV[5])
            redis.call('PUBLISH', ARGV[3], 's ' .. v .. ' ' .. ARGV[4])
            return 1
            """;

    private final CaffeineDenylist local;
    private final Clock clock;
    private final String server;
    private final String secret;
    private final Duration timeout;
    private final Duration syncTimeout;
    /** How far ahead of now an entry may end (see {@link #longestEntry}). */
    private final long longestEntryMs;
    private final long clockSkewMs;
    private final int maxBuffered;
    private final String idPrefix;
    private final String subjectPrefix;
    private final String channel;
    private final byte[] channelBytes;
    private final byte[] subjectPrefixBytes;
    private final byte[] idIndex;
    private final byte[] subjectIndex;
    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final WriteBuffer buffer;
    private final ScheduledExecutorService worker;
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();

    // Bytes, not strings: a sync of a million keys would otherwise decode each key and cut the prefix off a
    // second copy.
    private volatile StatefulRedisConnection<byte[], byte[]> commands;
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

    // Worker thread only.
    private int failures;
    private long nextAttemptNanos;

    // Outage bookkeeping, under the lock of `this`.
    private Instant outageSince;
    private int replayedInOutage;
    private boolean overflowWarned;

    private RedisDenylist(RevocationSettings settings, Clock clock, CaffeineDenylist local) {
        this.local = local;
        this.clock = clock;
        this.server = settings.redisServer().orElseThrow();
        this.secret = settings.redisUri().map(u -> u.getUserInfo()).orElse(null);
        this.timeout = settings.redisTimeout();
        this.syncTimeout = settings.redisSyncTimeout();
        this.longestEntryMs = longestEntry(settings).toMillis();
        this.clockSkewMs = settings.clockSkew().toMillis();
        this.maxBuffered = settings.redisMaxBufferedWrites();
        String prefix = settings.redisKeyPrefix();
        this.idPrefix = prefix + "j:";
        this.subjectPrefix = prefix + "s:";
        this.channel = prefix + "events";
        this.channelBytes = bytes(channel);
        this.subjectPrefixBytes = bytes(subjectPrefix);
        this.idIndex = bytes(prefix + "ids");
        this.subjectIndex = bytes(prefix + "subjects");
        this.buffer = new WriteBuffer(maxBuffered);
        this.outOfSyncSince = clock.instant();
        try {
            this.uri = RedisURI.create(settings.redisUri().orElseThrow());
        } catch (RuntimeException e) {
            // Lettuce's message may quote the URI, password included: name the parameter only.
            throw new RevocationConfigurationException(RevocationSettings.REDIS_URI,
                    "Lettuce cannot use " + server + " (" + e.getClass().getSimpleName() + ")");
        }
        uri.setTimeout(timeout);
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                // This tier reconnects by itself (worker thread, backoff up to LONGEST_RETRY): it must resubscribe,
                // replay and resync in that order anyway, and Lettuce's own reconnect logs a warning every 5 s of
                // an outage, which would break "one warning per outage".
                .autoReconnect(false)
                // Never queue while disconnected: a write fails at once and goes to our bounded buffer.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(Math.max(10_000, maxBuffered))
                .timeoutOptions(TimeoutOptions.builder().timeoutSource(new Timeouts(timeout)).build())
                .socketOptions(SocketOptions.builder()
                        // A JVM's first connection loads and starts Netty: give it time, or start-up warns for nothing.
                        .connectTimeout(timeout.compareTo(LONGEST_RETRY) < 0 ? LONGEST_RETRY : timeout)
                        // Plain keepalive only: the extended options (idle, interval) need jdk.net or a native
                        // transport, which WildFly's module class loader does not give a deployment. A peer
                        // that vanished without a FIN is found by the heartbeat instead (see heartbeat()).
                        .keepAlive(true)
                        .build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                // Without auto-reconnect a closed connection stays closed: the worker makes a new one.
                if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
                    lost();
                }
                wake();
            }
        });
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cognito-revoke-redis");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects and waits for the first sync, at most {@code redisSyncTimeout}; an unreachable Redis
     * does not fail: the tier serves from the local cache, is not in sync, and keeps trying.
     *
     * @param settings the settings ({@code redisUri} must be set)
     * @param clock    the time source of entry ends
     * @param local    this node's cache, which every check reads
     * @return the running tier
     * @throws RevocationConfigurationException if Lettuce cannot use the URI
     */
    public static RedisDenylist start(RevocationSettings settings, Clock clock, CaffeineDenylist local) {
        RedisDenylist tier = new RedisDenylist(settings, clock, local);
        tier.worker.scheduleWithFixedDelay(tier::recoverQuietly, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        try {
            tier.firstSync.get(tier.syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (tier.syncTimeout.isZero()) {
                // Asked not to wait: readiness tells when the first sync is done; a failed connection still warns.
                return tier;
            }
            if (!tier.subscribed) {
                // Not even connected: that is the outage, warned once (a failed attempt may have warned already).
                tier.outage("no connection within redisSyncTimeout, " + tier.syncTimeout);
            } else if (!tier.inOutage()) {
                LOG.log(System.Logger.Level.WARNING, "cognito-revoke: the first load of the shared denylist from "
                        + tier.server + " did not complete within redisSyncTimeout (" + tier.syncTimeout
                        + "); serving from this node's entries, not ready until it completes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("unreachable: firstSync never fails", e);
        }
        return tier;
    }

    // ------------------------------------------------------------------ Denylist

    @Override
    public CompletableFuture<Void> add(String id, Instant until) {
        local.add(id, until);
        long end = until.toEpochMilli();
        if (end <= clock.millis()) {
            return LOCAL;
        }
        return send(new DenylistWrite(idPrefix + id, false, id, 0, end));
    }

    @Override
    public boolean contains(String id) {
        return local.contains(id);
    }

    @Override
    public CompletableFuture<Void> cutOff(String subject, Instant notBefore, Instant until) {
        local.cutOff(subject, notBefore, until);
        long end = until.toEpochMilli();
        if (end <= clock.millis()) {
            return LOCAL;
        }
        return send(new DenylistWrite(subjectPrefix + subject, true, subject, notBefore.getEpochSecond(), end));
    }

    @Override
    public long notBeforeEpochSecond(String subject) {
        return local.notBeforeEpochSecond(subject);
    }

    @Override
    public long size() {
        return local.size();
    }

    @Override
    public boolean inSync() {
        return inSync;
    }

    @Override
    public String describe() {
        String where = "denylist shared through " + server;
        int waiting = buffer.size();
        String writes = waiting == 0 ? "" : ", " + waiting + " writes waiting for Redis";
        if (inSync) {
            return where + ", in sync" + writes;
        }
        return where + ", not in sync since " + outOfSyncSince + writes;
    }

    /** Stops the worker and Lettuce (connections, event loops, timer) within about two seconds. */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        int unconfirmed = buffer.size();
        if (unconfirmed > 0) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: closing with " + unconfirmed
                    + " denylist writes that " + server + " never confirmed; other nodes have not learnt them");
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
            // The sync's pages are its only EVALSHA (writes use EVAL).
            if (command != null && command.getType() == CommandType.EVALSHA) {
                return pageMs;
            }
            return commandMs;
        }
    }

    // ------------------------------------------------------------------ writes

    private CompletableFuture<Void> send(DenylistWrite write) {
        StatefulRedisConnection<byte[], byte[]> c = commands;
        if (c == null) {
            return kept(write, "not connected yet");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        RedisFuture<Long> sent;
        try {
            sent = eval(c.async(), write);
        } catch (RuntimeException e) {
            return kept(write, describe(e));
        }
        sent.whenComplete((changed, failure) -> {
            if (failure == null) {
                done.complete(null);
            } else {
                kept(write, describe(failure)).thenRun(() -> done.complete(null));
            }
        });
        return done;
    }

    private RedisFuture<Long> eval(RedisAsyncCommands<byte[], byte[]> c, DenylistWrite w) {
        byte[] end = bytes(Long.toString(w.endMs()));
        // Ends are written on the writers' clocks and judged on each node's own: prune only what has ended
        // on every clock up to clockSkew behind this one (the difference the README allows). Redis's TIME
        // instead would need the same margin against every node's clock.
        byte[] ended = bytes(Long.toString(clock.millis() - clockSkewMs));
        if (w.subject()) {
            return c.eval(SUBJECT_SCRIPT, ScriptOutputType.INTEGER, new byte[][] {bytes(w.key()), subjectIndex},
                    bytes(Long.toString(w.notBefore())), end, channelBytes, bytes(w.name()), cap(), ended);
        }
        return c.eval(ID_SCRIPT, ScriptOutputType.INTEGER, new byte[][] {bytes(w.key()), idIndex},
                end, bytes(w.name()), channelBytes, cap(), ended);
    }

    /**
     * The longest an entry written by a node can last: a held token family (pendingDeadline, then a
     * token lifetime, then the clock skew), plus the skew once more for the writer's clock against
     * this one's, and a minute to spare.
     */
    static Duration longestEntry(RevocationSettings settings) {
        Duration lifetime = settings.maxTokenLifetime().compareTo(COGNITO_LONGEST_TOKEN) > 0
                ? settings.maxTokenLifetime() : COGNITO_LONGEST_TOKEN;
        return settings.pendingDeadline().plus(lifetime).plus(settings.clockSkew().multipliedBy(2)).plusMinutes(1);
    }

    private byte[] cap() {
        return bytes(Long.toString(clock.millis() + longestEntryMs));
    }

    /**
     * An end read from Redis, cut at now + the longest legitimate entry: whoever can write to Redis
     * must not pin memory on every node for years.
     */
    private Instant capped(long endMs) {
        return Instant.ofEpochMilli(Math.min(endMs, clock.millis() + longestEntryMs));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps a write Redis did not take, to be replayed; the outage begins if it had not. */
    private CompletableFuture<Void> kept(DenylistWrite write, String cause) {
        WriteBuffer.Kept kept = buffer.keep(write);
        outage(cause);
        if (kept.droppedOldest()) {
            boolean warn;
            synchronized (this) {
                warn = !overflowWarned;
                overflowWarned = true;
            }
            if (warn) {
                LOG.log(System.Logger.Level.WARNING, "cognito-revoke: more than redisMaxBufferedWrites (" + maxBuffered
                        + ") denylist writes wait for " + server + "; the oldest are dropped from the replay (they"
                        + " still hold on this node until they end, other nodes will not learn them)");
            }
        }
        return kept.confirmed();
    }

    // ------------------------------------------------------------------ propagation

    private final class Events extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String ch, String message) {
            if (channel.equals(ch)) {
                apply(message);
            }
        }
    }

    /** Applies a published change ({@code j <endMs> <id>} or {@code s <nb> <untilMs> <sub>}), keep-later. */
    void apply(String message) {
        try {
            if (message.startsWith("j ")) {
                int space = message.indexOf(' ', 2);
                if (message.length() - space - 1 <= MAX_NAME) {
                    local.add(message.substring(space + 1), capped(Long.parseLong(message, 2, space, 10)));
                }
            } else if (message.startsWith("s ")) {
                int first = message.indexOf(' ', 2);
                int second = message.indexOf(' ', first + 1);
                if (message.length() - second - 1 <= MAX_NAME) {
                    cutOff(message.substring(second + 1), Long.parseLong(message, 2, first, 10),
                            Long.parseLong(message, first + 1, second, 10));
                }
            }
        } catch (RuntimeException malformed) {
            // Not ours (another writer on the channel): nothing to apply.
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: ignored a malformed denylist message");
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
        outage("connection lost");
    }

    // ------------------------------------------------------------------ connect, replay, sync

    private void wake() {
        // Coalesced: a burst of failed writes queues one recovery, not one each.
        if (!closed && !woken.getAndSet(true)) {
            try {
                worker.execute(this::recoverQuietly);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // Closed meanwhile: nothing to do.
            }
        }
    }

    /**
     * Pings on the subscription's connection every {@link #HEARTBEAT}: a Redis that vanished without
     * closing the connection (a host gone, a network partition) answers nothing, and closing the
     * connection then makes it a lost subscription like any other, resynced once Redis is back.
     */
    private void heartbeat() {
        StatefulRedisPubSubConnection<String, String> e = events;
        long now = System.nanoTime();
        if (e == null || !e.isOpen() || now - lastPingNanos < HEARTBEAT.toNanos()) {
            return;
        }
        lastPingNanos = now;
        e.async().ping().whenComplete((pong, failure) -> {
            if (failure != null && e.isOpen()) {
                e.closeAsync();
            }
        });
    }

    private void recoverQuietly() {
        woken.set(false);
        try {
            heartbeat();
            recover();
        } catch (RuntimeException | Error e) {
            // Never let the scheduled task die; the next tick tries again.
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: Redis recovery step failed: " + e);
        }
    }

    /** Worker thread: connect if needed, then replay, then sync; each step only once the previous holds. */
    private void recover() {
        // The common case, every tick: nothing to do. Also catches a closed connection whose event went missing.
        if (closed || (inSync && buffer.isEmpty() && open(events) && open(commands) && !inOutage())) {
            return;
        }
        if (System.nanoTime() - nextAttemptNanos < 0) {
            return;
        }
        dropClosed();
        // Read before subscribing: a loss at any point of connect, replay or sync voids this sync.
        long loss = losses.get();
        try {
            connect();
            int replayed = replay();
            synchronized (this) {
                replayedInOutage += replayed;
            }
            if (!inSync) {
                long start = System.nanoTime();
                int loaded = sync();
                synchronized (this) {
                    // Under the lock that lost() takes: no loss can slip between this check and the flag.
                    if (losses.get() != loss || !subscribed) {
                        return;
                    }
                    inSync = true;
                }
                if (!firstSync.isDone()) {
                    LOG.log(System.Logger.Level.INFO, "cognito-revoke: denylist shared through " + server + ": "
                            + loaded + " live entries loaded in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                    warnIfEvicting();
                    firstSync.complete(null);
                }
            }
            if (buffer.isEmpty()) {
                outageOver();
            }
            failures = 0;
        } catch (Exception e) {
            outage(describe(e));
            failures++;
            long wait = Math.min(LONGEST_RETRY.toNanos(), FIRST_RETRY.toNanos() << Math.min(failures - 1, 10));
            nextAttemptNanos = System.nanoTime() + wait;
        }
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
        StatefulRedisConnection<byte[], byte[]> c = commands;
        if (c != null && !c.isOpen()) {
            commands = null;
            c.closeAsync();
        }
    }

    /** Makes sure both connections are open and the subscription holds: subscribe first, then anything else. */
    private void connect() throws Exception {
        if (events == null) {
            subscribed = false;
            StatefulRedisPubSubConnection<String, String> e = client.connectPubSub(StringCodec.UTF8, uri);
            e.addListener(new Events());
            events = e;
        }
        if (!subscribed) {
            await(events.async().subscribe(channel));
            subscribed = true;
        }
        if (commands == null) {
            commands = client.connect(ByteArrayCodec.INSTANCE, uri);
        }
    }

    /**
     * Warns once if Redis may evict keys that carry an expiry (every key here does) to make room: an
     * evicted entry is unknown to every node that starts or resyncs afterwards. ElastiCache's default
     * policy is volatile-lru. Only a warning: a managed Redis may refuse INFO, and the operator decides.
     */
    private void warnIfEvicting() {
        String info;
        try {
            info = await(commands.async().info("memory"));
        } catch (Exception refused) {
            return;
        }
        String policy = infoField(info, "maxmemory_policy");
        String max = infoField(info, "maxmemory");
        if (policy != null && !policy.equals("noeviction") && max != null && !max.equals("0")) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: Redis at " + server + " has maxmemory-policy "
                    + policy + ", so it may evict denylist entries before they end when it runs out of memory, and a"
                    + " node that starts or resynchronizes afterwards would accept those revoked tokens; set"
                    + " maxmemory-policy noeviction (a full Redis then refuses writes, which nodes keep and replay)");
        }
    }

    private static String infoField(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElse(null);
    }

    /** Sends every kept write again, in batches; a slot goes when Redis confirms its latest value. */
    private int replay() throws Exception {
        List<WriteBuffer.Slot> slots = buffer.snapshot();
        RedisAsyncCommands<byte[], byte[]> c = commands.async();
        int replayed = 0;
        for (int from = 0; from < slots.size(); from += REPLAY_BATCH) {
            List<WriteBuffer.Slot> batch = slots.subList(from, Math.min(slots.size(), from + REPLAY_BATCH));
            List<RedisFuture<Long>> sent = new ArrayList<>(batch.size());
            for (WriteBuffer.Slot slot : batch) {
                sent.add(eval(c, slot.write()));
            }
            for (int i = 0; i < batch.size(); i++) {
                await(sent.get(i));
                if (buffer.confirmed(batch.get(i).write())) {
                    replayed++;
                }
            }
        }
        return replayed;
    }

    /**
     * Loads every live entry from the indexes {@code P subjects} and {@code P ids}: pages of
     * {@link #PAGE_SIZE} members, each read by one {@link #PAGE_SCRIPT}, the next page asked for
     * before this one is applied here. Reading stops at the first member already past on this node's
     * clock (it would not keep one anyway); writers prune a member only once it ended clockSkew before
     * their own now, so none still live here is pruned while clocks differ by at most clockSkew.
     *
     * <p>Why no entry is missed although the index changes between pages: pages go by rank in
     * descending score order, and a member still to be read can only move to a higher rank number
     * (further down the list), never to one already read. The members above it change only by an
     * insertion or a raise (which push it down: it is read again, harmless) or by a removal; the only
     * removal is the prune, which takes the lowest scores, so all below it (or it with them), and
     * no score is ever lowered (ZADD GT). The member that an insertion or raise puts into the ranks
     * already read is missed by the read, but its write published it on {@code P events}, which this
     * node subscribed to before the sync began: it is applied from the message. An entry whose key
     * outlived its index (a hostile delete of the index) is not loaded; the next write of any entry
     * recreates the index, not the lost members.
     *
     * @return the number of entries loaded
     */
    int sync() throws Exception {
        RedisAsyncCommands<byte[], byte[]> c = commands.async();
        String sha = await(c.scriptLoad(PAGE_SCRIPT));
        return syncIndex(c, sha, subjectIndex, subjectPrefixBytes) + syncIndex(c, sha, idIndex, new byte[0]);
    }

    private int syncIndex(RedisAsyncCommands<byte[], byte[]> c, String sha, byte[] index, byte[] keyPrefix)
            throws Exception {
        RedisFuture<List<Object>> next = page(c, sha, index, keyPrefix, 0);
        int loaded = 0;
        for (long from = PAGE_SIZE; next != null; from += PAGE_SIZE) {
            List<Object> page = await(next);
            next = page.isEmpty() || !Long.valueOf(1).equals(page.get(0)) ? null
                    : page(c, sha, index, keyPrefix, from);
            loaded += keyPrefix.length == 0 ? loadIds(page) : loadSubjects(page);
        }
        return loaded;
    }

    private RedisFuture<List<Object>> page(RedisAsyncCommands<byte[], byte[]> c, String sha, byte[] index,
            byte[] keyPrefix, long from) {
        return c.evalsha(sha, ScriptOutputType.MULTI, new byte[][] {index}, bytes(Long.toString(from)),
                bytes(Long.toString(from + PAGE_SIZE - 1)), bytes(Long.toString(clock.millis())), cap(),
                bytes(Integer.toString(MAX_NAME)), keyPrefix);
    }

    /** Applies a page of ids: the flag, then each id followed by its end. */
    private int loadIds(List<Object> page) {
        int loaded = 0;
        for (int i = 1; i + 1 < page.size(); i += 2) {
            byte[] id = (byte[]) page.get(i);
            byte[] end = (byte[]) page.get(i + 1);
            try {
                local.add(new String(id, StandardCharsets.UTF_8), capped(digits(end, 0, end.length)));
                loaded++;
            } catch (RuntimeException malformed) {
                // A score not written by these scripts (a fraction): nothing to load.
            }
        }
        return loaded;
    }

    /** Applies a page of cut-offs: the flag, then each subject followed by (the start of) its key's value. */
    private int loadSubjects(List<Object> page) {
        int loaded = 0;
        for (int i = 1; i + 1 < page.size(); i += 2) {
            byte[] subject = (byte[]) page.get(i);
            byte[] value = (byte[]) page.get(i + 1);
            try {
                int space = indexOf(value, (byte) ' ');
                cutOff(new String(subject, StandardCharsets.UTF_8), digits(value, 0, space),
                        digits(value, space + 1, value.length));
                loaded++;
            } catch (RuntimeException malformed) {
                // A value not written by these scripts: nothing to load.
            }
        }
        return loaded;
    }

    /** Applies a cut-off read from Redis: its end capped, its notBefore no later than its end. */
    private void cutOff(String subject, long notBeforeSecond, long untilMs) {
        Instant until = capped(untilMs);
        local.cutOff(subject, Instant.ofEpochSecond(Math.min(notBeforeSecond, until.getEpochSecond())), until);
    }

    private static int indexOf(byte[] value, byte b) {
        for (int i = 0; i < value.length; i++) {
            if (value[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("no separator");
    }

    /** Parses an optionally negative decimal without making a String of it. */
    static long digits(byte[] b, int from, int to) {
        boolean negative = from < to && b[from] == '-';
        int i = negative ? from + 1 : from;
        if (i == to || to - i > 18) {
            throw new NumberFormatException("not a number of up to 18 digits");
        }
        long n = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not a digit");
            }
            n = n * 10 + d;
        }
        return negative ? -n : n;
    }

    /** Waits for a command; Lettuce itself fails it after its time limit, this bound is a backstop. */
    private <T> T await(RedisFuture<T> command) throws Exception {
        try {
            return command.get(Math.max(timeout.toMillis(), SYNC_PAGE_TIMEOUT.toMillis()) * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    // ------------------------------------------------------------------ outage log lines

    private synchronized boolean inOutage() {
        return outageSince != null;
    }

    private void outage(String cause) {
        synchronized (this) {
            if (outageSince != null || closed) {
                return;
            }
            outageSince = clock.instant();
            replayedInOutage = 0;
            overflowWarned = false;
        }
        LOG.log(System.Logger.Level.WARNING, "cognito-revoke: Redis at " + server + " cannot be reached or did not"
                + " answer within redisTimeout (" + cause + "); this node keeps denylisting locally and keeps up to "
                + maxBuffered + " writes to replay when Redis answers again, and resynchronizes then");
        wake();
    }

    private void outageOver() {
        Instant since;
        int replayed;
        synchronized (this) {
            if (outageSince == null) {
                return;
            }
            since = outageSince;
            replayed = replayedInOutage;
            outageSince = null;
        }
        LOG.log(System.Logger.Level.INFO, "cognito-revoke: Redis at " + server + " answers again after "
                + Duration.between(since, clock.instant()).toMillis() + " ms; " + replayed
                + " denylist writes replayed, this node is in sync again");
    }

    /** The kind and message of a failure, with the URI's user info blanked out should Lettuce quote it. */
    private String describe(Throwable failure) {
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
}
