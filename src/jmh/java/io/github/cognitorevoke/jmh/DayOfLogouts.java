package io.github.cognitorevoke.jmh;

import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.support.TestClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.openjdk.jol.info.GraphLayout;

/**
 * The denylist after a day of logouts, under the two family rules: entries and retained heap.
 *
 * <p>{@code n} logouts, evenly spread over 24 hours on a moved clock, each with a verified access
 * token of the given validity presented at a uniformly random point of its life. Each adds the
 * token's {@code jti} (until {@code exp} + skew), its family's {@code origin_jti} and its sign-in
 * ({@code sub} + {@code auth_time}, one user per logout, the worst case; the family's end plus the
 * rotation grace period: 60 s under the {@code day} rule, where the app client is not read, none
 * under the {@code client} rule, a client that does not rotate): under the
 * {@code day} rule until logout + max(1 day, validity) + skew (the configured
 * {@code maxTokenLifetime}), under the {@code client} rule until logout + the app client's validity
 * + skew (the token's own lifetime is the validity, so the longer-of rule changes nothing). The
 * formulas are {@code Lifetimes}' (package-private there). At the end of the day the expired
 * entries are cleaned up and the rest measured with JOL and as used heap after GC.
 *
 * <p>Usage: {@code DayOfLogouts <day|client> [logouts] [validity]} (default 1,000,000 and PT1H);
 * run with {@code -Xmx1g -Xms1g -Djol.magicFieldOffset=true}.
 */
public final class DayOfLogouts {

    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofDays(1);

    private DayOfLogouts() {
    }

    /**
     * Prints the figures.
     *
     * @param args the rule, then optionally the logouts and the validity
     */
    public static void main(String[] args) {
        boolean dayRule = "day".equals(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Duration validity = args.length > 2 ? Duration.parse(args[2]) : Duration.ofHours(1);
        Instant start = Instant.parse("2026-12-01T00:00:00Z");
        TestClock clock = new TestClock(start);
        long emptyJol = GraphLayout.parseInstance(new CaffeineDenylist(clock)).totalSize();
        long before = usedAfterGc();
        CaffeineDenylist denylist = new CaffeineDenylist(clock);
        Random random = new Random(1);
        Duration family = (dayRule ? (validity.compareTo(DAY) > 0 ? validity : DAY) : validity).plus(SKEW);
        Duration grace = dayRule ? Duration.ofSeconds(60) : Duration.ZERO;
        long dayNanos = DAY.toNanos();
        for (int i = 0; i < n; i++) {
            Instant now = start.plusNanos(dayNanos / n * i);
            clock.advance(Duration.between(clock.instant(), now));
            Instant exp = now.plusMillis((long) (random.nextDouble() * validity.toMillis()));
            denylist.add(DenylistLookupBenchmark.uuid(random), exp.plus(SKEW));
            denylist.add(DenylistLookupBenchmark.uuid(random), now.plus(family));
            denylist.endSignIn(DenylistLookupBenchmark.uuid(random), now.getEpochSecond() - 600, now.getEpochSecond(),
                    now.plus(family).plus(grace));
        }
        clock.advance(Duration.between(clock.instant(), start.plus(DAY)));
        long entries = denylist.size();
        long jol = GraphLayout.parseInstance(denylist).totalSize() - emptyJol;
        long heap = usedAfterGc() - before;
        System.out.printf("rule=%s logouts=%,d validity=%s: %,d entries after 24 h, JOL %,d B, used heap after GC %,d B"
                + " (%d B per entry)%n", dayRule ? "day" : "client", n, validity, entries, jol, heap,
                entries == 0 ? 0 : jol / entries);
        if (denylist.size() < 0) {
            throw new IllegalStateException("keeps the denylist reachable until measured");
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
