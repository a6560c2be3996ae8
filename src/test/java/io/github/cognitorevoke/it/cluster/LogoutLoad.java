package io.github.cognitorevoke.it.cluster;

import static io.github.cognitorevoke.it.AppClient.REVOKED_CHALLENGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.it.AppClient;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Logouts and checks on two WildFly nodes, all the time, while the test kills Redis's primary
 * ({@link RedisFailoverClusterIT}). Threads:
 * <ul>
 *   <li>one a node that logs users out there ({@code POST logout}, access and refresh token, a new user
 *       each time, about 20 a second), and asks the same node about the token at once;</li>
 *   <li>one a node that asks it ({@code GET protected}) about every logout answered so far, on either
 *       node, again and again, and about a token never logged out;</li>
 *   <li>one that reads both nodes' readiness ({@code health().ready()}) every 50 ms.</li>
 * </ul>
 * What breaks a rule is collected, not thrown, and asserted once the load stopped, so that a failure
 * reports all of it. Times are {@link System#nanoTime()}.
 */
final class LogoutLoad implements AutoCloseable {

    /** A logout answered 2xx: 204 (Redis confirmed it) or 202 (pending: kept, replayed when Redis is back). */
    record Acknowledged(int node, StubTokens tokens, int status, long sentAt, long answeredAt) {
    }

    private static final long PACE = TimeUnit.MILLISECONDS.toNanos(50);

    private final AppClient[] nodes;
    private final Function<String, StubTokens> login;
    private final StubTokens live;
    private final long propagation;
    private final long replay;
    private final Queue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final Map<Integer, LongAdder> logoutStatuses = new ConcurrentHashMap<>();
    private final LongAdder checks = new LongAdder();
    private final LongAdder acceptedInWindow = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final AtomicLong linksDroppedAt = new AtomicLong();
    private final AtomicLong killedAt = new AtomicLong();
    private final AtomicLong recoveredAt = new AtomicLong();
    /** Per node: the first not-ready reading of a probe sent after the kill, the first ready one after it; 0 = none. */
    private final AtomicLongArray downAt = new AtomicLongArray(2);
    private final AtomicLongArray upAt = new AtomicLongArray(2);
    /** Per node: the first 204 to a logout sent after the kill; 0 = none yet. */
    private final AtomicLongArray confirmedAgainAt = new AtomicLongArray(2);
    private final AtomicLongArray lastReadiness = new AtomicLongArray(2);
    private final AtomicInteger notReadyBeforeKill = new AtomicInteger();
    private final String[] downDetail = new String[2];
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts the load.
     *
     * @param a           node A
     * @param b           node B
     * @param login       signs a new user in at the Cognito stub, by user name
     * @param propagation how long after a 204 the other node may still accept the token outside a failover
     * @param replay      how long after the recovery the other node may still accept a token whose 204
     *                    came during the failover: the writer sends its recent writes again only once it
     *                    meets the loss of Redis
     */
    LogoutLoad(AppClient a, AppClient b, Function<String, StubTokens> login, Duration propagation, Duration replay) {
        this.nodes = new AppClient[] {a, b};
        this.login = login;
        this.live = login.apply("never-logged-out");
        this.propagation = propagation.toNanos();
        this.replay = replay.toNanos();
        for (int n = 0; n < 2; n++) {
            int node = n;
            threads.add(new Thread(() -> logouts(node), "logouts on " + name(n)));
            threads.add(new Thread(() -> checks(node), "checks on " + name(n)));
        }
        threads.add(new Thread(this::readiness, "readiness"));
        threads.forEach(Thread::start);
    }

    static String name(int node) {
        return node == 0 ? "A" : "B";
    }

    private void logouts(int n) {
        for (int i = 0; running.get(); i++) {
            StubTokens t = login.apply("load-" + name(n) + "-" + i);
            long sent = System.nanoTime();
            HttpResponse<String> r = answer(n, "logout", () -> nodes[n].logout(t.accessToken(), t.refreshToken()));
            long answered = System.nanoTime();
            if (r != null) {
                int status = r.statusCode();
                logoutStatuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                if (status == 204 || status == 202) {
                    if (status == 204 && sent > killedAt.get() && killedAt.get() != 0) {
                        confirmedAgainAt.compareAndSet(n, 0, answered);
                    }
                    Acknowledged ack = new Acknowledged(n, t, status, sent, answered);
                    check(n, ack); // the node that answered: at once
                    acknowledged.add(ack);
                } else {
                    problems.add("logout on " + name(n) + " answered " + status + ": " + r.body());
                }
            }
            pause(sent + PACE - System.nanoTime());
        }
    }

    private void checks(int n) {
        while (running.get()) {
            HttpResponse<String> r = answer(n, "check of a live token", () -> nodes[n].get("protected", live.accessToken()));
            if (r != null && r.statusCode() != 200) {
                problems.add("a token never logged out got " + r.statusCode() + " on " + name(n));
            }
            for (Acknowledged a : acknowledged) {
                if (!running.get()) {
                    return;
                }
                check(n, a);
            }
            pause(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * Asks node n about an acknowledged logout's access token; records what breaks a rule.
     *
     * @return whether n rejected it as revoked
     */
    private boolean check(int n, Acknowledged a) {
        long sent = System.nanoTime();
        HttpResponse<String> r = answer(n, "check", () -> nodes[n].get("protected", a.tokens().accessToken()));
        if (r == null) {
            return false;
        }
        checks.increment();
        int status = r.statusCode();
        if (status == 401 && r.headers().firstValue("WWW-Authenticate").filter(REVOKED_CHALLENGE::equals).isPresent()) {
            return true;
        }
        if (status != 200) {
            problems.add("a logged-out token got " + status + " on " + name(n) + " without the revoked challenge");
        } else if (a.node() == n) {
            problems.add("accepted on " + name(n) + ", which had answered its logout " + a.status() + " "
                    + ms(sent - a.answeredAt()) + " ms before" + phase(a));
        } else if (a.status() == 204 && sent > deadline(a)) {
            problems.add("accepted on " + name(n) + " " + ms(sent - a.answeredAt()) + " ms after " + name(a.node())
                    + " answered its logout 204" + phase(a) + ", past its window");
        } else {
            acceptedInWindow.increment();
        }
        return false;
    }

    /**
     * Until when the other node may accept a token whose logout was answered 204: the propagation after
     * the answer; for an answer from a propagation before the kill until the recovery, the replay window
     * after the recovery (no bound before it). A 202's token is not bounded during the load: the other
     * nodes accept it until Redis is back (README, Limits); {@link #assertNothingLost} checks it after.
     */
    private long deadline(Acknowledged a) {
        long killed = killedAt.get();
        long recovered = recoveredAt.get();
        if (killed != 0 && a.answeredAt() > killed - propagation && (recovered == 0 || a.answeredAt() < recovered)) {
            return recovered == 0 ? Long.MAX_VALUE : recovered + replay;
        }
        return a.answeredAt() + propagation;
    }

    private String phase(Acknowledged a) {
        long killed = killedAt.get();
        if (killed == 0) {
            return " (before the kill)";
        }
        long after = ms(a.answeredAt() - killed);
        return after < 0 ? " (answered " + -after + " ms before the kill)" : " (answered " + after + " ms after the kill)";
    }

    private void readiness() {
        while (running.get()) {
            for (int n = 0; n < 2; n++) {
                long sent = System.nanoTime();
                AppClient node = nodes[n];
                HttpResponse<String> r = answer(n, "readiness", () -> node.get("metrics-probe", null));
                if (r == null) {
                    continue;
                }
                if (r.statusCode() != 200) {
                    problems.add("metrics-probe on " + name(n) + " answered " + r.statusCode());
                    continue;
                }
                boolean ready = Boolean.parseBoolean(AppClient.value(r.body(), "health.ready"));
                long now = System.nanoTime();
                lastReadiness.set(n, ready ? 1 : -1);
                long killed = killedAt.get();
                if (killed == 0 || sent < killed) {
                    if (!ready) {
                        notReadyBeforeKill.incrementAndGet();
                    }
                } else if (!ready && downAt.compareAndSet(n, 0, now)) {
                    downDetail[n] = AppClient.value(r.body(), "health.detail");
                } else if (ready && downAt.get(n) != 0) {
                    upAt.compareAndSet(n, 0, now);
                }
            }
            pause(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** A request's answer; a 5xx or no answer at all is recorded (and null returned for the latter). */
    private HttpResponse<String> answer(int n, String what, Supplier<HttpResponse<String>> request) {
        HttpResponse<String> r;
        try {
            r = request.get();
        } catch (RuntimeException e) {
            serverErrors.increment();
            problems.add(what + " on " + name(n) + ": no answer: " + e);
            return null;
        }
        if (r.statusCode() >= 500) {
            serverErrors.increment();
            problems.add(what + " on " + name(n) + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    /** Marks the moment the replicas stopped receiving the primary's writes. */
    void linksDropped() {
        linksDroppedAt.set(System.nanoTime());
    }

    /**
     * @return logouts sent after {@link #linksDropped} and answered 204 before {@link #killing} (or by
     *         now, before it): confirmed by the primary alone, lost with it unless sent again
     */
    int confirmedOnThePrimaryAlone() {
        long from = linksDroppedAt.get();
        long to = killedAt.get() == 0 ? Long.MAX_VALUE : killedAt.get();
        int n = 0;
        for (Acknowledged a : acknowledged) {
            n += from != 0 && a.status() == 204 && a.sentAt() >= from && a.answeredAt() <= to ? 1 : 0;
        }
        return n;
    }

    /** Marks the kill: call right before it. */
    void killing() {
        killedAt.set(System.nanoTime());
    }

    /** Marks the recovery (the test decides what it is): the other node's replay window starts. */
    void recovered() {
        recoveredAt.set(System.nanoTime());
    }

    /** @return whether node n answered a probe sent after the kill with not ready */
    boolean wentDown(int n) {
        return downAt.get(n) != 0;
    }

    /** @return whether node n, seen not ready after the kill, was seen ready again */
    boolean cameBack(int n) {
        return upAt.get(n) != 0;
    }

    /** @return whether node n's latest readiness reading was ready */
    boolean readyNow(int n) {
        return lastReadiness.get(n) == 1;
    }

    /** @return whether node n answered a logout sent after the kill with 204 (Redis confirmed it) */
    boolean confirmsAgain(int n) {
        return confirmedAgainAt.get(n) != 0;
    }

    /** @return the first 204 after the kill, ms after it, on the slowest node */
    long msUntilConfirmedAgain() {
        return ms(Math.max(confirmedAgainAt.get(0), confirmedAgainAt.get(1)) - killedAt.get());
    }

    /** @return ms from the kill until every node that went down was ready again (0: none went down) */
    long msUntilReady() {
        long last = killedAt.get();
        for (int n = 0; n < 2; n++) {
            last = Math.max(last, upAt.get(n));
        }
        return ms(last - killedAt.get());
    }

    /** @return logouts answered 2xx whose request was sent from the kill until the recovery, per node */
    int[] answeredDuringFailover() {
        int[] during = new int[2];
        for (Acknowledged a : acknowledged) {
            if (a.sentAt() >= killedAt.get() && a.sentAt() <= recoveredAt.get()) {
                during[a.node()]++;
            }
        }
        return during;
    }

    /** @return how many went down after the kill */
    int nodesThatWentDown() {
        return (wentDown(0) ? 1 : 0) + (wentDown(1) ? 1 : 0);
    }

    /** @return the problems found so far: rule breaks, 5xx, requests without answer */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** @return 5xx answers and requests without answer, to any request */
    long serverErrors() {
        return serverErrors.sum();
    }

    /** @return the logouts' statuses, and how often each */
    Map<Integer, Long> logoutStatuses() {
        return logoutStatuses.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum(), (x, y) -> x, TreeMap::new));
    }

    /** @return the logouts answered 2xx */
    int acknowledgedCount() {
        return acknowledged.size();
    }

    /**
     * What the load saw, for the test's output.
     *
     * @param topology the topology's name
     * @return a few lines
     */
    String report(String topology) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("failover under load (%s): every node ready %d ms after the kill; a logout confirmed"
                + " (204) again on both nodes %d ms after it%n", topology, msUntilReady(), msUntilConfirmedAgain()));
        for (int n = 0; n < 2; n++) {
            s.append(String.format("failover under load (%s): node %s %s%n", topology, name(n), !wentDown(n)
                    ? "stayed ready"
                    : "not ready " + ms(downAt.get(n) - killedAt.get()) + " ms after the kill (" + downDetail[n]
                            + "), ready again " + (cameBack(n) ? ms(upAt.get(n) - killedAt.get()) + " ms after it" : "never")));
        }
        int[] during = answeredDuringFailover();
        s.append(String.format("failover under load (%s): logouts by status %s, %d acknowledged (%d on A and %d on B"
                + " sent during the failover); %d checks, a 204's token accepted on the other node within its window %d"
                + " times; not ready before the kill %d times; 5xx or no answer %d; problems %d",
                topology, logoutStatuses(), acknowledgedCount(), during[0], during[1], checks.sum(),
                acceptedInWindow.sum(), notReadyBeforeKill.get(), serverErrors(), problems.size()));
        return s.toString();
    }

    /**
     * After the load: every acknowledged logout's token is rejected on both nodes, and its {@code jti}
     * and {@code origin_jti} are keys in Redis; waited for up to {@code within} (a 202's write is
     * replayed, a 204 lost with the killed primary is sent again). Prints how long after the kill.
     *
     * @param topology the topology's name, for the output
     * @param keys     every key under {@code <prefix>j:} on the current primary, as sent by the test
     * @param idPrefix {@code <prefix>j:}
     * @param within   how long to wait
     */
    void assertNothingLost(String topology, Supplier<Set<String>> keys, String idPrefix, Duration within) {
        List<Acknowledged> all = List.copyOf(acknowledged);
        Set<Acknowledged> acceptedSomewhere = new HashSet<>(all);
        List<String> missing = new ArrayList<>();
        try {
            await("every acknowledged logout rejected on both nodes and in Redis").atMost(within)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        acceptedSomewhere.removeIf(a -> check(0, a) & check(1, a));
                        Set<String> inRedis = keys.get();
                        missing.clear();
                        for (Acknowledged a : all) {
                            if (!inRedis.contains(idPrefix + a.tokens().accessJti())
                                    || !inRedis.contains(idPrefix + a.tokens().originJti())) {
                                missing.add(a.status() + " on " + name(a.node()) + phase(a));
                            }
                        }
                        assertThat(acceptedSomewhere).as("acknowledged logouts whose token a node still accepts").isEmpty();
                        assertThat(missing).as("acknowledged logouts not in Redis").isEmpty();
                    });
        } finally {
            System.out.printf("failover under load (%s): %d acknowledged logouts: still accepted by a node %d, not in"
                    + " Redis %d, %d ms after the kill%n", topology, all.size(), acceptedSomewhere.size(), missing.size(),
                    ms(System.nanoTime() - killedAt.get()));
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the load and waits for its threads. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
