package io.github.cognitorevoke.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every RevokeToken request {@link CognitoStub} received, in arrival order, and a wait for a number
 * of them. Thread-safe; its own lock, so a waiting test holds nothing the stub's request threads
 * need.
 */
final class RevokeLog {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition recorded = lock.newCondition();
    private final List<RevokeCall> calls = new ArrayList<>();

    void record(RevokeCall call) {
        lock.lock();
        try {
            calls.add(call);
            recorded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<RevokeCall> snapshot() {
        lock.lock();
        try {
            return List.copyOf(calls);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return calls.size();
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            calls.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until {@code count} calls are recorded or the timeout passes; signalled, never polled. */
    boolean await(int count, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (calls.size() < count) {
                if (left <= 0) {
                    return false;
                }
                left = recorded.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
