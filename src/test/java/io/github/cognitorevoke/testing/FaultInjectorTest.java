package io.github.cognitorevoke.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The stub's fault queues on their own: order, use-once, and delays that end when the stub closes. */
class FaultInjectorTest {

    private final FaultInjector faults = new FaultInjector();

    @Test
    void nextFault_withFailuresAndResetsQueued_returnsThemInRequestOrderThenNull() {
        faults.failNext(1, "TooManyRequestsException", 400);
        faults.resetConnectionNext(1);
        faults.failNext(1, "InternalErrorException", 500);

        assertThat(faults.nextFault()).isEqualTo(new FaultInjector.Fault("TooManyRequestsException", 400));
        assertThat(faults.nextFault().isReset()).isTrue();
        assertThat(faults.nextFault()).isEqualTo(new FaultInjector.Fault("InternalErrorException", 500));
        assertThat(faults.nextFault()).isNull();
    }

    @Test
    void clear_withFailuresResetsDelaysAndJwksFailuresQueued_leavesNothingToInject() {
        faults.failNext(3, "TooManyRequestsException", 400);
        faults.resetConnectionNext(1);
        faults.delayNext(1, java.time.Duration.ofMinutes(1));
        faults.failJwksNext(1);

        faults.clear();

        assertThat(faults.nextFault()).isNull();
        assertThat(faults.takeJwksFailure()).isFalse();
        assertThat(faults.awaitNextDelay()).as("no delay left: returns at once, to go on").isTrue();
    }

    @Test
    void takeJwksFailure_isTrueExactlyAsOftenAsRequested() {
        faults.failJwksNext(2);

        assertThat(faults.takeJwksFailure()).isTrue();
        assertThat(faults.takeJwksFailure()).isTrue();
        assertThat(faults.takeJwksFailure()).isFalse();
    }

    @Test
    void failNext_withBadArguments_isRejected() {
        assertThatThrownBy(() -> faults.failNext(0, "TooManyRequestsException", 400))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.failNext(1, "not a name", 400)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.failNext(1, "TooManyRequestsException", 302))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.delayNext(1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(faults.nextFault()).isNull();
    }

    @Test
    void awaitNextDelay_withQueuedDelay_waitsItOutOnce() {
        faults.delayNext(1, Duration.ofMillis(200));

        long start = System.nanoTime();
        assertThat(faults.awaitNextDelay()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

        long again = System.nanoTime();
        assertThat(faults.awaitNextDelay()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofMillis(200));
    }

    @Test
    void close_duringALongDelay_endsItAtOnceAndDropsTheCall() throws Exception {
        faults.delayNext(1, Duration.ofMinutes(5));
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Boolean> proceed = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            return faults.awaitNextDelay();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.get() != null
                && waiter.get().getState() == Thread.State.TIMED_WAITING);

        faults.close();

        assertThat(proceed.get(5, TimeUnit.SECONDS)).as("go on handling the call").isFalse();
        assertThat(waiter.get().isInterrupted()).as("ended by close, not by an interrupt").isFalse();
    }
}
