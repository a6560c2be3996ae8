package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.TokenRejectedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The observers of one engine, told in order. An observer that throws is logged (once per class)
 * and skipped: reporting never changes an answer.
 */
public final class Observers implements RevocationObserver {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    private final List<RevocationObserver> list = new CopyOnWriteArrayList<>();
    private final WarnOnce warnings = new WarnOnce(LOG);

    /**
     * Adds an observer.
     *
     * @param observer the observer
     */
    public void add(RevocationObserver observer) {
        list.add(observer);
    }

    /**
     * Removes an observer.
     *
     * @param observer the observer
     */
    public void remove(RevocationObserver observer) {
        list.remove(observer);
    }

    /**
     * Tells whether an observer of a type is registered.
     *
     * @param type the observer's class
     * @return true if one is
     */
    public boolean contains(Class<? extends RevocationObserver> type) {
        return list.stream().anyMatch(type::isInstance);
    }

    /** @return whether anyone listens (lets the request path skip work done only for observers) */
    public boolean any() {
        return !list.isEmpty();
    }

    private void each(Consumer<RevocationObserver> call) {
        for (RevocationObserver o : list) {
            try {
                call.accept(o);
            } catch (RuntimeException e) {
                warnings.warn("observer:" + o.getClass().getName(), "cognito-revoke: observer "
                        + o.getClass().getName() + " failed and was skipped: " + e);
            }
        }
    }

    @Override
    public void loggedOut(LogoutResult result, String sub, String jti) {
        each(o -> o.loggedOut(result, sub, jti));
    }

    @Override
    public void loggedOutUnconfirmed(LogoutResult result) {
        each(o -> o.loggedOutUnconfirmed(result));
    }

    @Override
    public void signedOutEverywhere(LogoutResult result, String sub) {
        each(o -> o.signedOutEverywhere(result, sub));
    }

    @Override
    public void signedOutByAdministrator(LogoutResult result, String sub) {
        each(o -> o.signedOutByAdministrator(result, sub));
    }

    @Override
    public void pendingEnded(PendingRevocationEvent.Outcome outcome, boolean globalSignOut, int attempts) {
        each(o -> o.pendingEnded(outcome, globalSignOut, attempts));
    }

    @Override
    public void rejected(String path, String sub, TokenRejectedEvent.Match match) {
        each(o -> o.rejected(path, sub, match));
    }

    @Override
    public boolean usesRejectedSubject() {
        return list.stream().anyMatch(RevocationObserver::usesRejectedSubject);
    }

    @Override
    public void cognitoCalled(boolean globalSignOut, CognitoGateway.Outcome outcome, long nanos) {
        each(o -> o.cognitoCalled(globalSignOut, outcome, nanos));
    }

    @Override
    public void jwksFetched(boolean success) {
        each(o -> o.jwksFetched(success));
    }
}
