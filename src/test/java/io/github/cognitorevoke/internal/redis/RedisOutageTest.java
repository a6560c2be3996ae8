package io.github.cognitorevoke.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.support.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis stopped and started again (empty, as a cache without persistence comes back) under running nodes. */
class RedisOutageTest {

    private static final String WARNING = "cannot be reached";
    private static final String BACK = "answers again";

    private final String prefix = Tiers.prefix();
    private final Tiers.Opened open = new Tiers.Opened();

    @AfterEach
    void closeAll() throws Exception {
        open.closeAll();
    }

    private <T extends AutoCloseable> T opened(T resource) {
        return open.add(resource);
    }

    @Test
    void outageWrites_keptOnA_replayedIntoTheEmptyRedis_andLearntByB_afterItsResync() throws Exception {
        RedisProcess redis = opened(RedisProcess.start("tier-outage"));
        RedisDenylist a = opened(Tiers.node(redis.uri(), prefix));
        RedisDenylist b = opened(Tiers.node(redis.uri(), prefix));
        confirmed(a.add("before", Instant.now().plusSeconds(60)));

        redis.stop();
        await().atMost(RedisProcess.patience()).until(() -> !a.inSync() && !b.inSync());
        long nb = Instant.now().getEpochSecond();
        CompletableFuture<Void> during = a.add("during", Instant.now().plusSeconds(60));
        CompletableFuture<Void> cut = a.cutOff("alice", Instant.ofEpochSecond(nb), Instant.now().plusSeconds(60));

        assertThat(a.contains("during")).isTrue();
        assertThat(a.notBeforeEpochSecond("alice")).isEqualTo(nb);
        await().atMost(RedisProcess.patience()).until(() -> a.describe().endsWith(", 2 writes waiting for Redis"));
        assertThat(a.describe()).startsWith("denylist shared through " + redis.uri() + ", not in sync since ");
        assertThat(during).isNotDone();
        assertThat(cut).isNotDone();

        redis.start();

        confirmed(during);
        confirmed(cut);
        await().atMost(RedisProcess.patience()).until(() -> a.inSync() && b.inSync());
        await().atMost(RedisProcess.patience()).until(() -> b.contains("during") && b.notBeforeEpochSecond("alice") == nb);
        assertThat(b.contains("before")).as("kept in B's memory through the outage").isTrue();
        assertThat(Long.parseLong(redis.command("PTTL " + prefix + "j:during").substring(1))).isPositive();
        assertThat(a.describe()).isEqualTo("denylist shared through " + redis.uri() + ", in sync");
    }

    @Test
    void silentRedis_connectionOpenButNoAnswer_nodeGoesOutOfSyncByHeartbeat_andResyncsWhenItAnswers() throws Exception {
        RedisProcess redis = opened(RedisProcess.start("tier-silent"));
        RedisDenylist a = opened(Tiers.node(redis.uri(), prefix));
        RedisDenylist b = opened(Tiers.node(redis.uri(), prefix));
        assertThat(b.inSync()).isTrue();
        // SIGSTOP: the process keeps its sockets open and answers nothing, as a vanished host behind a live route.
        ProcessBuilder stop = new ProcessBuilder("kill", "-STOP", Long.toString(redis.pid()));
        assertThat(stop.start().waitFor()).isZero();
        try {
            await().atMost(RedisProcess.patience()).until(() -> !b.inSync());
            a.add("while-silent", Instant.now().plusSeconds(60));
        } finally {
            assertThat(new ProcessBuilder("kill", "-CONT", Long.toString(redis.pid())).start().waitFor()).isZero();
        }
        await().atMost(RedisProcess.patience()).until(() -> a.inSync() && b.inSync() && b.contains("while-silent"));
    }

