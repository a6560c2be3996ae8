package io.github.cognitorevoke.internal.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The denylist's writes to Redis: each entry by one script that keeps the later end, gives the key
 * that end as its expiry ({@code PXAT}), indexes it for the sync and publishes the change. A write
 * Redis did not take is kept ({@link WriteBuffer}) and replayed when it answers again.
 */
final class DenylistWrites {

    private static final System.Logger LOG = System.getLogger(DenylistKeys.LOGGER);
    /** Replayed writes in flight at once. */
    private static final int REPLAY_BATCH = 1_000;
    /**
     * How long a confirmed write is kept to be sent again after a loss of Redis: replication is
     * asynchronous, so a primary that dies may take its last confirmed writes with it, and the replica
     * that takes over lacks them. This covers the replication lag plus the time a node needs to notice
     * the loss (a failed write, a closed connection, or the heartbeat's {@code redisTimeout}).
     */
    static final java.time.Duration RECENT = java.time.Duration.ofSeconds(30);
    /** Writes a token id's end (id.lua). */
    static final String ID_SCRIPT = Scripts.load("index.lua", "id.lua");
    /** Writes a subject's cut-off (subject.lua). */
    static final String SUBJECT_SCRIPT = Scripts.load("index.lua", "subject.lua");

    private final DenylistKeys keys;
    private final int maxBuffered;
    private final WriteBuffer buffer;
    /** Confirmed writes of the last {@link #RECENT}, oldest first, at most maxBuffered; under its own lock. */
    private final java.util.ArrayDeque<Recent> recent = new java.util.ArrayDeque<>();
    /** Set by a loss of Redis: the next replay sends the recent writes again first. */
    private volatile boolean resendRecent;

    private record Recent(long atNanos, DenylistWrite write) {
    }
    private final RedisConnections connections;
    private final Outage outage;
    /** Begins an outage (says so once) with the cause of a failed write. */
    private final Consumer<String> failed;

    DenylistWrites(DenylistKeys keys, int maxBuffered, RedisConnections connections, Outage outage,
            Consumer<String> failed) {
        this.keys = keys;
        this.maxBuffered = maxBuffered;
        this.buffer = new WriteBuffer(maxBuffered);
        this.connections = connections;
        this.outage = outage;
        this.failed = failed;
    }

    /**
     * Sends a write on a connection, or keeps it if there is none or Redis does not take it.
     *
     * @return a future that completes once Redis confirmed the write, now or by a replay
     */
    CompletableFuture<Void> send(StatefulConnection<byte[], byte[]> c, DenylistWrite write) {
        if (c == null) {
            return kept(write, "not connected yet");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        RedisFuture<Long> sent;
        try {
            sent = eval(RedisConnections.async(c), write);
        } catch (RuntimeException e) {
            return kept(write, connections.describe(e));
        }
        sent.whenComplete((changed, failure) -> {
            if (failure == null) {
                remember(write);
                done.complete(null);
            } else {
                kept(write, connections.describe(failure)).thenRun(() -> done.complete(null));
            }
        });
        return done;
    }

    private RedisFuture<Long> eval(RedisClusterAsyncCommands<byte[], byte[]> c, DenylistWrite w) {
        byte[] end = bytes(Long.toString(w.endMs()));
        byte[] ended = keys.ended();
        if (w.subject()) {
            return c.eval(SUBJECT_SCRIPT, ScriptOutputType.INTEGER, new byte[][] {bytes(w.key()), keys.subjectIndex},
                    bytes(Long.toString(w.notBefore())), end, keys.channelBytes, bytes(w.name()), keys.cap(), ended);
        }
        return c.eval(ID_SCRIPT, ScriptOutputType.INTEGER, new byte[][] {bytes(w.key()), keys.idIndex},
                end, bytes(w.name()), keys.channelBytes, keys.cap(), ended);
    }

    /** Keeps a write Redis did not take, to be replayed; the outage begins if it had not. */
    private CompletableFuture<Void> kept(DenylistWrite write, String cause) {
        WriteBuffer.Kept kept = buffer.keep(write);
        failed.accept(cause);
        if (kept.droppedOldest() && outage.firstOverflow()) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: more than redisMaxBufferedWrites (" + maxBuffered
                    + ") denylist writes wait for " + connections.server() + "; the oldest are dropped from the replay"
                    + " (they still hold on this node until they end, other nodes will not learn them)");
        }
        return kept.confirmed();
    }

