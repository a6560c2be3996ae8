package io.github.cognitorevoke.support;

import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * A real Redis Cluster for tests: three primaries with one replica each, every one a
 * {@link RedisProcess} on a free loopback port (started with {@code --cluster-enabled yes}, stopped
 * by its PID), joined by the test itself with {@code CLUSTER MEET}, {@code CLUSTER ADDSLOTS} and
 * {@code CLUSTER REPLICATE} (Redis 6.2 has no {@code ADDSLOTSRANGE}) over plain RESP, no
 * {@code redis-cli} and no Lettuce client (whose threads would outlive the test class).
 * Primary {@code i} serves slots {@code i * 5462} to {@code (i + 1) * 5462 - 1} (the last up to
 * 16383); replica {@code i} copies it. A node that misses its peers for {@link #NODE_TIMEOUT} is
 * failed over.
 */
public final class RedisCluster implements AutoCloseable {

    /** {@code cluster-node-timeout}: short, so that a failover takes seconds. */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(1500);
    private static final int SLOTS = 16384;
    private static final int PRIMARIES = 3;

    private final List<RedisProcess> servers = new ArrayList<>();

    private RedisCluster() {
    }

    /**
     * Starts six servers and makes them one cluster; returns once every node sees every slot served
     * and every replica in sync.
     *
     * @param name a name for the servers' working directories
     * @return the running cluster
     */
    public static RedisCluster start(String name) {
        RedisCluster cluster = new RedisCluster();
        try {
            cluster.form(name);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void form(String name) {
        List<String> options = List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()),
                // A replica that lost its primary takes over however long ago it last heard from it.
                "--cluster-replica-validity-factor", "0");
        for (int i = 0; i < 2 * PRIMARIES; i++) {
            servers.add(RedisProcess.start(name + "-" + i, options));
        }
        String first = Integer.toString(servers.get(0).port());
        for (int i = 1; i < servers.size(); i++) {
            ok(servers.get(i).call("CLUSTER", "MEET", "127.0.0.1", first));
        }
        for (int i = 0; i < PRIMARIES; i++) {
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            IntStream.range(i * (SLOTS / PRIMARIES + 1), Math.min(SLOTS, (i + 1) * (SLOTS / PRIMARIES + 1)))
                    .forEach(slot -> command.add(Integer.toString(slot)));
            ok(servers.get(i).call(command.toArray(String[]::new)));
        }
        until("every node knows the six", () -> servers.stream().allMatch(s -> nodes(s).size() == servers.size()));
        for (int i = 0; i < PRIMARIES; i++) {
            ok(servers.get(PRIMARIES + i).call("CLUSTER", "REPLICATE", servers.get(i).call("CLUSTER", "MYID")));
        }
        until("the cluster is ok with every replica in sync", () -> IntStream.range(0, servers.size()).allMatch(i ->
                servers.get(i).call("CLUSTER", "INFO").contains("cluster_state:ok")
                        && (i < PRIMARIES || servers.get(i).call("INFO", "replication").contains("master_link_status:up"))));
    }

    /** @return {@code redis://127.0.0.1:port} of primary 0: a seed from which Lettuce learns the rest */
    public String uri() {
        return servers.get(0).uri();
    }

    /** @return the six servers: primaries 0 to 2, then their replicas in the same order */
    public List<RedisProcess> servers() {
        return servers;
    }

    /**
     * @param tag a hash tag
     * @return the server that serves the tag's slot now (after a failover, the replica that took over);
     *         null while none does (during a failover)
     */
    public RedisProcess primaryOf(String tag) {
        int slot = SlotHash.getSlot(tag);
        for (RedisProcess s : servers) {
            if (!s.running()) {
                continue;
            }
            for (String line : nodes(s)) {
                String[] f = line.split(" ");
                if (f[2].contains("myself") && f[2].contains("master")) {
                    for (int i = 8; i < f.length; i++) {
                        String[] range = f[i].split("-");
                        int lo = Integer.parseInt(range[0]);
                        int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                        if (slot >= lo && slot <= hi) {
                            return s;
                        }
                    }
                }
            }
        }
        return null;
    }

    /**
     * A hash tag whose slot primary {@code i} serves.
     *
     * @param i 0 to 2
     * @return a tag such as {@code t17}
     */
    public static String tagServedBy(int i) {
        for (int n = 0; ; n++) {
            int slot = SlotHash.getSlot("t" + n);
            if (slot / (SLOTS / PRIMARIES + 1) == i) {
                return "t" + n;
            }
        }
    }

    private static List<String> nodes(RedisProcess s) {
        try {
            return s.call("CLUSTER", "NODES").lines().filter(l -> !l.isBlank()).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static void ok(String reply) {
        if (!"OK".equals(reply)) {
            throw new IllegalStateException("the test cluster: " + reply);
        }
    }

    private static void until(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the test cluster did not get there within 30 s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops every server by its PID. */
    @Override
    public void close() {
        servers.forEach(RedisProcess::stop);
    }
}
