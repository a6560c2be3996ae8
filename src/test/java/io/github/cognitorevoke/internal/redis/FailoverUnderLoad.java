package io.github.cognitorevoke.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.support.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Two nodes under load while a primary dies: a writer logs ids out on A and B in turn (about 100 a
 * second), a checker asks both nodes about every acknowledged id, again and again, and a watcher
 * records each node's readiness every 5 ms. Failures are collected, not thrown, so that the test
 * reports all of them once the load stopped.
 */
final class FailoverUnderLoad implements AutoCloseable {

    /** How long after an acknowledgement the other node may still miss the id: propagation, or a resync. */
    private static final Duration OTHER_NODE_GRACE = Duration.ofSeconds(20);

    private final RedisDenylist[] nodes;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final boolean[] seenDown = new boolean[2];
    private final boolean[] upAfterDown = new boolean[2];
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads;

    FailoverUnderLoad(RedisDenylist a, RedisDenylist b) {
        nodes = new RedisDenylist[] {a, b};
        threads = List.of(new Thread(this::write, "logouts"), new Thread(this::check, "checks"),
                new Thread(this::watch, "readiness"));
        threads.forEach(Thread::start);
    }

    private void write() {
        Instant until = Instant.now().plusSeconds(300);
        for (int i = 0; running.get(); i++) {
            String id = "load-" + i;
            int writer = i % 2;
            CompletableFuture<Void> w = nodes[writer].add(id, until);
            w.whenComplete((ok, e) -> {
                if (e == null) {
                    acknowledged.add(id + "@" + System.nanoTime() + "@" + writer);
                } else {
                    failed.add(id);
                }
            });
            pause(10);
        }
    }

    private void check() {
        while (running.get()) {
            long now = System.nanoTime();
            for (String entry : acknowledged) {
                String[] f = entry.split("@");
                int writer = Integer.parseInt(f[2]);
                if (!nodes[writer].contains(f[0])) {
                    problems.add(f[0] + " acknowledged by node " + writer + " but accepted there");
                }
                long since = now - Long.parseLong(f[1]);
                if (since > OTHER_NODE_GRACE.toNanos() && !nodes[1 - writer].contains(f[0])) {
                    problems.add(f[0] + " accepted on node " + (1 - writer) + " " + since / 1_000_000 + " ms after it was acknowledged");
                }
            }
            pause(20);
        }
    }

    private void watch() {
        while (running.get()) {
            for (int n = 0; n < 2; n++) {
                boolean ready = nodes[n].inSync();
                seenDown[n] |= !ready;
                upAfterDown[n] = seenDown[n] && ready;
            }
            pause(5);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the load once both nodes are ready again (at most 60 s), and waits for the threads. */
    void stopWhenReady() throws InterruptedException {
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes[0].inSync() && nodes[1].inSync());
        Thread.sleep(1000); // a second of load after the failover
        close();
    }

    /** @return whether node n was seen not ready during the load */
    boolean wentDown(int n) {
        return seenDown[n];
    }

    /** @return whether node n, seen not ready, was ready again by itself */
    boolean cameBack(int n) {
        return upAfterDown[n];
    }

    /**
     * Asserts what the load found: no acknowledged id accepted (by its writer ever, by the other node
     * after the grace), every write acknowledged, and every acknowledged id on a node started afterwards
     * the moment it reports ready.
     *
     * @param late starts a node
     */
    void assertNothingLost(Supplier<RedisDenylist> late) {
        List<String> ids = acknowledged.stream().map(e -> e.split("@")[0]).toList();
        assertThat(ids).hasSizeGreaterThan(200);
        assertThat(problems).isEmpty();
        assertThat(failed).as("logouts not acknowledged").isEmpty();
        await().atMost(RedisProcess.patience()).untilAsserted(() ->
                assertThat(ids).allMatch(nodes[0]::contains).allMatch(nodes[1]::contains));
        long started = System.nanoTime();
        RedisDenylist node = late.get();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(node::inSync);
        List<String> missing = ids.stream().filter(id -> !node.contains(id)).toList();
        System.out.printf("failover under load: a node started after the load was ready in %d ms, lacking %d of %d"
                + " acknowledged logouts%n", (System.nanoTime() - started) / 1_000_000, missing.size(), ids.size());
        assertThat(missing).as("acknowledged logouts a node started afterwards lacks once ready").isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
