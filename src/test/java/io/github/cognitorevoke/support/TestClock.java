package io.github.cognitorevoke.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tests move by hand, so expiry and backoff are tested without sleeping. The one test
 * clock: hand the same instance to the stub ({@code CognitoStub.builder().clock(clock)}) and to the
 * code under test, so that tokens are issued and checked on one time line.
 */
public final class TestClock extends Clock {

    private volatile Instant now;

    /** @param start the instant the clock shows until it is moved */
    public TestClock(Instant start) {
        this.now = start;
    }

    /** @return a clock at the current second (tokens carry whole seconds) */
    public static TestClock atNow() {
        return new TestClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    }

    /** @param d how far to move the clock forward */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
