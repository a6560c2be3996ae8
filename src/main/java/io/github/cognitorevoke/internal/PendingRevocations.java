package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cognito calls that have not succeeded yet, bounded and isolated so that an unauthenticated
 * caller cannot crowd out, cancel or extend anyone else's work.
 *
 * <ul>
 *   <li>Separate key spaces: RevokeToken entries are keyed by the SHA-256 of the refresh token
 *   (never the token itself), GlobalSignOut entries by {@code sub}, in separate maps.</li>
 *   <li>Two lanes: {@link Trust#VERIFIED} work came with an access token that verified (at most
 *   {@link #MAX_DIGESTS_PER_FAMILY} distinct refresh tokens per token family), everything else is
 *   {@link Trust#UNVERIFIED} and counts against a count and a byte cap. When a cap is reached a
 *   new unverified entry is refused; nothing accepted is dropped before its deadline.</li>
 *   <li>Every entry has a fixed deadline, set when it is created; a duplicate is merged into the
 *   existing entry and changes neither its deadline nor its caps.</li>
 *   <li>Each lane is ordered by next attempt and by deadline, so a sweep touches only what is due.</li>
 * </ul>
 *
 * <p>Thread-safe: every method holds the one lock; Cognito is called outside it. An entry taken
 * for a call ({@link #pollDue}, or a fresh admission) is "in flight": it stays in its map, so
 * duplicates merge into it, and leaves the lane until {@link #requeue} or {@link #finish}.
 */
final class PendingRevocations {

    /** Which Cognito call an entry repeats. */
    enum Kind { REVOKE, GLOBAL_SIGN_OUT }

    /** Whether an entry came with a verified access token. */
    enum Trust { VERIFIED, UNVERIFIED }

    /** Distinct pending refresh tokens one verified family may add to the verified lane. */
    static final int MAX_DIGESTS_PER_FAMILY = 4;
    /**
     * Bytes counted per entry besides the token's characters: the entry, its digest, map and
     * tree nodes. Measured with {@code PendingAttackTest} (used heap after GC, divided by entries: about 400),
     * rounded up so that the byte cap bounds the real heap.
     */
    static final int ENTRY_OVERHEAD = 512;

    /** The SHA-256 of a refresh token: the key, so the map never compares or hashes raw tokens. */
    record Digest(long a, long b, long c, long d) {

        static Digest of(String token) {
            try {
                ByteBuffer h = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                        .digest(token.getBytes(StandardCharsets.UTF_8)));
                return new Digest(h.getLong(), h.getLong(), h.getLong(), h.getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /** @return the 64 hex digits of the digest */
        String hex() {
            HexFormat hex = HexFormat.of();
            return hex.toHexDigits(a) + hex.toHexDigits(b) + hex.toHexDigits(c) + hex.toHexDigits(d);
        }
    }

    /** One pending call. Fields other than the finals are guarded by the store's lock. */
    static final class Entry {
        final Kind kind;
        final Object key;
        final String credential;
        final Instant deadline;
        final Instant admitted;
        final long bytes;
        final long seq;
        Trust trust;
        Instant nextAttempt;
        int attempts;
        List<String> families;
        // Whether the shared store was told about this entry (saved, or taken over from another node).
        volatile boolean shared;

        Entry(Kind kind, Object key, String credential, Instant admitted, Instant deadline, Trust trust, long seq) {
            this.kind = kind;
            this.key = key;
            this.credential = credential;
            this.admitted = admitted;
            this.deadline = deadline;
            this.trust = trust;
            this.seq = seq;
            this.bytes = bytesOf(credential);
        }

        /** @return the token this call sends; only for the call itself, never for a message */
        String credential() {
            return credential;
        }

        Instant deadline() {
            return deadline;
        }

        Kind kind() {
            return kind;
        }

        Trust trust() {
            return trust;
        }

        int attempts() {
            return attempts;
        }

        /**
         * @return the entry's name in a shared store: the refresh token's digest, or for a
         * GlobalSignOut {@code g} and the access token's (another space: hex has no {@code g})
         */
        String id() {
            return kind == Kind.REVOKE ? ((Digest) key).hex() : "g" + Digest.of(credential).hex();
        }
    }

    /** What became of an entry another node left. */
    enum Adoption {
        /** A new entry here, due now. */
        ADOPTED,
        /** The same call is pending here: it now stands for the stored one too. */
        MERGED,
        /** A GlobalSignOut of the same subject is pending here: the stored one adds nothing. */
        REDUNDANT,
        /** Unverified and a cap is reached: leave it to another node. */
        NO_ROOM
    }

    /**
     * The result of an admission.
     *
     * @param entry the entry the work now belongs to
     * @param fresh true if the caller made it and must make its first call; false if it merged
     *              into an existing entry (no call needed)
     */
    record Admission(Entry entry, boolean fresh) {
    }

    private static final Comparator<Entry> BY_NEXT_ATTEMPT =
            Comparator.comparing((Entry e) -> e.nextAttempt).thenComparingLong(e -> e.seq);
    private static final Comparator<Entry> BY_DEADLINE =
            Comparator.comparing((Entry e) -> e.deadline).thenComparingLong(e -> e.seq);

    /** Queued (not in flight) entries of one trust, in two orders. */
    private static final class Lane {
        final TreeSet<Entry> byNextAttempt = new TreeSet<>(BY_NEXT_ATTEMPT);
        final TreeSet<Entry> byDeadline = new TreeSet<>(BY_DEADLINE);

        void add(Entry e) {
            byNextAttempt.add(e);
            byDeadline.add(e);
        }

        void remove(Entry e) {
            byNextAttempt.remove(e);
            byDeadline.remove(e);
        }

        boolean contains(Entry e) {
            return byDeadline.contains(e);
        }
    }

    private final int maxUnverified;
    private final long maxUnverifiedBytes;
    private final Map<Digest, Entry> revokes = new HashMap<>();
    private final Map<String, Entry> signOuts = new HashMap<>();
    private final Map<String, Set<Digest>> familyDigests = new HashMap<>();
    private final Map<Trust, Lane> lanes = new EnumMap<>(Trust.class);
    // Every live entry in admission order: the first is the oldest (a gauge for operators).
    private final Set<Entry> byAdmission = new LinkedHashSet<>();
    private int unverifiedCount;
    private long unverifiedBytes;
    private long totalBytes;
    private long seq;

    PendingRevocations(int maxUnverified, long maxUnverifiedBytes) {
        this.maxUnverified = maxUnverified;
        this.maxUnverifiedBytes = maxUnverifiedBytes;
        lanes.put(Trust.VERIFIED, new Lane());
        lanes.put(Trust.UNVERIFIED, new Lane());
    }

    /** Bytes a token's characters take in a {@link String}: 1 each if Latin-1, else 2. */
    static long bytesOf(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) > 0xff) {
                return 2L * token.length() + ENTRY_OVERHEAD;
            }
        }
        return (long) token.length() + ENTRY_OVERHEAD;
    }

    /**
     * Admits a RevokeToken: merges it into a pending entry for the same refresh token, or makes a
     * new in-flight entry for the caller's first call.
     *
     * @param refreshToken the refresh token
     * @param digest       its SHA-256
     * @param family       the verified family ({@code origin_jti}, else {@code jti}) or null when
     *                     the refresh token came alone
     * @param now          the time of admission
     * @param deadline     the deadline of a new entry
     * @return the admission
     * @throws RevocationUnavailableException if the work is unverified, new, and a cap is reached
     */
    synchronized Admission admitRevoke(String refreshToken, Digest digest, String family, Instant now,
                                       Instant deadline) {
        Entry existing = revokes.get(digest);
        boolean verified = family != null && claimForFamily(family, digest);
        if (existing != null) {
            if (verified) {
                addFamily(existing, family);
                if (existing.trust == Trust.UNVERIFIED) {
                    retrust(existing, Trust.VERIFIED);
                }
            }
            return new Admission(existing, false);
        }
        Trust trust = verified ? Trust.VERIFIED : Trust.UNVERIFIED;
        Entry e = new Entry(Kind.REVOKE, digest, refreshToken, now, deadline, trust, seq++);
        if (trust == Trust.UNVERIFIED
                && (unverifiedCount + 1 > maxUnverified || unverifiedBytes + e.bytes > maxUnverifiedBytes)) {
            throw new RevocationUnavailableException(
                    "Too many revocations are waiting for the identity provider; try again later");
        }
        if (verified) {
            addFamily(e, family);
        }
        revokes.put(digest, e);
        byAdmission.add(e);
        count(e, 1);
        return new Admission(e, true);
    }

    /** Whether a family may put this digest into the verified lane (it already has, or has room). */
    private boolean claimForFamily(String family, Digest digest) {
        Set<Digest> digests = familyDigests.get(family);
        if (digests == null) {
            familyDigests.put(family, digests = new HashSet<>(4));
        }
        if (digests.contains(digest)) {
            return true;
        }
        if (digests.size() >= MAX_DIGESTS_PER_FAMILY) {
            return false;
        }
        digests.add(digest);
        return true;
    }

    private static void addFamily(Entry e, String family) {
        if (e.families == null) {
            e.families = new ArrayList<>(1);
        }
        if (!e.families.contains(family)) {
            e.families.add(family);
        }
    }

    /**
     * Admits a GlobalSignOut (always verified: its access token verified). A second one for the
     * same subject merges into the first, keeping its token and deadline.
     *
     * @param subject     the {@code sub}
     * @param accessToken the token that authorizes the call
     * @param now         the time of admission
     * @param deadline    when retrying becomes futile (the access token's {@code exp})
     * @return the admission
     */
    synchronized Admission admitSignOut(String subject, String accessToken, Instant now, Instant deadline) {
        Entry existing = signOuts.get(subject);
        if (existing != null) {
            return new Admission(existing, false);
        }
        Entry e = new Entry(Kind.GLOBAL_SIGN_OUT, subject, accessToken, now, deadline, Trust.VERIFIED, seq++);
        signOuts.put(subject, e);
        byAdmission.add(e);
        count(e, 1);
        return new Admission(e, true);
    }

    /**
     * Takes over an entry another node left, with its original kind, trust and deadline, due now.
     * It counts against the caps like any entry: an unverified one over a cap is not admitted.
     *
     * @param kind       the call
     * @param key        the refresh token's digest, or the subject of a GlobalSignOut
     * @param id         the entry's name in the shared store
     * @param credential the token the call sends
     * @param trust      its lane
     * @param deadline   its deadline
     * @param now        the time
     * @return what became of it
     */
    synchronized Adoption adopt(Kind kind, Object key, String id, String credential, Trust trust, Instant deadline,
                                Instant now) {
        Entry existing = kind == Kind.REVOKE ? revokes.get(key) : signOuts.get(key);
        if (existing != null) {
            if (!existing.id().equals(id)) {
                return Adoption.REDUNDANT;
            }
            existing.shared = true;
            return Adoption.MERGED;
        }
        Entry e = new Entry(kind, key, credential, now, deadline, trust, seq++);
        if (trust == Trust.UNVERIFIED
                && (unverifiedCount + 1 > maxUnverified || unverifiedBytes + e.bytes > maxUnverifiedBytes)) {
            return Adoption.NO_ROOM;
        }
        // It was tried at least once where it came from; the backoff goes on from there.
        e.attempts = 1;
        e.shared = true;
        if (kind == Kind.REVOKE) {
            revokes.put((Digest) key, e);
        } else {
            signOuts.put((String) key, e);
        }
        byAdmission.add(e);
        count(e, 1);
        e.nextAttempt = now;
        lanes.get(trust).add(e);
        return Adoption.ADOPTED;
    }

    /**
     * Marks an entry as told to the shared store.
     *
     * @param e the entry
     * @return true if it was not yet: the caller saves it
     */
    synchronized boolean share(Entry e) {
        if (e.shared) {
            return false;
        }
        e.shared = true;
        return true;
    }

    /**
     * Puts an in-flight entry back in its lane after a failed attempt.
     *
     * @param e           the entry
     * @param nextAttempt when to try again; capped at the deadline (where the entry is dropped)
     */
    synchronized void requeue(Entry e, Instant nextAttempt) {
        e.nextAttempt = nextAttempt.isBefore(e.deadline) ? nextAttempt : e.deadline;
        lanes.get(e.trust).add(e);
    }

    /**
     * Ends an entry for good (Cognito answered, or its deadline passed).
     *
     * @param e the entry, in flight or queued
     */
    synchronized void finish(Entry e) {
        if (e.nextAttempt != null) {
            lanes.get(e.trust).remove(e);
        }
        boolean removed = e.kind == Kind.REVOKE ? revokes.remove(e.key, e) : signOuts.remove(e.key, e);
        if (!removed) {
            return;
        }
        byAdmission.remove(e);
        count(e, -1);
        if (e.families != null) {
            for (String family : e.families) {
                Set<Digest> digests = familyDigests.get(family);
                if (digests != null && digests.remove((Digest) e.key) && digests.isEmpty()) {
                    familyDigests.remove(family);
                }
            }
        }
    }

    /**
     * Drops every queued entry whose deadline has come.
     *
     * @param now the time
     * @return the dropped entries
     */
    synchronized List<Entry> expire(Instant now) {
        List<Entry> dropped = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            Iterator<Entry> it = lane.byDeadline.iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.deadline.isAfter(now)) {
                    break;
                }
                dropped.add(e);
            }
        }
        dropped.forEach(this::finish);
        return dropped;
    }

    /**
     * Takes the lane's earliest entry if it is due, putting it in flight.
     *
     * @param trust the lane
     * @param now   the time
     * @return the entry, or null if none is due
     */
    synchronized Entry pollDue(Trust trust, Instant now) {
        Lane lane = lanes.get(trust);
        if (lane.byNextAttempt.isEmpty() || lane.byNextAttempt.first().nextAttempt.isAfter(now)) {
            return null;
        }
        Entry e = lane.byNextAttempt.pollFirst();
        lane.byDeadline.remove(e);
        return e;
    }

    /**
     * Takes the earliest entry whether due or not, verified lane first (a probe of Cognito).
     *
     * @return the entry, or null if nothing is queued
     */
    synchronized Entry pollEarliest() {
        for (Trust trust : Trust.values()) {
            Lane lane = lanes.get(trust);
            Entry e = lane.byNextAttempt.pollFirst();
            if (e != null) {
                lane.byDeadline.remove(e);
                return e;
            }
        }
        return null;
    }

    /**
     * Makes every queued entry of a lane due now (Cognito answered again after failing).
     *
     * @param trust the lane
     * @param now   the time
     */
    synchronized void makeDue(Trust trust, Instant now) {
        Lane lane = lanes.get(trust);
        List<Entry> all = new ArrayList<>(lane.byNextAttempt);
        lane.byNextAttempt.clear();
        for (Entry e : all) {
            e.nextAttempt = now;
            lane.byNextAttempt.add(e);
        }
    }

    private void retrust(Entry e, Trust trust) {
        Lane from = lanes.get(e.trust);
        boolean queued = from.contains(e);
        if (queued) {
            from.remove(e);
        }
        count(e, -1);
        e.trust = trust;
        count(e, 1);
        if (queued) {
            lanes.get(trust).add(e);
        }
    }

    private void count(Entry e, int sign) {
        totalBytes += sign * e.bytes;
        if (e.trust == Trust.UNVERIFIED) {
            unverifiedCount += sign;
            unverifiedBytes += sign * e.bytes;
        }
    }

    /** @return every pending entry, in flight or queued */
    synchronized int size() {
        return revokes.size() + signOuts.size();
    }

    /** @return when the oldest pending entry (in flight or queued) was admitted, or null if none is */
    synchronized Instant oldestAdmission() {
        return byAdmission.isEmpty() ? null : byAdmission.iterator().next().admitted;
    }

    /** @return the bytes counted for every pending entry */
    synchronized long bytes() {
        return totalBytes;
    }

    /** @return the unverified entries (against {@code maxPendingRevocations}) */
    synchronized int unverifiedCount() {
        return unverifiedCount;
    }

    /** @return the bytes of unverified entries (against {@code maxPendingBytes}) */
    synchronized long unverifiedBytes() {
        return unverifiedBytes;
    }

    /** @return the families with a verified pending refresh token (for tests) */
    synchronized int familyCount() {
        return familyDigests.size();
    }
}
