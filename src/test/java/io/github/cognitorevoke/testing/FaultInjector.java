package io.github.cognitorevoke.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The failures a test asked {@link CognitoStub} to inject: a queue of RevokeToken errors and
 * connection resets (consumed in the order requested), a separate queue of RevokeToken delays, a
 * queue of errors for each other operation, and a count of JWKS requests to fail. Thread-safe: the queues are guarded by {@code this}.
 */
final class FaultInjector {

    /** An injected answer for one RevokeToken call. */
    record Fault(String errorType, int httpStatus) {
        /** Close the connection without answering. */
        static final Fault RESET = new Fault(null, RevokeCall.CONNECTION_RESET);

        boolean isReset() {
            return this == RESET;
        }
    }

    private final Deque<Fault> faults = new ArrayDeque<>();
    // errors for the operations other than RevokeToken, by operation name
    private final java.util.Map<String, Deque<Fault>> operationFaults = new java.util.HashMap<>();
    private final Deque<Duration> delays = new ArrayDeque<>();
    private int jwksFailures;
    // counted down by close(): cuts every pending delay short without relying on thread interrupts
    private final CountDownLatch closed = new CountDownLatch(1);

    synchronized void failNext(int times, String exceptionName, int httpStatus) {
        requirePositive(times);
        UserPool.requireErrorName(exceptionName);
        requireStatus(httpStatus);
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(exceptionName, httpStatus));
        }
    }

    synchronized void failOperationNext(String operation, int times, String exceptionName, int httpStatus) {
        Objects.requireNonNull(operation, "operation");
        if ("RevokeToken".equals(operation)) {
            failNext(times, exceptionName, httpStatus);
            return;
        }
        requirePositive(times);
        UserPool.requireErrorName(exceptionName);
        requireStatus(httpStatus);
        Deque<Fault> queue = operationFaults.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new Fault(exceptionName, httpStatus));
        }
    }

    /** The next queued error of an operation other than RevokeToken, or {@code null}. */
    synchronized Fault nextFault(String operation) {
        Deque<Fault> queue = operationFaults.get(operation);
        return queue == null ? null : queue.poll();
    }

    synchronized void resetConnectionNext(int times) {
        requirePositive(times);
        for (int i = 0; i < times; i++) {
            faults.add(Fault.RESET);
        }
    }

    synchronized void delayNext(int times, Duration delay) {
        requirePositive(times);
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        for (int i = 0; i < times; i++) {
            delays.add(delay);
        }
    }

    synchronized void failJwksNext(int times) {
        requirePositive(times);
        jwksFailures += times;
    }

    /** Drops every queued failure, reset and delay (and JWKS failure): Cognito has recovered. */
    synchronized void clear() {
        faults.clear();
        operationFaults.clear();
        delays.clear();
        jwksFailures = 0;
    }

    /** The next queued failure or reset, or {@code null} to process the call normally. */
    synchronized Fault nextFault() {
        return faults.poll();
    }

    /** Whether the current JWKS request is one to fail (and uses it up). */
    synchronized boolean takeJwksFailure() {
        if (jwksFailures == 0) {
            return false;
        }
        jwksFailures--;
        return true;
    }

    /**
     * Applies the next queued delay, if any, to the calling request thread.
     *
     * @return {@code true} to go on handling the call, {@code false} if the stub was closed (or the
     *     thread interrupted) meanwhile and the call must be dropped unanswered
     */
    boolean awaitNextDelay() {
        Duration delay;
        synchronized (this) {
            delay = delays.poll();
        }
        if (delay == null || delay.isZero()) {
            return true;
        }
        try {
            return !closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Releases every pending delay; later calls are dropped. */
    void close() {
        closed.countDown();
    }

    private static void requireStatus(int httpStatus) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 400..599: " + httpStatus);
        }
    }

    private static void requirePositive(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
    }
}
