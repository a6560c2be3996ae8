package io.github.cognitorevoke.internal;

import java.util.Objects;

/**
 * What {@link LogoutRules} decided for one logout request; the filter maps it to HTTP. Every answer
 * says whether the caller's session ends (HTTP session invalidated, cookies expired).
 */
public sealed interface LogoutAnswer
        permits LogoutAnswer.Done, LogoutAnswer.Redirect, LogoutAnswer.Pending, LogoutAnswer.Refused {

    /** @return whether the caller's session ends */
    boolean endsSession();

    /**
     * Whether the request was a logout the user asked for: a {@code POST} that is not cross-site.
     * The load balancer's session cookies are expired then, whatever became of the tokens: they are
     * the browser's own login, and ending it cannot harm anyone but the one who asked.
     *
     * @return false only when it was refused for its method or its origin
     */
    default boolean asked() {
        return true;
    }

    /** Logged out, nothing left to do: 204. */
    record Done() implements LogoutAnswer {
        @Override
        public boolean endsSession() {
            return true;
        }
    }

    /**
     * Logged out, and the browser goes elsewhere: 303. To {@code logoutRedirect} when nothing is
     * left to do; to Cognito's {@code /logout} for a browser when managed login is set, also while
     * the revocation is pending (its session must end either way).
     *
     * @param location where to, already resolved against the context path
     */
    record Redirect(String location) implements LogoutAnswer {
        /** @param location where to */
        public Redirect {
            Objects.requireNonNull(location, "location");
        }

        @Override
        public boolean endsSession() {
            return true;
        }
    }

    /** Logged out here; Cognito (or the shared denylist) is retried in the background: 202. */
    record Pending() implements LogoutAnswer {
        @Override
        public boolean endsSession() {
            return true;
        }
    }

    /**
     * Refused, answered by the {@link Rejection} table.
     *
     * @param rejection   why, and so the status, {@code error} and header
     * @param description the {@code error_description}, safe to show to the client
     * @param endsSession whether the session ends all the same (an access token was denylisted)
     */
    record Refused(Rejection rejection, String description, boolean endsSession) implements LogoutAnswer {
        /**
         * @param rejection   why
         * @param description the {@code error_description}
         * @param endsSession whether the session ends all the same
         */
        public Refused {
            Objects.requireNonNull(rejection, "rejection");
        }

        @Override
        public boolean asked() {
            return rejection != Rejection.METHOD_NOT_ALLOWED && rejection != Rejection.CROSS_SITE;
        }
    }
}
