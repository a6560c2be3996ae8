package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CaffeineDenylistTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private final TestClock clock = new TestClock(T0);
    private final CaffeineDenylist denylist = new CaffeineDenylist(clock);

    /**
     * Each row: the ends given to {@code add} for one id (seconds after T0, in order), then a moment
     * (seconds after T0) and whether the id is denylisted then.
     */
    static Stream<Arguments> ends() {
        return Stream.of(
                Arguments.of("one end, just before it", new long[] {60}, 59_999, true),
                Arguments.of("one end, exactly at it", new long[] {60}, 60_000, false),
                Arguments.of("one end, after it", new long[] {60}, 61_000, false),
                Arguments.of("later end kept, between the two", new long[] {10, 600}, 300_000, true),
                Arguments.of("later end kept, exactly at the later", new long[] {10, 600}, 600_000, false),
                Arguments.of("earlier end ignored, after the earlier", new long[] {600, 10}, 300_000, true),
                Arguments.of("earlier end ignored, just before the later", new long[] {600, 10}, 599_999, true),
                Arguments.of("earlier end ignored, at the later", new long[] {600, 10}, 600_000, false),
                Arguments.of("same end twice", new long[] {60, 60}, 59_999, true),
                Arguments.of("end already past, nothing added", new long[] {-5}, 0, false),
                Arguments.of("past end then a future one", new long[] {-5, 60}, 30_000, true),
                Arguments.of("future end then a past one", new long[] {60, -5}, 30_000, true),
                Arguments.of("end in a year", new long[] {365L * 86_400}, 364L * 86_400_000, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ends")
    void contains_atMoment_followsLatestEndGiven(String row, long[] endsInSeconds, long atMillis, boolean expected) {
        for (long end : endsInSeconds) {
            denylist.add("jti-1", T0.plusSeconds(end));
        }
        clock.advance(Duration.ofMillis(atMillis));

        assertThat(denylist.contains("jti-1")).as(row).isEqualTo(expected);
        // Another id is never affected by this one.
        assertThat(denylist.contains("jti-2")).as(row + ": another id").isFalse();
    }

    @Test
    void add_laterEndAfterClockMoved_extendsFromThen() {
        denylist.add("jti-1", T0.plusSeconds(60));
        clock.advance(Duration.ofSeconds(50));
        denylist.add("jti-1", T0.plusSeconds(120));
        clock.advance(Duration.ofSeconds(69));
        assertThat(denylist.contains("jti-1")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(denylist.contains("jti-1")).isFalse();
    }

    @Test
    void contains_withIdsThatDifferOnlyInLengthOrOneChar_findsOnlyTheAddedOne() {
        denylist.add("abc", T0.plusSeconds(60));
        denylist.add("abcdefgh", T0.plusSeconds(60));
        assertThat(denylist.contains("abc")).isTrue();
        assertThat(denylist.contains("abcdefgh")).isTrue();
        assertThat(denylist.contains("ab")).isFalse();
        assertThat(denylist.contains("abc\0")).isFalse();
        assertThat(denylist.contains("abcd")).isFalse();
        assertThat(denylist.contains("abcdefg")).isFalse();
        assertThat(denylist.contains("abcdefgi")).isFalse();
        assertThat(denylist.contains("abcdefgh\0")).isFalse();
        assertThat(denylist.contains("")).isFalse();
    }

    @Test
    void containsEither_answersAsTwoContainsDo() {
        denylist.add("revoked-jti", clock.instant().plusSeconds(60));
        denylist.add("revoked-family", clock.instant().plusSeconds(120));

        assertThat(denylist.containsEither("revoked-jti", null)).isTrue();
        assertThat(denylist.containsEither(null, "revoked-family")).isTrue();
        assertThat(denylist.containsEither("live-jti", "revoked-family")).isTrue();
        assertThat(denylist.containsEither("revoked-jti", "live-family")).isTrue();
        assertThat(denylist.containsEither("live-jti", "live-family")).isFalse();
        assertThat(denylist.containsEither(null, null)).isFalse();
        // The same ids swapped: an id is denylisted whichever claim carries it.
        assertThat(denylist.containsEither("revoked-family", "revoked-jti")).isTrue();

        clock.advance(Duration.ofSeconds(61));
        assertThat(denylist.containsEither("revoked-jti", "live-family")).isFalse();
        assertThat(denylist.containsEither("revoked-jti", "revoked-family")).isTrue();
    }

    @Test
    void ids_beyondAscii_keepTheirOwnEntries() {
        denylist.add("jti-\u0141", clock.instant().plusSeconds(60));
        denylist.cutOff("user-\u00e9", clock.instant(), clock.instant().plusSeconds(60));

        assertThat(denylist.contains("jti-\u0141")).isTrue();
        // Neither the low byte of the character nor the Latin-1 encoder's '?' finds the entry.
        assertThat(denylist.contains("jti-A")).isFalse();
        assertThat(denylist.contains("jti-?")).isFalse();
        // Unpaired surrogates are code units like any other: each keeps its own entry.
        denylist.add("jti-\ud800", clock.instant().plusSeconds(60));
        assertThat(denylist.contains("jti-\ud800")).isTrue();
        assertThat(denylist.contains("jti-\udc00")).isFalse();
        assertThat(denylist.contains("jti-\ufffd")).isFalse();
        // A Latin-1 id and a wider one with the same bytes are different inputs.
        denylist.add("\u0141\u0000", clock.instant().plusSeconds(60));
        assertThat(denylist.contains("A\u0001\u0000\u0000")).isFalse();
        assertThat(denylist.notBeforeEpochSecond("user-\u00e9")).isEqualTo(clock.instant().getEpochSecond());
        assertThat(denylist.notBeforeEpochSecond("user-e")).isEqualTo(Long.MIN_VALUE);
        assertThat(denylist.notBeforeEpochSecond("user-?")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void hash_ofDistinctIds_differs() {
        List<Long> hashes = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            hashes.add(CaffeineDenylist.hash("jti-" + i));
        }
        assertThat(hashes).doesNotHaveDuplicates();
        assertThat(CaffeineDenylist.hash("jti-1")).isEqualTo(CaffeineDenylist.hash(new String("jti-1")));
    }

    @Test
    void manyEntries_allPresentUntilTheirEnds_thenAllGone() {
        // No size bound: an evicted entry would readmit a revoked token.
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            denylist.add("jti-" + i, T0.plusSeconds(3600 + i % 2));
        }
        assertThat(denylist.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            if (!denylist.contains("jti-" + i)) {
                throw new AssertionError("jti-" + i + " missing before its end");
            }
        }
        assertThat(denylist.contains("jti-" + n)).isFalse();

        clock.advance(Duration.ofSeconds(3600));
        assertThat(denylist.contains("jti-0")).isFalse();
        assertThat(denylist.contains("jti-1")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(denylist.contains("jti-1")).isFalse();
        assertThat(denylist.size()).isZero();
    }

    @Test
    void contains_acrossFilterRebuildsWhileOlderEntriesExpire_findsEveryLiveIdAndNoEndedOne() {
        // Waves of ids, each living two minutes, a minute apart: rebuilds happen with ended entries in the table.
        for (int wave = 0; wave < 6; wave++) {
            for (int i = 0; i < 20_000; i++) {
                denylist.add("w" + wave + "-" + i, clock.instant().plusSeconds(120));
            }
            for (int w = Math.max(0, wave - 1); w <= wave; w++) {
                for (int i = 0; i < 20_000; i++) {
                    if (!denylist.contains("w" + w + "-" + i)) {
                        throw new AssertionError("w" + w + "-" + i + " missing before its end");
                    }
                }
            }
            clock.advance(Duration.ofSeconds(60));
        }
        assertThat(denylist.contains("w0-0")).isFalse();
        assertThat(denylist.contains("w5-19999")).isTrue();
    }

    @Test
    void contains_onAnotherThread_seesEveryAddOnceItReturned() throws Exception {
        int n = 60_000;
        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger(-1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reader = pool.submit(() -> {
                int checked = 0;
                int last = -1;
                while (last < n - 1) {
                    last = published.get();
                    for (int i = checked; i <= last; i++) {
                        if (!denylist.contains("c-" + i)) {
                            throw new AssertionError("c-" + i + " not seen after its add returned");
                        }
                    }
                    checked = last + 1;
                }
                return checked;
            });
            for (int i = 0; i < n; i++) {
                denylist.add("c-" + i, T0.plusSeconds(3600));
                published.set(i);
            }
            assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void add_concurrentEndsForOneId_keepsTheLatest() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int offset = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int s = 1; s <= 1000; s++) {
                        // Writer 3 eventually gives the latest end: 1000 * 4 + 3 seconds.
                        denylist.add("origin", T0.plusSeconds(s * writers + offset));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        clock.advance(Duration.ofSeconds(4002));
        assertThat(denylist.contains("origin")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(denylist.contains("origin")).isFalse();
    }

    @Test
    void cutOff_keepsLatestNotBeforeAndLaterEnd_andExpires() {
        denylist.cutOff("sub-1", Instant.ofEpochSecond(1000), T0.plusSeconds(100));
        denylist.cutOff("sub-1", Instant.ofEpochSecond(900), T0.plusSeconds(50));
        assertThat(denylist.notBeforeEpochSecond("sub-1")).isEqualTo(1000);
        assertThat(denylist.notBeforeEpochSecond("sub-2")).isEqualTo(Long.MIN_VALUE);
        clock.advance(Duration.ofSeconds(99));
        assertThat(denylist.notBeforeEpochSecond("sub-1")).isEqualTo(1000);
        clock.advance(Duration.ofSeconds(1));
        assertThat(denylist.notBeforeEpochSecond("sub-1")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void cutOff_withLaterNotBefore_replacesIt() {
        denylist.cutOff("sub-1", Instant.ofEpochSecond(900), T0.plusSeconds(100));
        denylist.cutOff("sub-1", Instant.ofEpochSecond(1000), T0.plusSeconds(50));
        assertThat(denylist.notBeforeEpochSecond("sub-1")).isEqualTo(1000);
        clock.advance(Duration.ofSeconds(99));
        assertThat(denylist.notBeforeEpochSecond("sub-1")).isEqualTo(1000);
    }

    @Test
    void cutOffs_acrossSubjectFilterRebuilds_everyOneFound_andTheTokenIdsLookupAgrees() {
        int subjects = 3 * IdFilter.MIN_CAPACITY; // the subject filter is rebuilt on the way
        for (int i = 0; i < subjects; i++) {
            denylist.cutOff("sub-" + i, Instant.ofEpochSecond(1000 + i), T0.plusSeconds(100));
        }
        for (int i = 0; i < subjects; i++) {
            assertThat(denylist.notBeforeEpochSecond("sub-" + i)).as("sub-%d", i).isEqualTo(1000 + i);
            assertThat(denylist.revoked(new TokenIds(null, null, "sub-" + i, 999 + i))).isEqualTo(Denylist.SIGNED_OUT);
            assertThat(denylist.revoked(new TokenIds(null, null, "sub-" + i, 1000 + i))).isZero();
        }
        assertThat(denylist.notBeforeEpochSecond("sub-x")).isEqualTo(Long.MIN_VALUE);
        assertThat(denylist.revoked(new TokenIds("sub-1", "sub-1", null, 0))).isZero();
        assertThat(denylist.revoked(new TokenIds(null, null, "sub-1", Long.MIN_VALUE))).as("no iat").isZero();
    }

    @Test
    void revoked_ofTokenIds_answersAsContainsAndTheCutOffDo() {
        denylist.add("jti-1", T0.plusSeconds(60));
        denylist.add("origin-\u0142", T0.plusSeconds(60));
        denylist.cutOff("sub-1", Instant.ofEpochSecond(1000), T0.plusSeconds(60));
        assertThat(denylist.revoked(new TokenIds("jti-1", null, null, 0))).isEqualTo(Denylist.JTI);
        assertThat(denylist.revoked(new TokenIds(null, "jti-1", null, 0))).isEqualTo(Denylist.ORIGIN_JTI);
        assertThat(denylist.revoked(new TokenIds("x", "origin-\u0142", "jti-1", 0))).isEqualTo(Denylist.ORIGIN_JTI);
        assertThat(denylist.revoked(new TokenIds("jti-1", "origin-\u0142", "sub-1", 999)))
                .isEqualTo(Denylist.JTI | Denylist.ORIGIN_JTI | Denylist.SIGNED_OUT);
        assertThat(denylist.revoked(new TokenIds("x", "origin-l", "jti-1", 0))).isZero();
        assertThat(denylist.revoked(new TokenIds(null, null, null, 0))).isZero();
        // The default (what another implementation answers) agrees.
        Denylist plain = new Denylist() {
            public java.util.concurrent.CompletableFuture<Void> add(String id, Instant until) {
                throw new UnsupportedOperationException();
            }

            public boolean contains(String id) {
                return denylist.contains(id);
            }

            public java.util.concurrent.CompletableFuture<Void> cutOff(String subject, Instant notBefore, Instant until) {
                throw new UnsupportedOperationException();
            }

            public long notBeforeEpochSecond(String subject) {
                return denylist.notBeforeEpochSecond(subject);
            }

            public int subjectMatch(String subject, long iat, long authTime) {
                return denylist.subjectMatch(subject, iat, authTime);
            }
        };
        for (TokenIds t : List.of(new TokenIds("jti-1", null, null, 0), new TokenIds("x", "origin-\u0142", "sub-1", 1000),
                new TokenIds("a", "b", "sub-1", 999), new TokenIds(null, null, "sub-1", Long.MIN_VALUE))) {
            assertThat(plain.revoked(t)).as(t.toString()).isEqualTo(denylist.revoked(t));
        }
    }

    @Test
    void hashAscii_ofAnIdsBytes_isTheHashOfItsString() {
        java.util.Random random = new java.util.Random(7);
        for (int n = 0; n <= 80; n++) {
            byte[] b = new byte[n + 5];
            random.nextBytes(b);
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (b[k] & 0x7f);
            }
            String id = new String(b, 3, n, java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(CaffeineDenylist.hashAscii(b, 3, n)).as("length %d", n).isEqualTo(CaffeineDenylist.hash(id));
        }
    }

    // ------------------------------------------------------------------ sign-ins

    @Test
    void signIns_withoutACutOff_acrossSubjectFilterRebuilds_areFoundByTheTokenIdsLookup() {
        int subjects = 3 * IdFilter.MIN_CAPACITY; // the subject filter is rebuilt on the way
        for (int i = 0; i < subjects; i++) {
            denylist.endSignIn("sub-" + i, 1000 + i, 9000, T0.plusSeconds(60));
        }
        for (int i = 0; i < subjects; i++) {
            assertThat(denylist.revoked(new TokenIds("j", "o", "sub-" + i, 2000, 1000 + i)))
                    .as("sub-%d", i).isEqualTo(Denylist.SIGN_IN_ENDED);
            assertThat(denylist.revoked(new TokenIds("j", "o", "sub-" + i, 2000, 999 + i))).as("another sign-in").isZero();
        }
        assertThat(denylist.revoked(new TokenIds("j", "o", "sub-x", 2000, 1000))).isZero();
    }

    @Test
    void signIn_endedUntilItsEnd_onlyForItsSubjectAndAuthTime() {
        denylist.endSignIn("alice", 1000, 9000, T0.plusSeconds(60));

        assertThat(denylist.subjectMatch("alice", 2000, 1000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        assertThat(denylist.subjectMatch("alice", 9000, 1000)).as("issued at the bound").isEqualTo(Denylist.SIGN_IN_ENDED);
        assertThat(denylist.subjectMatch("alice", 9001, 1000)).as("issued after the bound: a new issue")
                .isEqualTo(Denylist.NO_MATCH);
        assertThat(denylist.subjectMatch("alice", 2000, 1001)).as("another sign-in").isEqualTo(Denylist.NO_MATCH);
        assertThat(denylist.subjectMatch("alice", 2000, Long.MIN_VALUE)).as("no auth_time").isEqualTo(Denylist.NO_MATCH);
        assertThat(denylist.subjectMatch("bob", 2000, 1000)).as("another user").isEqualTo(Denylist.NO_MATCH);
        assertThat(denylist.notBeforeEpochSecond("alice")).as("no cut-off").isEqualTo(Long.MIN_VALUE);
        assertThat(denylist.size()).as("not a token id").isZero();

        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(denylist.subjectMatch("alice", 2000, 1000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        clock.advance(Duration.ofMillis(1));
        assertThat(denylist.subjectMatch("alice", 2000, 1000)).isEqualTo(Denylist.NO_MATCH);
    }

    @Test
    void signIns_keepTheLaterEnd_eachOnItsOwn_besideACutOff() {
        denylist.endSignIn("alice", 1000, 9000, T0.plusSeconds(600));
        denylist.endSignIn("alice", 1000, 9000, T0.plusSeconds(10));
        denylist.endSignIn("alice", 3000, 9000, T0.plusSeconds(30));
        denylist.cutOff("alice", Instant.ofEpochSecond(500), T0.plusSeconds(20));

        assertThat(denylist.subjectMatch("alice", 400, 3000)).as("issued before the cut-off").isEqualTo(Denylist.SIGNED_OUT);
        assertThat(denylist.subjectMatch("alice", 4000, 3000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(denylist.notBeforeEpochSecond("alice")).as("the subject's entry lives as long as its latest part")
                .isEqualTo(500);
        assertThat(denylist.subjectMatch("alice", 4000, 3000)).isEqualTo(Denylist.NO_MATCH);
        assertThat(denylist.subjectMatch("alice", 4000, 1000)).as("the earlier end was ignored").isEqualTo(Denylist.SIGN_IN_ENDED);
        denylist.endSignIn("alice", 5000, 9000, T0.plusSeconds(700)); // a write drops what has ended
        assertThat(denylist.subjectMatch("alice", 4000, 1000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        clock.advance(Duration.ofSeconds(570));
        assertThat(denylist.subjectMatch("alice", 4000, 1000)).isEqualTo(Denylist.NO_MATCH);
        assertThat(denylist.subjectMatch("alice", 4000, 5000)).isEqualTo(Denylist.SIGN_IN_ENDED);
    }

    @Test
    void signIns_theFirstEndingBeforeTheOthers_andACutOffAlone_endNoOtherSignIn() {
        denylist.cutOff("bob", Instant.ofEpochSecond(500), T0.plusSeconds(60));
        assertThat(denylist.subjectMatch("bob", 600, 0)).as("a cut-off alone ends no sign-in, auth_time 0 included")
                .isEqualTo(Denylist.NO_MATCH);

        denylist.endSignIn("alice", 1000, 9000, T0.plusSeconds(10));
        denylist.endSignIn("alice", 2000, 9000, T0.plusSeconds(60));
        denylist.endSignIn("alice", 3000, 9000, T0.plusSeconds(90));
        clock.advance(Duration.ofSeconds(10));
        denylist.endSignIn("alice", 4000, 9000, T0.plusSeconds(120)); // drops the first, which has ended

        assertThat(denylist.subjectMatch("alice", 5000, 1000)).isEqualTo(Denylist.NO_MATCH);
        assertThat(denylist.subjectMatch("alice", 5000, 2000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        assertThat(denylist.subjectMatch("alice", 5000, 3000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        assertThat(denylist.subjectMatch("alice", 5000, 4000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        clock.advance(Duration.ofSeconds(50));
        assertThat(denylist.subjectMatch("alice", 5000, 2000)).isEqualTo(Denylist.NO_MATCH);
        assertThat(denylist.subjectMatch("alice", 5000, 3000)).isEqualTo(Denylist.SIGN_IN_ENDED);
    }

    @Test
    void signIn_aLaterBoundIsKept_anEarlierOneChangesNothing() {
        denylist.endSignIn("alice", 1000, 5000, T0.plusSeconds(60));
        denylist.endSignIn("alice", 1000, 3000, T0.plusSeconds(600));
        assertThat(denylist.subjectMatch("alice", 5000, 1000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        denylist.endSignIn("alice", 1000, 7000, T0.plusSeconds(30));
        clock.advance(Duration.ofSeconds(300));
        assertThat(denylist.subjectMatch("alice", 7000, 1000)).as("the later bound, the later end")
                .isEqualTo(Denylist.SIGN_IN_ENDED);
    }

    @Test
    void anIdOfTheSignInForm_asTheSharedTierCarriesIt_endsTheSignIn_andMalformedOnesAreIds() {
        denylist.add(SignIn.id("alice", 1000, 9000), T0.plusSeconds(60));
        denylist.add("sign-in x 9000 alice", T0.plusSeconds(60));
        denylist.add("sign-in 1000 alice", T0.plusSeconds(60));

        assertThat(denylist.subjectMatch("alice", 2000, 1000)).isEqualTo(Denylist.SIGN_IN_ENDED);
        assertThat(denylist.contains(SignIn.id("alice", 1000, 9000))).as("not kept as an id").isFalse();
        assertThat(denylist.contains("sign-in x 9000 alice")).isTrue();
        assertThat(denylist.contains("sign-in 1000 alice")).isTrue();
    }
}
