package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutEvent;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.SignOutEverywhereEvent;
import io.github.cognitorevoke.TokenRejectedEvent;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Turns what the engine reports into the public event records and hands each to its delivery. A
 * type nobody observes has no delivery, and its record is never built.
 */
public final class EventPublisher implements RevocationObserver {

    /** Where the events of one type go. */
    @FunctionalInterface
    public interface Delivery {
        /**
         * Returns the delivery of one event type, asked once per type when the publisher is made.
         *
         * @param type the event type
         * @param <T>  the event type
         * @return what delivers an event of the type, or null when nobody observes it
         */
        <T> Consumer<T> to(Class<T> type);
    }

    private final Clock clock;
    private final Consumer<LogoutEvent> logout;
    private final Consumer<SignOutEverywhereEvent> signOut;
    private final Consumer<PendingRevocationEvent> pending;
    private final Consumer<TokenRejectedEvent> rejected;

    /**
     * Makes a publisher.
     *
     * @param clock    dates the events
     * @param delivery where each type goes
     */
    public EventPublisher(Clock clock, Delivery delivery) {
        this.clock = clock;
        this.logout = delivery.to(LogoutEvent.class);
        this.signOut = delivery.to(SignOutEverywhereEvent.class);
        this.pending = delivery.to(PendingRevocationEvent.class);
        this.rejected = delivery.to(TokenRejectedEvent.class);
    }

    /** @return whether any event type has a delivery (else the publisher need not be registered) */
    public boolean delivers() {
        return logout != null || signOut != null || pending != null || rejected != null;
    }

    @Override
    public void loggedOut(LogoutResult result, String sub, String jti) {
        if (logout != null) {
            logout.accept(new LogoutEvent(clock.instant(), result.status(), reason(result),
                    result.accessTokenDenylisted(), sub, jti, result.signInEnded()));
        }
    }

    @Override
    public void signedOutEverywhere(LogoutResult result, String sub) {
        if (signOut != null) {
            signOut.accept(new SignOutEverywhereEvent(clock.instant(), result.status(), reason(result), sub));
        }
    }

    @Override
    public void pendingEnded(PendingRevocationEvent.Outcome outcome, boolean globalSignOut, int attempts) {
        if (pending != null) {
            pending.accept(new PendingRevocationEvent(clock.instant(), outcome, globalSignOut, attempts));
        }
    }

    @Override
    public boolean usesRejectedSubject() {
        return rejected != null;
    }

    @Override
    public void rejected(String path, String sub, TokenRejectedEvent.Match match) {
        if (rejected != null) {
            rejected.accept(new TokenRejectedEvent(clock.instant(), path, sub, match));
        }
    }

    private static LogoutResult.Refusal.Reason reason(LogoutResult result) {
        return result.refusal().map(LogoutResult.Refusal::reason).orElse(null);
    }
}
