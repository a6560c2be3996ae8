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

    /** Logged out, nothing left to do: 204. */
    record Done() implements LogoutAnswer {
        @Override
        public boolean endsSession() {
            return true;
        }
    }

    /**
     * Logged out, nothing left to do, and the application wants the browser elsewhere: 303.
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
    }
}
