package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What this node learns from Redis, applied keep-later to its cache: every live entry, read from the
 * indexes at start-up and after every lost subscription ({@link #sync}), and each change published on
 * {@code P events} ({@link #apply}). Ends are capped ({@link DenylistKeys#capped}) and names bounded
 * ({@link #MAX_NAME}) whatever Redis holds.
 */
final class DenylistSync {

    private static final System.Logger LOG = System.getLogger(DenylistKeys.LOGGER);
    /** Index members per sync page; each page is read by one script while the previous one is applied. */
    static final int PAGE_SIZE = 20_000;
    /** Longest stored value read: {@code "<notBefore> <untilMs>"} has at most 2 * 19 + 1 bytes. */
    static final int VALUE_BYTES = 64;
    /**
     * The longest name (token id or subject) taken from Redis; Cognito's are UUIDs. Longer ones were
     * not written by a node, and a subject's name stays in memory as long as its cut-off.
     */
    static final int MAX_NAME = 1024;
    /** One page of the sync (page.lua): index members and their scores, names of at most {@link #MAX_NAME}. */
    static final String PAGE_SCRIPT = Scripts.load("page.lua");
    /** The values of a page of subjects' keys, {@link #VALUE_BYTES} of each at most (values.lua). */
    static final String VALUES_SCRIPT = Scripts.load("values.lua");

    private final CaffeineDenylist local;
    private final DenylistKeys keys;
    private final RedisConnections connections;
    private final Clock clock;

    DenylistSync(CaffeineDenylist local, DenylistKeys keys, RedisConnections connections, Clock clock) {
        this.local = local;
        this.keys = keys;
        this.connections = connections;
        this.clock = clock;
    }

    /**
     * Loads every live entry from the indexes {@code P subjects} and {@code P ids}: pages of
     * {@link #PAGE_SIZE} members, each read by one {@link #PAGE_SCRIPT}, the next page asked for
     * before this one is applied here. Reading stops at the first member already past on this node's
     * clock (it would not keep one anyway); writers prune a member only once it ended clockSkew before
     * their own now, so none still live here is pruned while clocks differ by at most clockSkew.
     *
     * <p>Why no entry is missed although the index changes between pages: pages go by rank in
     * descending score order, and a member still to be read can only move to a higher rank number
     * (further down the list), never to one already read. The members above it change only by an
     * insertion or a raise (which push it down: it is read again, harmless) or by a removal; the only
     * removal is the prune, which takes the lowest scores, so all below it (or it with them), and
     * no score is ever lowered (ZADD GT). The member that an insertion or raise puts into the ranks
     * already read is missed by the read, but its write published it on {@code P events}, which this
     * node subscribed to before the sync began: it is applied from the message. An entry whose key
     * outlived its index (a hostile delete of the index) is not loaded; the next write of any entry
     * recreates the index, not the lost members.
     *
     * @param c      the commands connection
     * @param holder the commands of the server that holds the indexes ({@link RedisConnections#holding})
     * @return the number of entries loaded
     */
    int sync(RedisClusterAsyncCommands<byte[], byte[]> c, RedisClusterAsyncCommands<byte[], byte[]> holder)
            throws Exception {
        // Loaded on the server that holds the indexes only: a cluster connection's SCRIPT LOAD goes to every
        // node, and fails while one of them is down (a failed primary stays listed until it is forgotten).
        String sha = connections.await(holder.scriptLoad(PAGE_SCRIPT));
        String values = connections.await(holder.scriptLoad(VALUES_SCRIPT));
        return syncIndex(c, sha, keys.subjectIndex, values) + syncIndex(c, sha, keys.idIndex, null);
    }

    /** Reads one index; with {@code values}, the SHA of {@link #VALUES_SCRIPT}, its members' keys' values too. */
    private int syncIndex(RedisClusterAsyncCommands<byte[], byte[]> c, String sha, byte[] index, String values)
            throws Exception {
        RedisFuture<List<Object>> next = page(c, sha, index, 0);
        int loaded = 0;
        for (long from = PAGE_SIZE; next != null; from += PAGE_SIZE) {
            List<Object> page = connections.await(next);
            next = page.isEmpty() || !Long.valueOf(1).equals(page.get(0)) ? null : page(c, sha, index, from);
            loaded += values == null ? loadIds(page) : loadSubjects(page, c, values);
        }
        return loaded;
    }

    private RedisFuture<List<Object>> page(RedisClusterAsyncCommands<byte[], byte[]> c, String sha, byte[] index,
            long from) {
        return c.evalsha(sha, ScriptOutputType.MULTI, new byte[][] {index}, bytes(Long.toString(from)),
                bytes(Long.toString(from + PAGE_SIZE - 1)), bytes(Long.toString(clock.millis())), keys.cap(),
                bytes(Integer.toString(MAX_NAME)));
    }

    /** Applies a page of ids: the flag, then each id followed by its end. */
    private int loadIds(List<Object> page) {
        int loaded = 0;
        for (int i = 1; i + 1 < page.size(); i += 2) {
            byte[] id = (byte[]) page.get(i);
            byte[] end = (byte[]) page.get(i + 1);
            try {
                local.add(new String(id, StandardCharsets.UTF_8), keys.capped(digits(end, 0, end.length)));
                loaded++;
            } catch (RuntimeException malformed) {
                // A score not written by these scripts (a fraction): nothing to load.
            }
        }
        return loaded;
    }

    /**
     * Applies a page of cut-offs: the flag, then each subject followed by its score; the values of
     * their keys ({@code P s:<sub>}) are read by one {@link #VALUES_SCRIPT}, the key names sent in KEYS.
     */
    private int loadSubjects(List<Object> page, RedisClusterAsyncCommands<byte[], byte[]> c, String values)
            throws Exception {
        int members = (page.size() - 1) / 2;
        if (members == 0) {
            return 0;
        }
        byte[][] names = new byte[members][];
        for (int i = 0; i < members; i++) {
            byte[] subject = (byte[]) page.get(1 + 2 * i);
            byte[] key = Arrays.copyOf(keys.subjectPrefixBytes, keys.subjectPrefixBytes.length + subject.length);
            System.arraycopy(subject, 0, key, keys.subjectPrefixBytes.length, subject.length);
            names[i] = key;
        }
        List<Object> read = connections.await(c.<List<Object>>evalsha(values, ScriptOutputType.MULTI, names));
        int loaded = 0;
        for (int i = 0; i < members && i < read.size(); i++) {
            byte[] subject = (byte[]) page.get(1 + 2 * i);
            byte[] value = (byte[]) read.get(i);
            try {
                int space = indexOf(value, (byte) ' ');
                cutOff(new String(subject, StandardCharsets.UTF_8), digits(value, 0, space),
                        digits(value, space + 1, value.length));
                loaded++;
            } catch (RuntimeException malformed) {
                // Gone since the page was read, or a value not written by these scripts: nothing to load.
            }
        }
        return loaded;
    }

    /**
     * Warns once if Redis may evict keys that carry an expiry (every key here does) to make room: an
     * evicted entry is unknown to every node that starts or resyncs afterwards. ElastiCache's default
     * policy is volatile-lru. Only a warning: a managed Redis may refuse INFO, and the operator decides.
     */
    void warnIfEvicting(RedisClusterAsyncCommands<byte[], byte[]> c) {
        String info;
        try {
            info = connections.await(c.info("memory"));
        } catch (Exception refused) {
            return;
        }
        String policy = RedisConnections.infoField(info, "maxmemory_policy");
        String max = RedisConnections.infoField(info, "maxmemory");
        if (policy != null && !policy.equals("noeviction") && max != null && !max.equals("0")) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: Redis at " + connections.server() + " has maxmemory-policy "
                    + policy + ", so it may evict denylist entries before they end when it runs out of memory, and a"
                    + " node that starts or resynchronizes afterwards would accept those revoked tokens; set"
                    + " maxmemory-policy noeviction (a full Redis then refuses writes, which nodes keep and replay)");
        }
    }

    /** Applies a published change ({@code j <endMs> <id>} or {@code s <nb> <untilMs> <sub>}), keep-later. */
    void apply(String message) {
        try {
            if (message.startsWith("j ")) {
                int space = message.indexOf(' ', 2);
                if (message.length() - space - 1 <= MAX_NAME) {
                    local.add(message.substring(space + 1), keys.capped(Long.parseLong(message, 2, space, 10)));
                }
            } else if (message.startsWith("s ")) {
                int first = message.indexOf(' ', 2);
                int second = message.indexOf(' ', first + 1);
                if (message.length() - second - 1 <= MAX_NAME) {
                    cutOff(message.substring(second + 1), Long.parseLong(message, 2, first, 10),
                            Long.parseLong(message, first + 1, second, 10));
                }
            }
        } catch (RuntimeException malformed) {
            // Not ours (another writer on the channel): nothing to apply.
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: ignored a malformed denylist message");
        }
    }

    /** Applies a cut-off read from Redis: its end capped, its notBefore no later than its end. */
    private void cutOff(String subject, long notBeforeSecond, long untilMs) {
        Instant until = keys.capped(untilMs);
        local.cutOff(subject, Instant.ofEpochSecond(Math.min(notBeforeSecond, until.getEpochSecond())), until);
    }

    private static int indexOf(byte[] value, byte b) {
        for (int i = 0; i < value.length; i++) {
            if (value[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("no separator");
    }

    /** Parses an optionally negative decimal without making a String of it. */
    static long digits(byte[] b, int from, int to) {
        boolean negative = from < to && b[from] == '-';
        int i = negative ? from + 1 : from;
        if (i == to || to - i > 18) {
            throw new NumberFormatException("not a number of up to 18 digits");
        }
        long n = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not a digit");
            }
            n = n * 10 + d;
        }
        return negative ? -n : n;
    }

    private static byte[] bytes(String s) {
        return DenylistKeys.bytes(s);
    }
}
