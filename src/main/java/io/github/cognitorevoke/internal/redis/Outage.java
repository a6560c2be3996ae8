package io.github.cognitorevoke.internal.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One outage of Redis as one user of it sees it, so that its log lines come once per outage, not once
 * per failed command: the first failure begins it, the first answer after that ends it. Also counts,
 * for the line at its end, the writes replayed meanwhile, and whether a full buffer was said already.
 */
final class Outage {

    /** How an outage ended: how long it lasted and how many writes were replayed during it. */
    record Over(Duration lasted, int replayed) {
    }

    private final Clock clock;
    // Guarded by this.
    private Instant since;
    private int replayed;
    private boolean overflowSaid;

    Outage(Clock clock) {
        this.clock = clock;
    }

    /** @return true if this failure begins an outage (say so), false if one is already under way */
    synchronized boolean begin() {
        if (since != null) {
            return false;
        }
        since = clock.instant();
        replayed = 0;
        overflowSaid = false;
        return true;
    }

    /** @return how the outage ended, or null if there was none (nothing to say) */
    synchronized Over end() {
        if (since == null) {
            return null;
        }
        Over over = new Over(Duration.between(since, clock.instant()), replayed);
        since = null;
        return over;
    }

    synchronized boolean ongoing() {
        return since != null;
    }

    synchronized void replayed(int writes) {
        replayed += writes;
    }

    /** @return true the first time in this outage that writes had to be dropped */
    synchronized boolean firstOverflow() {
        boolean first = !overflowSaid;
        overflowSaid = true;
        return first;
    }
}
