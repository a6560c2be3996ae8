package io.github.cognitorevoke.internal.redis;

import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * The tier against someone who can write to Redis (or a Redis holding keys no node wrote): whatever
 * is under the prefix or on the channel, a node keeps writing, syncing and bounding its memory.
 */
class RedisHostileTest extends RedisTierTest {

    private RedisDenylist node(TestClock clock) {
        RedisDenylist n = RedisDenylist.start(settings(), clock, new CaffeineDenylist(clock));
        nodes.add(n);
        return n;
    }

    @Test
    void writesOverKeysOfAnotherType_replaceThem_areConfirmed_andHeardByOtherNodes() throws Exception {
        r.hset(prefix + "s:alice", "x", "y");
        r.sadd(prefix + "j:jti-1", "x");
        r.set(prefix + "ids", "x");
        r.sadd(prefix + "subjects", "x");
        RedisDenylist a = node();
        RedisDenylist b = node();
        Instant now = Instant.now();

        confirmed(a.cutOff("alice", now, now.plusSeconds(60)));
        confirmed(a.add("jti-1", now.plusSeconds(60)));

        await().until(() -> b.contains("jti-1") && b.notBeforeEpochSecond("alice") == now.getEpochSecond());
        assertThat(r.type(prefix + "s:alice")).isEqualTo("string");
        assertThat(r.type(prefix + "j:jti-1")).isEqualTo("string");
        assertThat(r.zscore(prefix + "ids", "jti-1")).isPositive();
        assertThat(r.zscore(prefix + "subjects", "alice")).isPositive();
        assertThat(a.inSync()).isTrue();
    }

    @Test
    void endsFarAhead_fromTheChannelOrASync_lastNoLongerThanTheLongestLegitimateEntry() throws Exception {
        TestClock clock = TestClock.atNow();
        long century = clock.millis() + Duration.ofDays(36_500).toMillis();
        long nb = clock.instant().getEpochSecond();
        r.set(prefix + "j:loaded", Long.toString(century));
        r.zadd(prefix + "ids", century, "loaded");
        r.set(prefix + "s:bob", nb + " " + century);
        r.zadd(prefix + "subjects", century, "bob");
        RedisDenylist b = node(clock);
        assertThat(b.contains("loaded")).isTrue();
        r.publish(prefix + "events", "j " + century + " heard");
        r.publish(prefix + "events", "s " + Long.MAX_VALUE / 1000 + " " + century + " carol");
        await().until(() -> b.contains("heard") && b.notBeforeEpochSecond("carol") != Long.MIN_VALUE);
        assertThat(b.notBeforeEpochSecond("carol")).as("a cut-off never starts after it ends")
                .isLessThanOrEqualTo(clock.instant().plus(DenylistKeys.longestEntry(settings())).getEpochSecond());

        clock.advance(DenylistKeys.longestEntry(settings()).plusSeconds(1));

        assertThat(b.contains("loaded")).isFalse();
        assertThat(b.contains("heard")).isFalse();
        assertThat(b.notBeforeEpochSecond("bob")).isEqualTo(Long.MIN_VALUE);
        assertThat(b.notBeforeEpochSecond("carol")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void longestEntry_coversAHeldFamily_andACutOff() {
        RevocationSettings s = settings();
        assertThat(DenylistKeys.longestEntry(s))
                .isGreaterThan(s.pendingDeadline().plus(s.maxTokenLifetime()).plus(s.clockSkew()).plusSeconds(1));
    }

    @Test
    void valuesPlantedFarAhead_doNotSwallowALogout_orItsMessage() throws Exception {
        r.set(prefix + "j:jti-2", "99999999999999999999");
        r.set(prefix + "s:dave", "99999999999 99999999999999999999");
        RedisDenylist a = node();
        RedisDenylist b = node();
        Instant now = Instant.now();

        confirmed(a.add("jti-2", now.plusSeconds(60)));
        confirmed(a.cutOff("dave", now, now.plusSeconds(60)));

        await().until(() -> b.contains("jti-2") && b.notBeforeEpochSecond("dave") == now.getEpochSecond());
        assertThat(r.pttl(prefix + "j:jti-2")).isBetween(1L, 60_000L);
        assertThat(r.pttl(prefix + "s:dave")).isBetween(1L, 60_000L);
    }

    @Test
    void namesLongerThanAnyCognitoId_fromTheChannelOrASync_areIgnored() throws Exception {
        String huge = "x".repeat(DenylistSync.MAX_NAME + 1);
        long end = Instant.now().plusSeconds(60).toEpochMilli();
        r.set(prefix + "s:" + huge, "1 " + end);
        r.zadd(prefix + "subjects", end, huge);
        r.zadd(prefix + "ids", end, huge);
        RedisDenylist b = node();
        r.publish(prefix + "events", "j " + end + " " + huge);
        r.publish(prefix + "events", "s 1 " + end + " " + huge);
        r.publish(prefix + "events", "j " + end + " after");
        await().until(() -> b.contains("after"));

        assertThat(b.contains(huge)).isFalse();
        assertThat(b.notBeforeEpochSecond(huge)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void hugeValuesAndIndexMembersUnderThePrefix_areNotSentToASyncingNode() throws Exception {
        String megabytes = "9".repeat(4 << 20);
        long end = Instant.now().plusSeconds(60).toEpochMilli();
        r.set(prefix + "s:big-value", "1 " + megabytes);
        r.zadd(prefix + "subjects", end, "big-value");
        r.zadd(prefix + "ids", end, megabytes);
        r.zadd(prefix + "subjects", end, megabytes);
        r.set(prefix + "s:" + megabytes, "1 " + end);
        r.zadd(prefix + "ids", end, "small");
        long before = sentByRedis();

        RedisDenylist b = node();

        assertThat(b.inSync()).isTrue();
        assertThat(b.contains("small")).isTrue();
        assertThat(b.size()).isEqualTo(1);
        assertThat(sentByRedis() - before).as("bytes Redis sent").isLessThan(1 << 20);
    }

    @Test
    void aRedisThatMayEvictKeysWithAnExpiry_isWarnedAboutOnce_atStart() {
        r.configSet("maxmemory", "512mb");
        r.configSet("maxmemory-policy", "volatile-lru");
        try (Tiers.Captured log = new Tiers.Captured()) {
            node();
            assertThat(log.messages(Level.WARNING, "maxmemory-policy")).hasSize(1)
                    .allMatch(m -> m.contains("volatile-lru") && m.contains("noeviction"));
        } finally {
            r.configSet("maxmemory-policy", "noeviction");
            r.configSet("maxmemory", "0");
        }
    }

    @Test
    void aRedisThatNeverEvicts_isNotWarnedAbout() {
        try (Tiers.Captured log = new Tiers.Captured()) {
            node();
            assertThat(log.messages(Level.WARNING, "maxmemory-policy")).isEmpty();
        }
    }

    private static long sentByRedis() {
        return r.info("stats").lines().filter(l -> l.startsWith("total_net_output_bytes:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElseThrow();
    }

    private RevocationSettings settings() {
        return Tiers.settings(redis.uri(), prefix).build();
    }
}
