package io.github.cognitorevoke.internal.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The pending store's connection to Redis: made on demand from {@link RedisConnections} and made
 * again after it closed (Lettuce does not reconnect), at most as often as {@link RedisConnections.Backoff}
 * allows; the lock that orders the store's commands; waits bounded by {@code redisTimeout}; and the
 * store's two outage lines, once per outage.
 */
final class PendingLink {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");

    /** Orders the store's writes: every command is dispatched under it, so a save never overtakes a later removal. */
    final Object lock = new Object();
    private final RedisConnections connections;
    private final Duration timeout;
    private final String server;
    private final Outage outage;
    /** How many entries still wait to be saved, for the line at the end of an outage. */
    private final IntSupplier unsaved;
    private volatile StatefulConnection<String, String> connection;
    /** A connection of the client was closed by its peer: on a cluster, the connection is made anew. */
    private volatile boolean peerClosed;
    // Under lock.
    private CompletableFuture<?> connecting;
    private final RedisConnections.Backoff backoff = new RedisConnections.Backoff();
    private boolean closed;

    PendingLink(RedisConnections connections, Duration timeout, Clock clock, IntSupplier unsaved) {
        this.connections = connections;
        this.timeout = timeout;
        this.server = connections.server();
        this.outage = new Outage(clock);
        this.unsaved = unsaved;
        connections.onPeerClosed(() -> peerClosed = true);
    }

    /**
     * The connection, or null while the first is being made. A closed connection is made anew here,
     * and stays the answer until then (its commands fail at once); so is a cluster connection after a
     * connection was closed by its peer ({@link RedisConnections#onPeerClosed}: a node connection inside
     * it stays dead, and commands for a primary that restarted with its node id would time out for good).
     */
    StatefulConnection<String, String> connection() {
        StatefulConnection<String, String> c = connection;
        if (c != null && c.isOpen() && !(peerClosed && c instanceof StatefulRedisClusterConnection<?, ?>)) {
            return c;
        }
        synchronized (lock) {
            if (closed || (connecting != null && !connecting.isDone()) || !backoff.due()) {
                return c;
            }
            // A peer that closes a connection after this makes another.
            peerClosed = false;
            // The stage after the callback: once it completes, the connection is in place.
            connecting = connections.connectAsync(StringCodec.UTF8).whenComplete((made, failure) -> {
                synchronized (lock) {
                    if (failure != null) {
                        backoff.failed();
                        // Still to be replaced, if it was a cluster connection a peer closed a part of.
                        peerClosed = true;
                    } else if (closed) {
                        made.closeAsync();
                    } else {
                        backoff.succeeded();
                        StatefulConnection<String, String> old = connection;
                        connection = made;
                        if (old != null) {
                            old.closeAsync();
                        }
                    }
                }
                if (failure != null) {
                    failed(failure);
                }
            });
        }
        return c;
    }

    /** Makes the first connection and waits for it at most {@code redisTimeout}; if Redis is away, later. */
    void connectNow() {
        connection();
        CompletableFuture<?> first;
        synchronized (lock) {
            first = connecting;
        }
        await(first, unreachable -> { });
    }

    /** @return the connection as it is, without making one */
    StatefulConnection<String, String> current() {
        return connection;
    }

    /** @return whether the store closed; the caller holds {@link #lock} */
    boolean closed() {
        return closed;
    }

    /** From now on nothing is sent; the caller holds {@link #lock}. */
    void markClosed() {
        closed = true;
    }

    /** Closes the connection; the client is its opener's to close. */
    void close() {
        StatefulConnection<String, String> last = connection;
        if (last != null) {
            last.close();
        }
    }

    /** Runs a quick task every period on Lettuce's event executors. */
    ScheduledFuture<?> every(Duration period, Runnable task) {
        return connections.every(period, task);
    }

    /** Waits at most {@code redisTimeout}; null if Redis did not answer in time or failed. */
    <T> T await(CompletableFuture<T> f) {
        return await(f, this::failed);
    }

    <T> T await(CompletableFuture<T> f, Consumer<Throwable> failure) {
        try {
            T value = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            answered();
            return value;
        } catch (TimeoutException | ExecutionException e) {
            failure.accept(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    void answered() {
        if (outage.end() != null) {
            LOG.log(System.Logger.Level.INFO, "cognito-revoke: Redis at {0} answers again; pending revocations are"
                    + " saved there again ({1} still to save)", server, unsaved.getAsInt());
        }
    }

    void failed(Throwable cause) {
        // The denylist tier warns about an outage; this is the pending side of the same story.
        if (outage.begin()) {
            LOG.log(System.Logger.Level.INFO, "cognito-revoke: pending revocations cannot be saved in Redis at {0}"
                    + " ({1}); they stay on this node and are saved when Redis answers", server, briefly(cause));
        }
    }

    /** {@link RedisConnections#describe}, cut to one short line whatever Redis answered. */
    String briefly(Throwable t) {
        String text = connections.describe(t);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
