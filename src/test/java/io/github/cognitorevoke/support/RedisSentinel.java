package io.github.cognitorevoke.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real primary with replicas behind Sentinel, for tests: a primary, two replicas and three Sentinels,
 * each a {@link RedisProcess} on a free loopback port, stopped by its PID. The Sentinels monitor the
 * primary as {@link #MASTER} with a quorum of 2, find it down after 1 s and fail it over
 * ({@link RedisProcess#sentinel}). Clients reach it through {@link #uri()}, Lettuce's
 * {@code redis-sentinel://} form.
 */
public final class RedisSentinel implements AutoCloseable {

    /** The name the Sentinels give the primary ({@code sentinelMasterId}). */
    public static final String MASTER = "tier";

    private final List<RedisProcess> data = new ArrayList<>();
    private final List<RedisProcess> sentinels = new ArrayList<>();
    private String uri;

    private RedisSentinel() {
    }

    /**
     * Starts the six servers; returns once both replicas are in sync with the primary.
     *
     * @param name a name for the servers' working directories
     * @return the running set-up
     */
    public static RedisSentinel start(String name) {
        RedisSentinel s = new RedisSentinel();
        try {
            s.form(name);
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void form(String name) {
        RedisProcess primary = RedisProcess.start(name + "-primary");
        data.add(primary);
        List<String> follow = List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
        data.add(RedisProcess.start(name + "-replica-1", follow));
        data.add(RedisProcess.start(name + "-replica-2", follow));
        StringBuilder hosts = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            RedisProcess s = RedisProcess.sentinel(name + "-sentinel-" + i, MASTER, primary.port());
            sentinels.add(s);
            hosts.append(i == 1 ? "" : ",").append("127.0.0.1:").append(s.port());
        }
        uri = "redis-sentinel://" + hosts + "?sentinelMasterId=" + MASTER;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!replicas().stream().allMatch(r -> r.call("INFO", "replication").contains("master_link_status:up"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replicas did not sync with the primary within 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** @return {@code redis-sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3?sentinelMasterId=tier} */
    public String uri() {
        return uri;
    }

    /** @return the primary the set-up started with (it stays the primary until it dies) */
    public RedisProcess firstPrimary() {
        return data.get(0);
    }

    /** @return the two replicas the set-up started with */
    public List<RedisProcess> replicas() {
        return data.subList(1, 3);
    }

    /**
     * @return the running data server that says it is the primary now (after a failover, the promoted
     *         replica); null while none does
     */
    public RedisProcess primary() {
        for (RedisProcess r : data) {
            if (!r.running()) {
                continue;
            }
            try {
                if (r.call("INFO", "replication").contains("role:master")) {
                    return r;
                }
            } catch (RuntimeException e) {
                // not answering: not the primary now
            }
        }
        return null;
    }

    /** Stops every server by its PID, the Sentinels first (no failover while the rest stops). */
    @Override
    public void close() {
        sentinels.forEach(RedisProcess::stop);
        data.forEach(RedisProcess::stop);
    }
}
