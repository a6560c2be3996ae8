package io.github.cognitorevoke.internal.redis;

import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The rounds of "a node started right after the primary is killed" (cluster and Sentinel): logouts
 * confirmed alternately on a busy node (which goes on taking logouts through the failover) and a quiet
 * one (which takes none), and a node started at once that must hold every one the moment it is ready.
 */
final class StartDuringFailover {

    private final RedisDenylist busy;
    private final RedisDenylist quiet;
    private final Instant until = Instant.now().plusSeconds(300);
    private final List<String> rounds = new ArrayList<>();
    private int missed;

    StartDuringFailover(RedisDenylist busy, RedisDenylist quiet) {
        this.busy = busy;
        this.quiet = quiet;
    }

    /**
     * Confirms logouts named {@code r<round>-<kind>-<i>}, alternately on the busy and the quiet node.
     *
     * @return their ids, added to {@code acknowledged}
     */
    List<String> confirm(List<String> acknowledged, int round, String kind, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String id = "r" + round + "-" + kind + "-" + i;
            confirmed((i % 2 == 0 ? busy : quiet).add(id, until));
            acknowledged.add(id);
        }
        return acknowledged;
    }

    /**
     * Right after the kill: starts a node while the busy one takes logouts, waits until it is ready
     * and records which acknowledged logouts it lacked then.
     *
     * @param start  starts the node (with no sync timeout: it returns at once)
     * @param killed when the primary was killed ({@link System#nanoTime()})
     */
    void startLate(int round, List<String> acknowledged, long killed, Supplier<RedisDenylist> start) {
        AtomicBoolean failingOver = new AtomicBoolean(true);
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            for (int i = 0; failingOver.get(); i++) {
                busy.add("r" + round + "-during-" + i, until);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        RedisDenylist late = start.get();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(late::inSync);
        long ready = System.nanoTime();
        List<String> missing = acknowledged.stream().filter(id -> !late.contains(id)).toList();
        failingOver.set(false);
        load.join();
        missed += missing.isEmpty() ? 0 : 1;
        rounds.add(String.format("round %d: ready %d ms after the kill, missing %d of %d%s", round,
                (ready - killed) / 1_000_000, missing.size(), acknowledged.size(),
                missing.isEmpty() ? "" : " " + missing));
    }

    /** @return the rounds whose new node lacked acknowledged logouts once ready */
    int missed() {
        return missed;
    }

    /** @return one line per round */
    String rounds() {
        return String.join("\n  ", rounds);
    }
}