    /**
     * Sends again what Redis confirmed recently if a loss asked for it ({@link #replayRecent}), then every
     * kept write, in batches; a slot goes when Redis confirms its latest value.
     *
     * @return how many kept writes were confirmed
     */
    int replay(RedisClusterAsyncCommands<byte[], byte[]> c) throws Exception {
        resendRecent(c);
        List<WriteBuffer.Slot> slots = buffer.snapshot();
        int replayed = 0;
        for (int from = 0; from < slots.size(); from += REPLAY_BATCH) {
            List<WriteBuffer.Slot> batch = slots.subList(from, Math.min(slots.size(), from + REPLAY_BATCH));
            List<RedisFuture<Long>> sent = new ArrayList<>(batch.size());
            for (WriteBuffer.Slot slot : batch) {
                sent.add(eval(c, slot.write()));
            }
            for (int i = 0; i < batch.size(); i++) {
                connections.await(sent.get(i));
                remember(batch.get(i).write());
                if (buffer.confirmed(batch.get(i).write())) {
                    replayed++;
                }
            }
        }
        return replayed;
    }

    private void remember(DenylistWrite write) {
        long now = System.nanoTime();
        synchronized (recent) {
            recent.addLast(new Recent(now, write));
            while (recent.size() > maxBuffered || now - recent.peekFirst().atNanos() > RECENT.toNanos()) {
                recent.removeFirst();
            }
        }
    }

    /**
     * Makes the next {@link #replay} send again, before the kept writes, what Redis confirmed in the
     * last {@link #RECENT}: called when Redis is lost (a failover may have dropped those writes with the
     * old primary, a restart may have come back empty). Writes are keep-later, so one that Redis still
     * holds changes nothing and publishes nothing. They are not counted as writes waiting for Redis:
     * Redis confirmed them once.
     */
    void replayRecent() {
        resendRecent = true;
    }

    /** Sends the recent writes again if a loss asked for it; the flag stays until all were confirmed. */
    private void resendRecent(RedisClusterAsyncCommands<byte[], byte[]> c) throws Exception {
        if (!resendRecent) {
            return;
        }
        resendRecent = false;
        List<DenylistWrite> again = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (recent) {
            recent.removeIf(r -> now - r.atNanos() > RECENT.toNanos());
            recent.forEach(r -> again.add(r.write()));
        }
        try {
            for (int from = 0; from < again.size(); from += REPLAY_BATCH) {
                List<RedisFuture<Long>> sent = new ArrayList<>();
                for (DenylistWrite w : again.subList(from, Math.min(again.size(), from + REPLAY_BATCH))) {
                    sent.add(eval(c, w));
                }
                for (RedisFuture<Long> f : sent) {
                    connections.await(f);
                }
            }
        } catch (Exception e) {
            resendRecent = true;
            throw e;
        }
    }

    /** @return whether Redis confirmed a write in the last {@link #RECENT}, which a loss would make this node send again */
    boolean hasRecent() {
        long now = System.nanoTime();
        synchronized (recent) {
            Recent last = recent.peekLast();
            return last != null && now - last.atNanos() <= RECENT.toNanos();
        }
    }

    /** @return the number of writes kept for a replay */
    int waiting() {
        return buffer.size();
    }

    private static byte[] bytes(String s) {
        return DenylistKeys.bytes(s);
    }
}
