package io.github.cognitorevoke.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The in-memory denylist: two Caffeine caches with per-entry expiry driven by a {@link Clock}.
 *
 * <p>There is deliberately no maximum size: an evicted entry would let a revoked token back in.
 * Memory is bounded instead by the entries' ends (at most one access-token lifetime past the
 * logout).
 *
 * <p>Token ids are kept compact, about 100 bytes an entry: the key is a 64-bit keyed hash of the id
 * (not the ~80-byte id string), every value is one shared object, and the entry's end lives only in
 * Caffeine's per-entry expiry. Writes (logouts) are rare and serialized, so that keeping the later
 * end is atomic; lookups take no lock.
 *
 * <p>Lookups read quietly ({@link Policy#getIfPresentQuietly}): they check the entry's end but record
 * no access, so that a hit does not make Caffeine move the entry in its timer wheel (per-entry expiry
 * reschedules on every recorded read: about 2 µs a hit at a million entries). Expired entries are
 * swept by the maintenance that every write runs.
 */
public final class CaffeineDenylist implements Denylist {

    /** Every id entry maps to this: the entry's presence and expiry say everything. */
    private static final Boolean PRESENT = Boolean.TRUE;

    /**
     * The hash key, random per JVM so that nobody outside can compute ids that collide. A collision
     * (about 1 in 2^64 per lookup at a million entries even if it were not keyed) can only make a
     * live token look revoked, never let a revoked one in: a denylisted id always finds its entry.
     */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long K0;
    private static final long K1;

    static {
        SecureRandom random = new SecureRandom();
        K0 = random.nextLong();
        K1 = random.nextLong();
    }

    private final Clock clock;
    private final Cache<Long, Boolean> ids;
    private final Policy<Long, Boolean> idPolicy;
    private final Policy.VarExpiration<Long, Boolean> idEnds;
    /** Keyed as the ids are, by the subject's hash: a lookup then costs no {@code String.hashCode}. */
    private final Cache<Long, CutOff> subjects;
    private final Policy<Long, CutOff> subjectPolicy;
    private final Object writeLock = new Object();
    /** Replaced, never changed in place, by a rebuild under the write lock. */
    private volatile IdFilter filter = new IdFilter(IdFilter.MIN_CAPACITY);

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
                .expireAfter(new Expiry<Long, Boolean>() {
                    @Override
                    public long expireAfterCreate(Long key, Boolean value, long currentTime) {
                        // Every write goes through idEnds.put with its own duration; never reached.
                        throw new IllegalStateException("a denylist entry needs its end");
                    }

                    @Override
                    public long expireAfterUpdate(Long key, Boolean value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }

                    @Override
                    public long expireAfterRead(Long key, Boolean value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .executor(Runnable::run)
                .build();
        this.idPolicy = ids.policy();
        this.idEnds = idPolicy.expireVariably().orElseThrow();
        this.subjects = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfter(Expiry.writing((Long sub, CutOff c) -> remaining(c.until())))
                .executor(Runnable::run)
                .build();
        this.subjectPolicy = subjects.policy();
    }

    /**
     * Time left until an instant, measured from the same millisecond the ticker reports, so that an
     * entry ends at its instant and never before it.
     */
    private Duration remaining(Instant until) {
        Duration d = Duration.between(Instant.ofEpochMilli(clock.millis()), until);
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public CompletableFuture<Void> add(String id, Instant until) {
        Long key = hash(id);
        synchronized (writeLock) {
            Duration wanted = remaining(until);
            if (wanted.isZero()) {
                return LOCAL;
            }
            Optional<Duration> current = idEnds.getExpiresAfter(key);
            if (current.isEmpty() || current.get().compareTo(wanted) < 0) {
                if (current.isEmpty()) {
                    addToFilter(key);
                }
                idEnds.put(key, PRESENT, wanted);
            }
        }
        return LOCAL;
    }

    /** Before the entry enters the table; a full filter is rebuilt from the table's keys, sized for twice as many. */
    private void addToFilter(long key) {
        IdFilter f = filter;
        if (f.full()) {
            f = new IdFilter(2 * Math.max(ids.estimatedSize(), f.capacity() / 2));
            for (Long k : ids.asMap().keySet()) {
                f.add(k);
            }
            filter = f;
        }
        f.add(key);
    }

    @Override
    public boolean contains(String id) {
        long key = hash(id);
        return filter.mightContain(key) && idPolicy.getIfPresentQuietly(key) != null;
    }

    /**
     * Both filter words are read before either is tested, so that the two reads (cache misses for
     * a token the node has not seen recently) overlap instead of following each other.
     */
    @Override
    public boolean containsEither(String first, String second) {
        long a = first == null ? 0 : hash(first);
        long b = second == null ? 0 : hash(second);
        IdFilter f = filter;
        int maybe = f.mightContainEach(a, b);
        return (maybe & 1) != 0 && first != null && idPolicy.getIfPresentQuietly(a) != null
                || (maybe & 2) != 0 && second != null && idPolicy.getIfPresentQuietly(b) != null;
    }

    @Override
    public CompletableFuture<Void> cutOff(String subject, Instant notBefore, Instant until) {
        CutOff next = new CutOff(notBefore.getEpochSecond(), until);
        subjects.asMap().merge(hash(subject), next, (old, now) -> new CutOff(
                Math.max(old.notBefore(), now.notBefore()), old.until().isAfter(now.until()) ? old.until() : now.until()));
        return LOCAL;
    }

    @Override
    public long notBeforeEpochSecond(String subject) {
        CutOff c = subjectPolicy.getIfPresentQuietly(hash(subject));
        return c == null ? Long.MIN_VALUE : c.notBefore();
    }

    /** @return the number of denylisted ids, for tests and metrics (approximate) */
    @Override
    public long size() {
        ids.cleanUp();
        return ids.estimatedSize();
    }

    /**
     * SipHash-1-3 (the keyed hash of Python's and Rust's hash tables) over the id's UTF-8 bytes, eight
     * to a block, as its authors specify it: the length goes into the last block. Cognito's ids are
     * ASCII, so the encoding is a plain copy, and a 36-character id takes five blocks. The one
     * non-injective case, text with unpaired surrogates (the encoder writes {@code ?} for each), is
     * no id Cognito issues: it can only make a token that no verifier accepts look revoked.
     */
    static long hash(String id) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        long v0 = K0 ^ 0x736f6d6570736575L;
        long v1 = K1 ^ 0x646f72616e646f6dL;
        long v2 = K0 ^ 0x6c7967656e657261L;
        long v3 = K1 ^ 0x7465646279746573L;
        int n = b.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long m = (long) LONGS.get(b, i);
            v3 ^= m;
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            v0 ^= m;
        }
        long last = (long) n << 56;
        for (int shift = 0; i < n; i++, shift += 8) {
            last |= (b[i] & 0xffL) << shift;
        }
        v3 ^= last;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= last;
        v2 ^= 0xff;
        for (int r = 0; r < 3; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
