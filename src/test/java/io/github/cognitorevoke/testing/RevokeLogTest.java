package io.github.cognitorevoke.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stub's record of RevokeToken calls and the wait for them. */
class RevokeLogTest {

    private final RevokeLog log = new RevokeLog();

    private static RevokeCall call(String clientId) {
        return new RevokeCall("t", clientId, null, false, 200, null);
    }

    @Test
    void await_withFewerCallsThanAskedFor_timesOutFalse() throws InterruptedException {
        log.record(call("a"));

        assertThat(log.await(1, Duration.ZERO)).isTrue();
        assertThat(log.await(2, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void await_isWokenByACallRecordedLater() throws Exception {
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return log.await(2, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        log.record(call("a"));
        log.record(call("b"));

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(log.snapshot()).extracting(RevokeCall::clientId).containsExactly("a", "b");
    }

    @Test
    void clear_forgetsRecordedCalls_andSnapshotsStayAsTaken() {
        log.record(call("a"));
        var before = log.snapshot();

        log.clear();

        assertThat(before).hasSize(1);
        assertThat(log.size()).isZero();
        assertThat(log.snapshot()).isEmpty();
    }
}