    @Test
    void eachOutage_oneWarningWhenItStarts_oneInfoWhenItEnds() throws Exception {
        try (Tiers.Captured log = new Tiers.Captured()) {
            RedisProcess redis = opened(RedisProcess.start("tier-log"));
            RedisDenylist a = opened(Tiers.node(redis.uri(), prefix));
            for (int outage = 1; outage <= 2; outage++) {
                redis.stop();
                await().atMost(RedisProcess.patience()).until(() -> !a.inSync());
                List<CompletableFuture<Void>> writes = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    writes.add(a.add("jti-" + outage + "-" + i, Instant.now().plusSeconds(60)));
                }
                int o = outage;
                await().atMost(RedisProcess.patience()).until(() -> a.describe().endsWith(", 5 writes waiting for Redis"));
                assertThat(log.messages(Level.WARNING, WARNING)).hasSize(outage);
                assertThat(log.messages(Level.INFO, BACK)).hasSize(outage - 1);

                redis.start();
                for (CompletableFuture<Void> w : writes) {
                    confirmed(w);
                }
                await().atMost(RedisProcess.patience()).until(() -> a.inSync()
                        && log.messages(Level.INFO, BACK).size() == o);
            }
            assertThat(log.messages(Level.WARNING, WARNING)).hasSize(2).allSatisfy(m -> assertThat(m)
                    .contains(redis.uri()).contains("keeps denylisting locally").doesNotContain("jti-"));
            assertThat(log.messages(Level.INFO, BACK)).hasSize(2).allSatisfy(m -> assertThat(m)
                    .contains(redis.uri()).contains("5 denylist writes replayed"));
        }
    }

    @Test
    void unreachableAtStart_startReturnsAfterSyncTimeout_bufferBounded_oldestDroppedWithOneWarning() throws Exception {
        RedisProcess redis = opened(RedisProcess.start("tier-bounded"));
        redis.stop();
        String uri = "redis://:s3cret-pw@127.0.0.1:" + redis.port();
        try (Tiers.Captured log = new Tiers.Captured()) {
            long started = System.nanoTime();
            RedisDenylist a = opened(Tiers.node(uri, prefix,
                    s -> s.redisSyncTimeout(Duration.ofMillis(300)).redisMaxBufferedWrites(3)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(a.inSync()).isFalse();

            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                writes.add(a.add("jti-" + i, Instant.now().plusSeconds(60)));
            }
            writes.add(a.add("jti-4", Instant.now().plusSeconds(120))); // merges into its slot: no drop

            assertThat(log.messages(Level.WARNING, "redisMaxBufferedWrites (3)")).hasSize(1);
            assertThat(log.records).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("s3cret-pw"));
            assertThat(a.describe()).contains("127.0.0.1:" + redis.port()).doesNotContain("s3cret-pw")
                    .endsWith("3 writes waiting for Redis");

            redis.start();
            // The node's password is required from now on (a restarted test server has none).
            assertThat(redis.command("CONFIG SET requirepass s3cret-pw")).isEqualTo("+OK");
            await().atMost(RedisProcess.patience()).until(a::inSync);

            for (int i = 2; i < writes.size(); i++) {
                confirmed(writes.get(i));
            }
            assertThat(writes.get(0)).isNotDone();
            assertThat(writes.get(1)).isNotDone();
            for (int i = 0; i < 5; i++) {
                assertThat(a.contains("jti-" + i)).as("jti-%d stands locally", i).isTrue();
            }
            assertThat(log.messages(Level.WARNING, WARNING)).hasSize(1);
        }
    }

    @Test
    void close_endsEveryThreadWithinTwoSeconds() throws Exception {
        RedisProcess redis = opened(RedisProcess.start("tier-close"));
        RedisDenylist a = Tiers.node(redis.uri(), prefix);
        assertThat(a.inSync()).isTrue();

        long started = System.nanoTime();
        a.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(3)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && (t.getName().startsWith("lettuce-")
                        || t.getName().equals("cognito-revoke-redis"))));
    }
}
