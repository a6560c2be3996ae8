package io.github.cognitorevoke.internal.redis;

import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.support.TestClock;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sorted sets {@code P ids} and {@code P subjects} that the sync reads instead of scanning every key. */
class RedisIndexTest extends RedisTierTest {

    private RedisDenylist node(TestClock clock) {
        RedisDenylist n = RedisDenylist.start(Tiers.settings(redis.uri(), prefix).build(), clock,
                new CaffeineDenylist(clock));
        nodes.add(n);
        return n;
    }

    @Test
    void writes_indexLiveEntries_andLaterWritesPruneThoseThatEndedClockSkewAgo() throws Exception {
        TestClock clock = TestClock.atNow();
        Duration skew = Tiers.settings(redis.uri(), prefix).build().clockSkew();
        RedisDenylist a = node(clock);
        confirmed(a.add("jti-short", clock.instant().plusSeconds(5)));
        confirmed(a.add("jti-long", clock.instant().plusSeconds(600)));
        confirmed(a.cutOff("alice", clock.instant(), clock.instant().plusSeconds(5)));
        assertThat(r.zrange(prefix + "ids", 0, -1)).containsExactly("jti-short", "jti-long");

        clock.advance(Duration.ofSeconds(6));
        confirmed(a.add("jti-new", clock.instant().plusSeconds(60)));
        assertThat(r.zrange(prefix + "ids", 0, -1)).as("ended less than clockSkew ago")
                .containsExactlyInAnyOrder("jti-short", "jti-long", "jti-new");

        clock.advance(skew);
        confirmed(a.add("jti-newer", clock.instant().plusSeconds(60)));
        confirmed(a.cutOff("bob", clock.instant(), clock.instant().plusSeconds(60)));

        assertThat(r.zrange(prefix + "ids", 0, -1)).containsExactlyInAnyOrder("jti-long", "jti-new", "jti-newer");
        assertThat(r.zscore(prefix + "ids", "jti-newer")).isEqualTo(clock.instant().plusSeconds(60).toEpochMilli());
        assertThat(r.zrange(prefix + "subjects", 0, -1)).containsExactly("bob");
    }

    @Test
    void aWriterAheadByLessThanClockSkew_prunesNoEntryStillLiveOnASlowerNode_aNodeStartingLaterLoadsIt()
            throws Exception {
        TestClock slow = TestClock.atNow();
        TestClock fast = new TestClock(slow.instant().plusSeconds(50)); // the default clockSkew is 60 s
        RedisDenylist s = node(slow);
        RedisDenylist f = node(fast);
        long nb = slow.instant().getEpochSecond();
        confirmed(s.add("jti-slow", slow.instant().plusSeconds(20)));
        confirmed(s.cutOff("alice", Instant.ofEpochSecond(nb), slow.instant().plusSeconds(20)));

        confirmed(f.add("jti-fast", fast.instant().plusSeconds(60)));
        confirmed(f.cutOff("bob", fast.instant(), fast.instant().plusSeconds(60)));
        RedisDenylist late = node(slow);

        assertThat(late.inSync()).isTrue();
        assertThat(late.contains("jti-slow")).as("live on the slow clock").isTrue();
        assertThat(late.notBeforeEpochSecond("alice")).as("live on the slow clock").isEqualTo(nb);
        assertThat(late.contains("jti-fast")).isTrue();
    }

    @Test
    void indexes_expireNoEarlierThanTheirLatestEntry_evenAfterAShorterWrite() throws Exception {
        RedisDenylist a = node();
        confirmed(a.add("jti-long", Instant.now().plusSeconds(600)));
        confirmed(a.cutOff("alice", Instant.now(), Instant.now().plusSeconds(600)));
        confirmed(a.add("jti-short", Instant.now().plusSeconds(5)));
        confirmed(a.cutOff("bob", Instant.now(), Instant.now().plusSeconds(5)));

        assertThat(r.pttl(prefix + "ids")).isBetween(590_000L, 600_000L);
        assertThat(r.pttl(prefix + "subjects")).isBetween(590_000L, 600_000L);
    }

    @Test
    void aStartingNode_loadsWhatTheIndexesHold_notKeysOutsideThem() throws Exception {
        RedisDenylist a = node();
        long nb = Instant.now().getEpochSecond();
        confirmed(a.add("jti-1", Instant.now().plusSeconds(60)));
        confirmed(a.cutOff("alice", Instant.ofEpochSecond(nb), Instant.now().plusSeconds(60)));
        r.set(prefix + "j:unindexed", Long.toString(Instant.now().plusSeconds(60).toEpochMilli()));

        RedisDenylist b = node();

        assertThat(b.inSync()).isTrue();
        assertThat(b.contains("jti-1")).isTrue();
        assertThat(b.notBeforeEpochSecond("alice")).isEqualTo(nb);
        assertThat(b.contains("unindexed")).isFalse();
    }

    /**
     * The property the sync relies on (see {@link RedisDenylist#sync()}): between two pages, an
     * insertion, a raise and the prune of ended members never make a later page skip a member that
     * was not itself raised into the ranks already read (that one's write is heard on the channel).
     */
    @Test
    void pagesInDescendingOrder_missOnlyAMemberRaisedIntoTheRanksAlreadyRead() {
        String index = prefix + "ids";
        long now = System.currentTimeMillis();
        r.zadd(index, now - 1_000, "ended");
        for (int i = 1; i <= 5; i++) {
            r.zadd(index, now + (6 - i) * 1_000L, "m" + i); // m1 highest
        }
        Set<String> read = new HashSet<>(page(index, 0, now));

        r.zadd(index, now + 9_000, "inserted");
        r.zadd(index, now + 8_000, "m5"); // raised from the lowest rank to the second
        r.zremrangebyscore(index, io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, (double) now));
        List<String> more;
        int from = 2;
        do {
            more = page(index, from, now);
            read.addAll(more);
            from += 2;
        } while (!more.isEmpty());

        assertThat(read).contains("m1", "m2", "m3", "m4").doesNotContain("ended", "m5");
    }

    @Test
    void aPage_stopsAtTheFirstEndedMember_andSaysWhetherToReadOn() {
        String index = prefix + "ids";
        long now = System.currentTimeMillis();
        r.zadd(index, now + 2_000, "live-1");
        r.zadd(index, now + 1_000, "live-2");
        r.zadd(index, now - 1_000, "ended");

        List<Object> full = pageReply(index, 0, now);
        List<Object> last = pageReply(index, 1, now);

        assertThat(full).startsWith(1L);
        assertThat(last).containsExactly(0L, "live-2", Long.toString(now + 1_000));
    }

    private List<String> page(String index, int from, long now) {
        List<Object> reply = pageReply(index, from, now);
        List<String> names = new ArrayList<>();
        for (int i = 1; i < reply.size(); i += 2) {
            names.add((String) reply.get(i));
        }
        return names;
    }

    private List<Object> pageReply(String index, int from, long now) {
        return r.eval(DenylistSync.PAGE_SCRIPT, ScriptOutputType.MULTI, new String[] {index},
                Integer.toString(from), Integer.toString(from + 1), Long.toString(now),
                Long.toString(now + 3_600_000), "1024", "");
    }
}
