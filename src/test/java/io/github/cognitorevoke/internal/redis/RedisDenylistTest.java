package io.github.cognitorevoke.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.internal.Denylist;
import io.github.cognitorevoke.support.RedisProcess;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Two tier nodes (each its own Lettuce client and Caffeine cache) sharing one real redis-server. */
class RedisDenylistTest extends RedisTierTest {

    @Test
    void addOnA_isContainedOnB_andConfirmed() throws Exception {
        RedisDenylist a = node();
        RedisDenylist b = node();
        assertThat(a.inSync()).isTrue();
        assertThat(b.inSync()).isTrue();

        CompletableFuture<Void> write = a.add("jti-1", Instant.now().plusSeconds(60));

        assertThat(a.contains("jti-1")).isTrue();
        confirmed(write);
        await().atMost(RedisProcess.patience()).until(() -> b.contains("jti-1"));
        assertThat(b.contains("jti-2")).isFalse();
    }

    @Test
    void cutOffOnA_appliesOnB() throws Exception {
        RedisDenylist a = node();
        RedisDenylist b = node();
        Instant nb = Instant.ofEpochSecond(Instant.now().getEpochSecond());

        confirmed(a.cutOff("alice", nb, Instant.now().plusSeconds(60)));

        await().atMost(RedisProcess.patience()).until(() -> b.notBeforeEpochSecond("alice") == nb.getEpochSecond());
        assertThat(b.notBeforeEpochSecond("bob")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void signInEndedOnA_appliesOnB_andOnANodeStartedLater() throws Exception {
        RedisDenylist a = node();
        RedisDenylist b = node();

        confirmed(a.endSignIn("alice", 1_700_000_000L, 1_700_000_500L, Instant.now().plusSeconds(60)));

        assertThat(a.subjectMatch("alice", Long.MIN_VALUE, 1_700_000_000L)).isEqualTo(Denylist.SIGN_IN_ENDED);
        await().atMost(RedisProcess.patience())
                .until(() -> b.subjectMatch("alice", 1_700_000_100L, 1_700_000_000L) == Denylist.SIGN_IN_ENDED);
        assertThat(b.subjectMatch("alice", 1_700_000_100L, 1_700_000_001L)).as("another sign-in").isEqualTo(Denylist.NO_MATCH);
        assertThat(b.subjectMatch("bob", 1_700_000_100L, 1_700_000_000L)).as("another user").isEqualTo(Denylist.NO_MATCH);
        assertThat(b.subjectMatch("alice", 1_700_000_501L, 1_700_000_000L)).as("issued after the bound")
                .isEqualTo(Denylist.NO_MATCH);
        assertThat(b.contains("sign-in 1700000000 1700000500 alice")).as("not an id on the request path").isFalse();
        RedisDenylist c = node();
        assertThat(c.subjectMatch("alice", Long.MIN_VALUE, 1_700_000_000L)).as("loaded by the first sync")
                .isEqualTo(Denylist.SIGN_IN_ENDED);
    }

    @Test
    void shorterEnd_neverShortensAnEntry_inRedisOrOnAnyNode() throws Exception {
        RedisDenylist a = node();
        RedisDenylist b = node();
        long longEnd = Instant.now().plusSeconds(600).toEpochMilli();
        confirmed(a.add("jti-1", Instant.ofEpochMilli(longEnd)));
        long nb = Instant.now().getEpochSecond();
        long cutUntil = Instant.now().plusSeconds(600).toEpochMilli();
        confirmed(a.cutOff("alice", Instant.ofEpochSecond(nb), Instant.ofEpochMilli(cutUntil)));

        confirmed(b.add("jti-1", Instant.now().plusSeconds(5)));
        confirmed(b.cutOff("alice", Instant.ofEpochSecond(nb - 100), Instant.now().plusSeconds(5)));

        assertThat(r.get(prefix + "j:jti-1")).isEqualTo(Long.toString(longEnd));
        assertThat(r.pttl(prefix + "j:jti-1")).isGreaterThan(Duration.ofSeconds(590).toMillis());
        assertThat(r.zscore(prefix + "ids", "jti-1")).isEqualTo(longEnd);
        assertThat(r.get(prefix + "s:alice")).isEqualTo(nb + " " + cutUntil);
        assertThat(r.zscore(prefix + "subjects", "alice")).isEqualTo(cutUntil);
        assertThat(r.pttl(prefix + "s:alice")).isGreaterThan(Duration.ofSeconds(590).toMillis());
        await().atMost(RedisProcess.patience()).until(() -> b.notBeforeEpochSecond("alice") == nb);
    }

    @Test
    void laterCutOffFields_mergeFieldByField() throws Exception {
        RedisDenylist a = node();
        long nb = Instant.now().getEpochSecond();
        long shortUntil = Instant.now().plusSeconds(100).toEpochMilli();
        long longUntil = Instant.now().plusSeconds(600).toEpochMilli();
        confirmed(a.cutOff("alice", Instant.ofEpochSecond(nb), Instant.ofEpochMilli(shortUntil)));

        // An older cut-off that must stay longer: the later notBefore and the later until both stand.
        confirmed(a.cutOff("alice", Instant.ofEpochSecond(nb - 10), Instant.ofEpochMilli(longUntil)));

        assertThat(r.get(prefix + "s:alice")).isEqualTo(nb + " " + longUntil);
        assertThat(r.pttl(prefix + "s:alice")).isGreaterThan(Duration.ofSeconds(590).toMillis());
    }

    @Test
    void everyKeyWritten_carriesAnExpiry() throws Exception {
        RedisDenylist a = node();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            writes.add(a.add("jti-" + i, Instant.now().plusSeconds(60 + i)));
            writes.add(a.cutOff("sub-" + i, Instant.now(), Instant.now().plusSeconds(60 + i)));
        }
        for (CompletableFuture<Void> w : writes) {
            confirmed(w);
        }

        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());

        assertThat(keys).hasSize(42).contains(prefix + "ids", prefix + "subjects");
        assertThat(keys).allSatisfy(k -> assertThat(r.pttl(k)).as(k).isPositive());
    }

