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
    /** Writes a token id's end (id.lua). */
    static final String ID_SCRIPT = Scripts.load("index.lua", "id.lua");
    /** Writes a subject's cut-off (subject.lua). */
    static final String SUBJECT_SCRIPT = Scripts.load("index.lua", "subject.lua");

    private final DenylistKeys keys;
    private final int maxBuffered;
    private final WriteBuffer buffer;
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

    /** Sends every kept write again, in batches; a slot goes when Redis confirms its latest value. */
    int replay(RedisClusterAsyncCommands<byte[], byte[]> c) throws Exception {
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
                if (buffer.confirmed(batch.get(i).write())) {
                    replayed++;
                }
            }
        }
        return replayed;
    }

    /** @return the number of writes kept for a replay */
    int waiting() {
        return buffer.size();
    }

    private static byte[] bytes(String s) {
        return DenylistKeys.bytes(s);
    }
}
