package io.github.cognitorevoke.internal.redis;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The writes Redis has not confirmed, kept to be replayed: one slot per Redis key (a second write of
 * the key merges keep-later into it), at most {@code capacity} slots, the oldest dropped beyond.
 *
 * <p>Every slot carries the future its writers wait on; it completes when a replay of the slot's
 * latest value is confirmed. A dropped slot's future never completes: its entry was never known
 * beyond this node.
 */
final class WriteBuffer {

    /** What a write into the buffer did. */
    record Kept(CompletableFuture<Void> confirmed, boolean droppedOldest) {
    }

    /** A buffered write and the future of everyone waiting on its key. */
    record Slot(DenylistWrite write, CompletableFuture<Void> confirmed) {
    }

    private final int capacity;
    // Insertion order: the eldest slot is dropped first when the buffer is full.
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>();

    /**
     * Creates an empty buffer.
     *
     * @param capacity the most keys kept
     */
    WriteBuffer(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Keeps a write, merged keep-later with one already kept for its key.
     *
     * @param write the write
     * @return the future that completes once the key's value is confirmed, and whether the oldest
     *         slot was dropped to make room
     */
    synchronized Kept keep(DenylistWrite write) {
        Slot old = slots.get(write.key());
        if (old != null) {
            slots.put(write.key(), new Slot(old.write().merge(write), old.confirmed()));
            return new Kept(old.confirmed(), false);
        }
        Slot slot = new Slot(write, new CompletableFuture<>());
        slots.put(write.key(), slot);
        boolean dropped = false;
        if (slots.size() > capacity) {
            Iterator<Map.Entry<String, Slot>> eldest = slots.entrySet().iterator();
            eldest.next();
            eldest.remove();
            dropped = true;
        }
        return new Kept(slot.confirmed(), dropped);
    }

    /** @return the slots now kept, oldest first */
    synchronized List<Slot> snapshot() {
        return new ArrayList<>(slots.values());
    }

    /**
     * Records that Redis confirmed a replayed write: its slot goes and its waiters are released,
     * unless a later write merged into the slot meanwhile (that one still needs its replay).
     *
     * @param replayed the write that was replayed
     * @return whether the slot was released
     */
    boolean confirmed(DenylistWrite replayed) {
        Slot slot;
        synchronized (this) {
            slot = slots.get(replayed.key());
            if (slot == null || slot.write() != replayed) {
                return false;
            }
            slots.remove(replayed.key());
        }
        // Outside the lock: a waiter's continuation must not run while holding it.
        slot.confirmed().complete(null);
        return true;
    }

    /** @return the number of keys kept */
    synchronized int size() {
        return slots.size();
    }

    /** @return whether nothing is kept */
    synchronized boolean isEmpty() {
        return slots.isEmpty();
    }
}