    @Test
    void entryEnd_passes_keyGoneFromRedis_andFromEveryNode() throws Exception {
        RedisDenylist a = node();
        RedisDenylist b = node();
        confirmed(a.add("jti-short", Instant.now().plusMillis(700)));
        await().atMost(RedisProcess.patience()).until(() -> b.contains("jti-short"));

        await().atMost(RedisProcess.patience()).until(() -> r.exists(prefix + "j:jti-short") == 0);
        await().atMost(RedisProcess.patience()).until(() -> !a.contains("jti-short") && !b.contains("jti-short"));
    }

    @Test
    void entriesWrittenBeforeANodeStarts_areThereWhenItsStartReturns() throws Exception {
        RedisDenylist a = node();
        long nb = Instant.now().getEpochSecond();
        // More than one index page; written a thousand at a time, as logouts come, not all at once.
        int entries = DenylistSync.PAGE_SIZE + 2_000;
        for (int page = 0; page < entries / 1000; page++) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = page * 1000; i < (page + 1) * 1000; i++) {
                writes.add(a.add("jti-" + i, Instant.now().plusSeconds(60)));
            }
            for (CompletableFuture<Void> w : writes) {
                confirmed(w);
            }
        }
        confirmed(a.cutOff("alice", Instant.ofEpochSecond(nb), Instant.now().plusSeconds(60)));

        RedisDenylist b = node();

        assertThat(b.inSync()).isTrue();
        assertThat(b.size()).isEqualTo(entries);
        assertThat(b.contains("jti-0")).isTrue();
        assertThat(b.contains("jti-" + (entries - 1))).isTrue();
        assertThat(b.notBeforeEpochSecond("alice")).isEqualTo(nb);
        assertThat(b.describe()).isEqualTo("denylist shared through " + redis.uri() + ", in sync");
    }

    @Test
    void keysOfOtherPrefixes_areNeitherLoadedNorHeard() throws Exception {
        RedisDenylist a = node();
        String otherPrefix = Tiers.prefix();
        RedisDenylist other = Tiers.node(redis.uri(), otherPrefix);
        nodes.add(other);
        confirmed(a.add("jti-1", Instant.now().plusSeconds(60)));
        confirmed(other.add("jti-2", Instant.now().plusSeconds(60)));

        RedisDenylist b = node();

        assertThat(b.contains("jti-1")).isTrue();
        assertThat(b.contains("jti-2")).isFalse();
        assertThat(other.contains("jti-1")).isFalse();
    }

    @Test
    void syncTimeoutZero_startReturnsAtOnce_syncsInTheBackground_withoutAWarning() {
        try (Tiers.Captured log = new Tiers.Captured()) {
            RedisDenylist a = Tiers.node(redis.uri(), prefix, s -> s.redisSyncTimeout(Duration.ZERO));
            nodes.add(a);

            await().atMost(RedisProcess.patience()).until(a::inSync);
            assertThat(log.records).noneMatch(r -> r.getLevel() == Level.WARNING);
        }
    }

    @Test
    void storedNumbers_parsedFromBytes_anythingElseRefused() {
        byte[] b = "x 1764275073123 -42 12a".getBytes(StandardCharsets.US_ASCII);
        assertThat(DenylistSync.digits(b, 2, 15)).isEqualTo(1764275073123L);
        assertThat(DenylistSync.digits(b, 16, 19)).isEqualTo(-42);
        assertThatThrownBy(() -> DenylistSync.digits(b, 20, 23))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> DenylistSync.digits(b, 2, 2))
                .isInstanceOf(NumberFormatException.class);
        byte[] tooLong = "1234567890123456789".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> DenylistSync.digits(tooLong, 0, tooLong.length))
                .isInstanceOf(NumberFormatException.class);
    }

    @Test
    void failureText_blanksTheUriUserInfo_andThePasswordAlone() {
        Exception e = new java.util.concurrent.CompletionException(
                new IllegalStateException("at redis://app:s3cret-pw@h:6379 (password s3cret-pw)"));
        assertThat(RedisConnections.describe(e, "app:s3cret-pw"))
                .isEqualTo("IllegalStateException: at redis://***@h:6379 (password ***)");
        assertThat(RedisConnections.describe(e, null)).contains("s3cret-pw");
    }

    @Test
    void scripts_loadedWithoutTheirComments_pageReadsAtMostValueBytes() {
        assertThat(DenylistSync.PAGE_SCRIPT).doesNotContain("--");
        assertThat(DenylistSync.VALUES_SCRIPT).doesNotContain("--")
                .contains("'GETRANGE', KEYS[i], 0, " + (DenylistSync.VALUE_BYTES - 1) + ")");
        assertThat(DenylistWrites.ID_SCRIPT).startsWith("local function index(").doesNotContain("--");
    }
}
