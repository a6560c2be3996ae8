package io.github.cognitorevoke.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * <p>A subject's cut-off and its ended sign-ins share one entry of the second cache, keyed by the
 * subject's hash: the check finds both with one lookup, and a subject with neither costs nothing more.
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
    private final Cache<Long, Subject> subjects;
    private final Policy<Long, Subject> subjectPolicy;
    private final Policy.VarExpiration<Long, Subject> subjectEnds;
    private final Object writeLock = new Object();
    /** Replaced, never changed in place, by a rebuild under the write lock. */
    private volatile IdFilter filter = new IdFilter(IdFilter.MIN_CAPACITY);
    /** The same over the subjects' keys: a subject without a cut-off (almost every one) costs no table lookup. */
    private volatile IdFilter subjectFilter = new IdFilter(IdFilter.MIN_CAPACITY);

    /** No second sign-in ended: shared by every subject entry that holds at most one sign-in. */
    private static final long[] NO_SIGN_INS = new long[0];

    /** {@link Subject#endMs} of an entry with no sign-in (a cut-off only): never after any instant. */
    private static final long NO_SIGN_IN = Long.MIN_VALUE;

    /**
     * What is kept of one subject: its cut-off ({@link Long#MIN_VALUE} for none) and the sign-ins
     * ended ({@code auth_time}, the last {@code iat} rejected, end in epoch ms), until the latest of
     * their ends, which lives only in Caffeine's per-entry expiry, as an id's end does. The first
     * sign-in is held in the record's own fields and later ones of the same subject in triples in
     * {@code more}, so that the usual entry (one sign-in, or a cut-off alone) is this one object of
     * 48 bytes. Replaced, never changed in place.
     */
    private record Subject(long notBefore, long authTime, long issuedUntil, long endMs, long[] more) {

        /** @return whether a token of this sign-in issued at {@code iat} is rejected at {@code nowMs} */
        boolean ended(long authTime, long iat, long nowMs) {
            // With no sign-in, endMs is NO_SIGN_IN (never after nowMs) and more is empty.
            if (this.authTime == authTime) {
                return ended(iat, issuedUntil, endMs, nowMs);
            }
            long[] s = more;
            for (int i = 0; i < s.length; i += 3) {
                if (s[i] == authTime) {
                    return ended(iat, s[i + 1], s[i + 2], nowMs);
                }
            }
            return false;
        }

        /** A token without iat (none is issued so) is taken as of the sign-in. */
        private static boolean ended(long iat, long issuedUntil, long endMs, long nowMs) {
            return (iat == Long.MIN_VALUE || iat <= issuedUntil) && endMs > nowMs;
        }

        /** Keep-later merge of two entries of one subject, dropping sign-ins that ended by {@code nowMs}. */
        Subject merge(Subject next, long nowMs) {
            long nb = Math.max(notBefore, next.notBefore);
            long[] merged = triples();
            long[] added = next.triples();
            for (int j = 0; j < added.length; j += 3) {
                merged = with(merged, added[j], added[j + 1], added[j + 2]);
            }
            int live = 0;
            for (int i = 0; i < merged.length; i += 3) {
                live += merged[i + 2] > nowMs ? 3 : 0;
            }
            if (live < merged.length) {
                long[] kept = new long[live];
                for (int i = 0, k = 0; i < merged.length; i += 3) {
                    if (merged[i + 2] > nowMs) {
                        System.arraycopy(merged, i, kept, k, 3);
                        k += 3;
                    }
                }
                merged = kept;
            }
            return of(nb, merged);
        }

        /** The entry with this cut-off and these sign-ins, in triples: the first in the fields, the rest in {@code more}. */
        static Subject of(long notBefore, long[] triples) {
            if (triples.length == 0) {
                return new Subject(notBefore, 0, 0, NO_SIGN_IN, NO_SIGN_INS);
            }
            long[] rest = triples.length == 3 ? NO_SIGN_INS : java.util.Arrays.copyOfRange(triples, 3, triples.length);
            return new Subject(notBefore, triples[0], triples[1], triples[2], rest);
        }

        /** All the sign-ins in triples, the first one first (for a merge: writes only). */
        private long[] triples() {
            if (endMs == NO_SIGN_IN) {
                return NO_SIGN_INS;
            }
            long[] all = new long[3 + more.length];
            all[0] = authTime;
            all[1] = issuedUntil;
            all[2] = endMs;
            System.arraycopy(more, 0, all, 3, more.length);
            return all;
        }

        /** The triples with one sign-in's bound and end each the later of the two; a copy when anything changes. */
        private static long[] with(long[] triples, long authTime, long issuedUntil, long endMs) {
            for (int i = 0; i < triples.length; i += 3) {
                if (triples[i] == authTime) {
                    if (triples[i + 1] >= issuedUntil && triples[i + 2] >= endMs) {
                        return triples;
                    }
                    long[] copy = triples.clone();
                    copy[i + 1] = Math.max(copy[i + 1], issuedUntil);
                    copy[i + 2] = Math.max(copy[i + 2], endMs);
                    return copy;
                }
            }
            long[] grown = java.util.Arrays.copyOf(triples, triples.length + 3);
            grown[triples.length] = authTime;
            grown[triples.length + 1] = issuedUntil;
            grown[triples.length + 2] = endMs;
            return grown;
        }
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
                .expireAfter(CaffeineDenylist.<Boolean>endsGivenOnWrite())
                .executor(Runnable::run)
                .build();
        this.idPolicy = ids.policy();
        this.idEnds = idPolicy.expireVariably().orElseThrow();
        this.subjects = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfter(CaffeineDenylist.<Subject>endsGivenOnWrite())
                .executor(Runnable::run)
                .build();
        this.subjectPolicy = subjects.policy();
        this.subjectEnds = subjectPolicy.expireVariably().orElseThrow();
    }

    /** Every write goes through {@link Policy.VarExpiration#put} with the entry's end; reads keep it. */
    private static <V> Expiry<Long, V> endsGivenOnWrite() {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(Long key, V value, long currentTime) {
                // Never reached: every write gives its own duration.
                throw new IllegalStateException("a denylist entry needs its end");
            }

            @Override
            public long expireAfterUpdate(Long key, V value, long currentTime, long currentDuration) {
                return currentDuration;
            }

            @Override
            public long expireAfterRead(Long key, V value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
    }

    /**
     * Time left until an instant, measured from the same millisecond the ticker reports, so that an
     * entry ends at its instant and never before it.
     */
    private Duration remaining(Instant until) {
        Duration d = Duration.between(Instant.ofEpochMilli(clock.millis()), until);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An id of the sign-in form ({@link SignIn#id}, as the shared tier carries sign-ins) goes to
     * {@link #endSignIn}.
     */
    @Override
    public CompletableFuture<Void> add(String id, Instant until) {
        if (SignIn.isSignIn(id)) {
            SignIn.Parsed signIn = SignIn.parse(id);
            if (signIn != null) {
                return endSignIn(signIn.subject(), signIn.authTime(), signIn.issuedUntil(), until);
            }
        }
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
        filter = added(filter, ids, key);
    }

    /** {@code f} with the key added, or a rebuild of it from the table's keys if it was full; under the write lock. */
    private static IdFilter added(IdFilter f, Cache<Long, ?> table, long key) {
        if (f.full()) {
            f = new IdFilter(2 * Math.max(table.estimatedSize(), f.capacity() / 2));
            for (Long k : table.asMap().keySet()) {
                f.add(k);
            }
        }
        f.add(key);
        return f;
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

    /**
     * With the keys the scanner computed, and the three filter words (both ids' and the subject's)
     * read before any is tested, so that their cache misses overlap: a token the node has not seen
     * recently then costs the time of one miss, not three.
     */
    @Override
    public int revoked(TokenIds token) {
        IdFilter f = filter;
        IdFilter s = subjectFilter;
        long jti = f.word(token.jtiKey());
        long origin = f.word(token.originJtiKey());
        long sub = s.word(token.subKey());
        int out = 0;
        if (IdFilter.holds(jti, token.jtiKey()) && token.jti() != null && idPolicy.getIfPresentQuietly(token.jtiKey()) != null) {
            out |= JTI;
        }
        if (IdFilter.holds(origin, token.originJtiKey()) && token.originJti() != null
                && idPolicy.getIfPresentQuietly(token.originJtiKey()) != null) {
            out |= ORIGIN_JTI;
        }
        if (IdFilter.holds(sub, token.subKey()) && token.sub() != null
                && (token.iat() != Long.MIN_VALUE || token.authTime() != Long.MIN_VALUE)) {
            out |= subjectMatch(token.subKey(), token.iat(), token.authTime());
        }
        return out;
    }

    @Override
    public CompletableFuture<Void> cutOff(String subject, Instant notBefore, Instant until) {
        mergeSubject(subject, Subject.of(notBefore.getEpochSecond(), NO_SIGN_INS), until);
        return LOCAL;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Kept with the subject's cut-off, so that the per-request check finds both with the one
     * lookup it already made for the cut-off; a subject with no entries costs nothing more.
     */
    @Override
    public CompletableFuture<Void> endSignIn(String subject, long authTime, long issuedUntil, Instant until) {
        if (remaining(until).isZero()) {
            return LOCAL;
        }
        mergeSubject(subject, new Subject(Long.MIN_VALUE, authTime, issuedUntil, until.toEpochMilli(), NO_SIGN_INS), until);
        return LOCAL;
    }

    /** Keep-later merge into the subject's entry, which then ends at the later of its end and {@code until}. */
    private void mergeSubject(String subject, Subject next, Instant until) {
        long now = clock.millis();
        long key = hash(subject);
        synchronized (writeLock) {
            // Into the filter before the table, as the ids: a reader that finds the entry passed the filter.
            subjectFilter = added(subjectFilter, subjects, key);
            Duration wanted = remaining(until);
            Subject old = subjectPolicy.getIfPresentQuietly(key);
            if (old == null) {
                subjectEnds.put(key, next, wanted);
            } else {
                Duration current = subjectEnds.getExpiresAfter(key).orElse(Duration.ZERO);
                subjectEnds.put(key, old.merge(next, now), current.compareTo(wanted) < 0 ? wanted : current);
            }
        }
    }

    @Override
    public long notBeforeEpochSecond(String subject) {
        return notBefore(hash(subject));
    }

    private long notBefore(long key) {
        return subjectFilter.mightContain(key) ? notBeforeInTable(key) : Long.MIN_VALUE;
    }

    private long notBeforeInTable(long key) {
        Subject c = subjectPolicy.getIfPresentQuietly(key);
        return c == null ? Long.MIN_VALUE : c.notBefore();
    }

    /** One lookup by the subject's hash, as the cut-off alone took; the sign-ins are read only when there is an entry. */
    @Override
    public int subjectMatch(String subject, long iat, long authTime) {
        long key = hash(subject);
        return subjectFilter.mightContain(key) ? subjectMatch(key, iat, authTime) : NO_MATCH;
    }

    private int subjectMatch(long key, long iat, long authTime) {
        Subject c = subjectPolicy.getIfPresentQuietly(key);
        if (c == null) {
            return NO_MATCH;
        }
        if (iat != Long.MIN_VALUE && iat < c.notBefore()) {
            return SIGNED_OUT;
        }
        return authTime != Long.MIN_VALUE && c.endMs() != NO_SIGN_IN && c.ended(authTime, iat, clock.millis())
                ? SIGN_IN_ENDED : NO_MATCH;
    }

    /** @return the number of denylisted ids, for tests and metrics (approximate) */
    @Override
    public long size() {
        ids.cleanUp();
        subjects.cleanUp(); // cut-offs and sign-ins: not counted, but ended ones go too
        return ids.estimatedSize();
    }

    /**
     * SipHash-1-3 (the keyed hash of Python's and Rust's hash tables) over the id, as its authors
     * specify it for bytes: eight to a block, the length in the last one. An id whose characters
     * are all below 256 (every id Cognito issues) is hashed as those characters, one byte each: a
     * 36-character id takes five blocks, read straight from the string with no copy. Any other id
     * is hashed as its UTF-16 code units, four to a block, under a key with one bit flipped, so
     * that the two kinds of input never meet and no two ids share an input.
     */
    static long hash(String id) {
        int n = id.length();
        Sip sip = new Sip(0);
        int i = 0;
        int wide = 0;
        for (; i + 8 <= n; i += 8) {
            long m = 0;
            for (int k = 7; k >= 0; k--) {
                char c = id.charAt(i + k);
                wide |= c;
                m = m << 8 | c & 0xff;
            }
            sip.block(m);
        }
        long last = (long) n << 56;
        for (int shift = 0; i < n; i++, shift += 8) {
            char c = id.charAt(i);
            wide |= c;
            last |= (long) (c & 0xff) << shift;
        }
        return wide < 0x100 ? sip.finish(last) : hashUtf16(id);
    }

    /**
     * {@link #hash} of the id whose characters are these bytes, all ASCII (below 0x80, which the
     * caller checked): the same value as the hash of that string, read eight bytes a load.
     *
     * @param b     the bytes
     * @param start where the id starts
     * @param n     its length
     * @return the id's key
     */
    static long hashAscii(byte[] b, int start, int n) {
        Sip sip = new Sip(0);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            sip.block((long) LONGS.get(b, start + i));
        }
        long last = (long) n << 56;
        for (int shift = 0; i < n; i++, shift += 8) {
            last |= (long) (b[start + i] & 0xff) << shift;
        }
        return sip.finish(last);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The rare path of {@link #hash}: code units four to a block, the length in the last block's top bits. */
    private static long hashUtf16(String id) {
        Sip sip = new Sip(0xee);
        int n = id.length();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            sip.block(id.charAt(i) | (long) id.charAt(i + 1) << 16
                    | (long) id.charAt(i + 2) << 32 | (long) id.charAt(i + 3) << 48);
        }
        long last = (long) (n & 0xffff) << 48;
        for (int shift = 0; i < n; i++, shift += 16) {
            last |= (long) id.charAt(i) << shift;
        }
        return sip.finish(last);
    }

    /** SipHash-1-3's state under the denylist's key; short-lived enough that the JIT keeps it in registers. */
    private static final class Sip {
        private long v0 = K0 ^ 0x736f6d6570736575L;
        private long v1;
        private long v2 = K0 ^ 0x6c7967656e657261L;
        private long v3 = K1 ^ 0x7465646279746573L;

        /** @param tweak flipped into the key's second half: another input domain, as SipHash-128 marks its mode */
        Sip(long tweak) {
            v1 = K1 ^ 0x646f72616e646f6dL ^ tweak;
        }

        void block(long m) {
            v3 ^= m;
            round();
            v0 ^= m;
        }

        long finish(long last) {
            block(last);
            v2 ^= 0xff;
            round();
            round();
            round();
            return v0 ^ v1 ^ v2 ^ v3;
        }

        private void round() {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
    }
}
