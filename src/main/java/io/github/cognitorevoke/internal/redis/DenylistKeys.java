package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Where the denylist lives in Redis (P = {@code redisKeyPrefix}): {@code P j:<id>} = end in epoch ms;
 * {@code P s:<sub>} = {@code "<notBefore epoch s> <until epoch ms>"}; the sorted sets {@code P ids}
 * and {@code P subjects} that index them by end; the channel {@code P events}. And how far ahead an
 * entry may end, both when it is written and when it is read: whoever can write to Redis must not pin
 * memory on every node for years.
 */
final class DenylistKeys {

    /** The shared denylist's logger: one name for the link, the sync and the writes, as before they were split. */
    static final String LOGGER = "io.github.cognitorevoke.internal.redis.RedisDenylist";

    /** Cognito's longest access or ID token validity: a bound on entry ends even if maxTokenLifetime is set shorter. */
    private static final Duration COGNITO_LONGEST_TOKEN = Duration.ofDays(1);

    /**
     * Cognito's longest refresh-token rotation grace period: a sign-in entry outlives a held family
     * by the grace period (an earlier refresh token of the chain may still be used meanwhile).
     */
    private static final Duration COGNITO_LONGEST_GRACE = Duration.ofSeconds(60);

    final String idPrefix;
    final String subjectPrefix;
    final String channel;
    final byte[] channelBytes;
    final byte[] subjectPrefixBytes;
    final byte[] idIndex;
    final byte[] subjectIndex;
    private final Clock clock;
    /** How far ahead of now an entry may end (see {@link #longestEntry}). */
    private final long longestEntryMs;
    private final long clockSkewMs;

    DenylistKeys(RevocationSettings settings, Clock clock) {
        String prefix = settings.redisKeyPrefix();
        this.idPrefix = prefix + "j:";
        this.subjectPrefix = prefix + "s:";
        this.channel = prefix + "events";
        this.channelBytes = bytes(channel);
        this.subjectPrefixBytes = bytes(subjectPrefix);
        this.idIndex = bytes(prefix + "ids");
        this.subjectIndex = bytes(prefix + "subjects");
        this.clock = clock;
        this.longestEntryMs = longestEntry(settings).toMillis();
        this.clockSkewMs = settings.clockSkew().toMillis();
    }

    /**
     * The longest an entry written by a node can last: a held sign-in (pendingDeadline, then a
     * token lifetime, the rotation grace period, then the clock skew), plus the skew once more for the writer's clock against
     * this one's, and a minute to spare.
     */
    static Duration longestEntry(RevocationSettings settings) {
        Duration lifetime = settings.maxTokenLifetime().compareTo(COGNITO_LONGEST_TOKEN) > 0
                ? settings.maxTokenLifetime() : COGNITO_LONGEST_TOKEN;
        return settings.pendingDeadline().plus(lifetime).plus(COGNITO_LONGEST_GRACE)
                .plus(settings.clockSkew().multipliedBy(2)).plusMinutes(1);
    }

    /** @return now + the longest legitimate entry, in epoch ms as the scripts take it */
    byte[] cap() {
        return bytes(Long.toString(clock.millis() + longestEntryMs));
    }

    /**
     * @return the end up to which a write prunes the indexes, in epoch ms. Ends are written on the
     *         writers' clocks and judged on each node's own: prune only what has ended on every clock up
     *         to clockSkew behind this one (the difference the README allows). Redis's TIME instead would
     *         need the same margin against every node's clock.
     */
    byte[] ended() {
        return bytes(Long.toString(clock.millis() - clockSkewMs));
    }

    /** An end read from Redis, cut at now + the longest legitimate entry. */
    Instant capped(long endMs) {
        return Instant.ofEpochMilli(Math.min(endMs, clock.millis() + longestEntryMs));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
