package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.Denylist;
import io.github.cognitorevoke.internal.TokenIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The shared denylist tier: this node's {@link CaffeineDenylist}, written through to Redis or Valkey
 * and kept up to date from it.
 *
 * <p>Every check ({@link #contains}, {@link #subjectMatch}) reads only the local Caffeine
 * cache: the request path never touches the network. A write applies locally at once, then goes to
 * Redis as one Lua script that keeps the later end (an entry's end never moves earlier), gives the key
 * that end as its expiry ({@code PXAT}) and publishes the change on the channel {@code P events}
 * ({@link DenylistWrites}). Every node subscribes to that channel and applies what it hears,
 * keep-later, to its own cache ({@link DenylistSync}). Keys and messages: {@link DenylistKeys}, the
 * scripts ({@code id.lua}, {@code subject.lua}, {@code page.lua}). Only Redis 6.2 commands (no
 * {@code EXPIRE GT}, no {@code PEXPIRETIME}): the same scripts run on Redis 6.2+ and Valkey 7.2+.
 *
 * <p>Nothing is missed across a dropped connection: at start and after every loss of the
 * subscription the node subscribes first, then replays the writes Redis did not confirm, then loads
 * every live entry from the two indexes (see {@link DenylistSync#sync}); it is {@link #inSync()} only
 * once that completed and until the subscription is lost again.
 *
 * <p>During an outage Lettuce queues nothing (commands are rejected while disconnected and time out
 * after {@code redisTimeout}); writes Redis did not confirm are kept in a bounded buffer, one slot
 * per key, and replayed when Redis answers again. Lettuce's auto-reconnect is off
 * ({@link RedisConnections}): the worker of {@link DenylistLink} makes new connections (backoff 100 ms
 * to 2 s), which keeps subscribe, replay and sync in that order. One warning when an outage starts,
 * one line when it ends. No id, token or password is ever logged.
 *
 * <p>Threads: Lettuce's I/O threads apply published entries and complete write futures (chain only
 * quick work on them); one daemon thread ({@code cognito-revoke-redis}) connects, replays and syncs.
 */
public final class RedisDenylist implements Denylist, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DenylistKeys.LOGGER);

    private final CaffeineDenylist local;
    private final Clock clock;
    private final String server;
    private final Duration syncTimeout;
    private final DenylistKeys keys;
    private final RedisConnections connections;
    private final DenylistLink link;
    private final DenylistWrites writes;

    private final boolean ownsConnections;

    private RedisDenylist(RevocationSettings settings, Clock clock, CaffeineDenylist local,
                          RedisConnections connections, boolean ownsConnections) {
        this.local = local;
        this.clock = clock;
        this.syncTimeout = settings.redisSyncTimeout();
        this.keys = new DenylistKeys(settings, clock);
        this.connections = connections;
        this.ownsConnections = ownsConnections;
        this.server = connections.server();
        this.link = new DenylistLink(connections, keys, new DenylistSync(local, keys, connections, clock),
                new Outage(clock), clock, settings.redisMaxBufferedWrites());
        this.writes = link.writes();
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
        return start(new RedisDenylist(settings, clock, local, RedisConnections.open(settings), true));
    }

    /**
     * As {@link #start(RevocationSettings, Clock, CaffeineDenylist)}, on a client it is handed and
     * does not close (the pending store may share it).
     *
     * @param settings    the settings ({@code redisUri} must be set)
     * @param clock       the time source of entry ends
     * @param local       this node's cache, which every check reads
     * @param connections the client; its opener closes it after this tier
     * @return the running tier
     */
    public static RedisDenylist start(RevocationSettings settings, Clock clock, CaffeineDenylist local,
                                      RedisConnections connections) {
        return start(new RedisDenylist(settings, clock, local, connections, false));
    }

    private static RedisDenylist start(RedisDenylist tier) {
        tier.link.start();
        try {
            tier.link.firstSync.get(tier.syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (tier.syncTimeout.isZero()) {
                // Asked not to wait: readiness tells when the first sync is done; a failed connection still warns.
                return tier;
            }
            if (!tier.link.subscribed()) {
                // Not even connected: that is the outage, warned once (a failed attempt may have warned already).
                tier.link.outage("no connection within redisSyncTimeout, " + tier.syncTimeout);
            } else if (!tier.link.inOutage()) {
                LOG.log(System.Logger.Level.WARNING, "cognito-revoke: the first load of the shared denylist from "
                        + tier.server + " did not complete within redisSyncTimeout (" + tier.syncTimeout
                        + "); serving from this node's entries, not ready until it completes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // The only failure: a configuration no connection will do with (see DenylistLink).
            tier.close();
            if (e.getCause() instanceof RevocationConfigurationException configuration) {
                throw configuration;
            }
            throw new IllegalStateException(e.getCause());
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
        return writes.send(link.commands(), new DenylistWrite(keys.idPrefix + id, false, id, 0, end));
    }

    @Override
    public boolean contains(String id) {
        return local.contains(id);
    }

    @Override
    public boolean containsEither(String first, String second) {
        return local.containsEither(first, second);
    }

    @Override
    public int revoked(TokenIds token) {
        return local.revoked(token);
    }

    @Override
    public CompletableFuture<Void> cutOff(String subject, Instant notBefore, Instant until) {
        local.cutOff(subject, notBefore, until);
        long end = until.toEpochMilli();
        if (end <= clock.millis()) {
            return LOCAL;
        }
        return writes.send(link.commands(),
                new DenylistWrite(keys.subjectPrefix + subject, true, subject, notBefore.getEpochSecond(), end));
    }

    @Override
    public long notBeforeEpochSecond(String subject) {
        return local.notBeforeEpochSecond(subject);
    }

    @Override
    public int subjectMatch(String subject, long iat, long authTime) {
        return local.subjectMatch(subject, iat, authTime);
    }

    @Override
    public long size() {
        return local.size();
    }

    @Override
    public boolean inSync() {
        return link.inSync();
    }

    @Override
    public String describe() {
        String where = "denylist shared through " + server;
        int waiting = writes.waiting();
        String kept = waiting == 0 ? "" : ", " + waiting + " writes waiting for Redis";
        if (link.inSync()) {
            return where + ", in sync" + kept;
        }
        return where + ", not in sync since " + link.outOfSyncSince() + kept;
    }

    /** Stops the worker and its connections, and Lettuce (event loops, timer) if it opened it, within about two seconds. */
    @Override
    public void close() {
        link.close();
        int unconfirmed = writes.waiting();
        if (unconfirmed > 0) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: closing with " + unconfirmed
                    + " denylist writes that " + server + " never confirmed; other nodes have not learnt them");
        }
        if (ownsConnections) {
            connections.close();
        }
    }
}
