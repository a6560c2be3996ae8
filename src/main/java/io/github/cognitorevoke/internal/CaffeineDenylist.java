package io.github.cognitorevoke.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The in-memory denylist: two Caffeine caches with per-entry expiry driven by a {@link Clock}.
 *
 * <p>There is deliberately no maximum size: an evicted entry would let a revoked token back in.
 * Memory is bounded instead by the entries' ends (at most one access-token lifetime past the
 * logout, or a pending revocation).
 */
public final class CaffeineDenylist implements Denylist {

    private final Clock clock;
    private final Cache<String, Instant> ids;
    private final Cache<String, CutOff> subjects;

    private record CutOff(long notBefore, Instant until) {
    }

    /**
     * Creates an empty denylist.
     *
     * @param clock the time source for entry expiry
     */
    public CaffeineDenylist(Clock clock) {
        this.clock = clock;
        // Caffeine reads time through a Ticker; deriving it from the Clock lets tests move time.
        Ticker ticker = () -> clock.millis() * 1_000_000L;
        this.ids = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfter(Expiry.writing((String id, Instant until) -> remaining(until)))
                .executor(Runnable::run)
                .build();
        this.subjects = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfter(Expiry.writing((String sub, CutOff c) -> remaining(c.until())))
                .executor(Runnable::run)
                .build();
    }

    private Duration remaining(Instant until) {
        Duration d = Duration.between(clock.instant(), until);
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public void add(String id, Instant until) {
        ids.asMap().merge(id, until, CaffeineDenylist::later);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    @Override
    public boolean contains(String id) {
        return ids.getIfPresent(id) != null;
    }

    @Override
    public void cutOff(String subject, Instant notBefore, Instant until) {
        CutOff next = new CutOff(notBefore.getEpochSecond(), until);
        subjects.asMap().merge(subject, next, (old, now) -> new CutOff(
                Math.max(old.notBefore(), now.notBefore()), later(old.until(), now.until())));
    }

    @Override
    public long notBeforeEpochSecond(String subject) {
        CutOff c = subjects.getIfPresent(subject);
        return c == null ? Long.MIN_VALUE : c.notBefore();
    }

    /** @return the number of denylisted ids, for tests and metrics (approximate) */
    @Override
    public long size() {
        ids.cleanUp();
        return ids.estimatedSize();
    }
}
