package io.github.cognitorevoke.internal.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When a node on a Redis Cluster (or through Sentinel) must send its recent writes again at once, and how long a node that
 * starts during a failover waits before it reports ready. The state only; {@link DenylistLink}'s
 * worker acts on it.
 *
 * <p>A failover may drop writes the dead primary confirmed but had not replicated. A node whose
 * subscription sits on another cluster node hears of the failover only through its commands, so it
 * watches for the first sign of it: a connection of this client closed by its peer, an outage that
 * begins (a failed write), a heartbeat to the slot's primary (a keyed {@code EXISTS}) unanswered, or another
 * primary of the slot in the topology. From then on, every {@code TICK} and whatever the backoff,
 * it pings the slot's primary (asking the cluster for its topology after each failure) and sends
 * its recent writes again as soon as one answers: the new primary has them moments after its
 * promotion became visible, not at the next attempt of a backoff of up to 2 s. The watch ends then,
 * or {@link DenylistWrites#RECENT} after it began (nothing written before could be sent again anyway).
 *
 * <p>Through Sentinel every node loses its subscription with the dead primary, so the watch begins
 * with the outage: while it lasts, the worker asks a Sentinel which server is the primary, and once it
 * names another than the one the node last connected to ({@link #connectedTo}, {@link #named}), the
 * next attempt to connect, send the writes again and resync is at once, not after the backoff.
 *
 * <p>A node that starts has nothing in memory: if it loads the new primary before the others sent
 * their writes again, it lacks them until they arrive. So a first load on a cluster that lists a
 * failed primary (flag {@code fail} or {@code fail?}) that last answered within
 * {@link DenylistWrites#RECENT}, or through a Sentinel that learned of its primary, promoted from a
 * replica, within that time, counts only after {@link #settle} more; meanwhile the node is
 * subscribed, so whatever the others send again reaches it, and it is not ready.
 */
final class FailoverWatch {

    /** Set by Lettuce's I/O threads: a connection of this client was closed by its peer, not by us. */
    private final AtomicBoolean peerLost = new AtomicBoolean();
    private volatile boolean watching;
    private volatile long sinceNanos;
    /** Through Sentinel: the primary's address when this node last connected (null until known). */
    private volatile String connectedTo;
    /** Through Sentinel: a Sentinel named another primary than {@link #connectedTo} since. */
    private final AtomicBoolean moved = new AtomicBoolean();
    /** Worker only: the node id of the slot's primary last seen (null until the first). */
    private String primary;
    private final Duration settle;

    /**
     * @param timeout {@code redisTimeout}, the limit of each command
     */
    FailoverWatch(Duration timeout) {
        this.settle = settle(timeout);
    }

    /**
     * How long a first load after a recent failover waits for the other nodes' writes: two of their
     * attempts to reach the new primary, each a topology refresh that may wait for a dead node's
     * connect timeout ({@link RedisConnections#LONGEST_RETRY}) and two commands' {@code redisTimeout}
     * (6 s with the default 500 ms).
     *
     * @param timeout {@code redisTimeout}
     * @return the wait
     */
    static Duration settle(Duration timeout) {
        return RedisConnections.LONGEST_RETRY.plus(timeout.multipliedBy(2)).multipliedBy(2);
    }

    /** @return how long a first load after a recent failover waits */
    Duration settle() {
        return settle;
    }

    /** A connection of this client was closed by its peer (any thread). */
    void peerLost() {
        peerLost.set(true);
    }

    /** @return whether a connection was closed by its peer since the last call (worker) */
    boolean takePeerLost() {
        return peerLost.getAndSet(false);
    }

    /** Begins watching, unless a watch is under way (any thread). */
    void begin() {
        if (!watching) {
            sinceNanos = System.nanoTime();
            watching = true;
        }
    }

    /** @return whether a watch is under way; one older than {@link DenylistWrites#RECENT} ends here */
    boolean watching() {
        if (watching && System.nanoTime() - sinceNanos > DenylistWrites.RECENT.toNanos()) {
            watching = false;
        }
        return watching;
    }

    /**
     * Records the slot's primary the topology names now (worker).
     *
     * @param nodeId its node id
     * @return whether it differs from the one seen before
     */
    boolean primaryIs(String nodeId) {
        boolean changed = primary != null && !primary.equals(nodeId);
        primary = nodeId;
        return changed;
    }

    /**
     * Through Sentinel: the primary's address as a Sentinel named it when this node connected (any thread).
     *
     * @param address its {@code host:port}
     */
    void connectedTo(String address) {
        connectedTo = address;
        moved.set(false);
    }

    /**
     * Through Sentinel: the primary a Sentinel names now (any thread).
     *
     * @param address its {@code host:port}
     * @return whether it is another than the one this node last connected to
     */
    boolean named(String address) {
        String before = connectedTo;
        if (before != null && !before.equals(address)) {
            moved.set(true);
            return true;
        }
        return false;
    }

    /** @return whether a Sentinel named another primary since the last call (worker) */
    boolean takeMoved() {
        return moved.getAndSet(false);
    }

    /** The slot's primary answered and got the recent writes: the watch is over (worker). */
    void over() {
        watching = false;
    }
}
