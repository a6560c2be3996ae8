package io.github.cognitorevoke;

import java.util.Objects;
import java.util.Optional;

/**
 * What a logout achieved.
 *
 * <p>The local part (denylisting the access token's {@code jti} and {@code origin_jti}) always
 * stands once {@link TokenRevocationService#logout} returns; {@link #status()} tells what became
 * of the Cognito part.
 *
 * @param status                what became of the revocation at Cognito
 * @param accessTokenDenylisted whether an access token was verified and denylisted
 * @param refusal               why Cognito refused, present only for {@link Status#REFUSED}
 * @param signInEnded           whether the verified access token's sign-in ({@code sub} +
 *                              {@code auth_time}) was ended here: every token of that sign-in, those
 *                              refreshed before the logout and within the rotation grace period after
 *                              it included, is rejected whatever Cognito did with the refresh token
 *                              (also when it refused it, e.g. one already rotated away)
 */
public record LogoutResult(Status status, boolean accessTokenDenylisted, Optional<Refusal> refusal,
                           boolean signInEnded) {

    /**
     * A result without a sign-in ended (no verified access token, or one without {@code auth_time}).
     *
     * @param status                what became of the revocation at Cognito
     * @param accessTokenDenylisted whether an access token was verified and denylisted
     * @param refusal               why Cognito refused; present exactly for {@link Status#REFUSED}
     */
    public LogoutResult(Status status, boolean accessTokenDenylisted, Optional<Refusal> refusal) {
        this(status, accessTokenDenylisted, refusal, false);
    }

    /** What became of the revocation at Cognito. */
    public enum Status {
        /** Everything is done: Cognito revoked the refresh token, or none was presented. */
        COMPLETED,
        /**
         * Cognito could not be reached or throttled, or the shared denylist (init-param
         * {@code redisUri}) did not confirm the entries in time: the entries stand on this node and
         * the unfinished part is retried in the background.
         */
        PENDING,
        /** Cognito refused for a reason that retrying will not fix; see {@link #refusal()}. */
        REFUSED
    }

    /**
     * Why Cognito refused a revocation.
     *
     * @param reason       the typed reason; a caller maps it to its answer (e.g. an HTTP status)
     * @param cognitoError the Cognito error name, e.g. {@code UnsupportedOperationException};
     *                     informational only (for logs and diagnostics), do not branch on it
     * @param description  a description safe to show to the client: no token, no secret
     */
    public record Refusal(Reason reason, String cognitoError, String description) {

        /** Why Cognito refused, grouped by what the caller should answer. */
        public enum Reason {
            /** The token is not a refresh token ({@code UnsupportedTokenTypeException}); OAuth
             *  {@code unsupported_token_type}. */
            NOT_A_REFRESH_TOKEN,
            /** Cognito rejected the token as malformed ({@code InvalidParameterException}); OAuth
             *  {@code invalid_request}. */
            MALFORMED_TOKEN,
            /** Cognito did not accept the token, e.g. issued to another client or unknown
             *  ({@code NotAuthorizedException}); OAuth {@code invalid_grant}. */
            TOKEN_NOT_ACCEPTED,
            /** The app client's setup is at fault (wrong secret, revocation not enabled, unknown client,
             *  any other refusal): an operator must act, the caller did nothing wrong. */
            CLIENT_MISCONFIGURED;

            /**
             * Tells who is at fault.
             *
             * @return true when the presented token is at fault (a 4xx), false when the app
             *         client's setup is (a 502: the identity provider refused this server)
             */
            public boolean clientFault() {
                return this != CLIENT_MISCONFIGURED;
            }
        }

        /**
         * Checks the components.
         *
         * @param reason       the typed reason
         * @param cognitoError the Cognito error name
         * @param description  a description safe to show to the client
         */
        public Refusal {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cognitoError, "cognitoError");
            Objects.requireNonNull(description, "description");
        }

        /**
         * Tells who is at fault; the same as {@code reason().clientFault()}.
         *
         * @return true when the presented refresh token is at fault, false when the app client's
         *         setup is
         */
        public boolean clientFault() {
            return reason.clientFault();
        }
    }

    /**
     * Checks the components.
     *
     * @param status                what became of the revocation at Cognito
     * @param accessTokenDenylisted whether an access token was verified and denylisted
     * @param refusal               why Cognito refused; present exactly for {@link Status#REFUSED}
     * @param signInEnded           whether the access token's sign-in was ended here
     */
    public LogoutResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(refusal, "refusal");
        if (refusal.isPresent() != (status == Status.REFUSED)) {
            throw new IllegalArgumentException("a refusal goes with status REFUSED and only with it");
        }
    }

    /**
     * Tells whether the caller's session should end (HTTP session invalidated, cookies expired).
     * It ends in every case but one: Cognito refused the presented refresh token as the client's
     * fault and no access token was denylisted, so the logout changed nothing.
     *
     * @return false only for a client-fault refusal with nothing denylisted
     */
    public boolean endsSession() {
        return !(status == Status.REFUSED && refusal.orElseThrow().clientFault() && !accessTokenDenylisted);
    }
}
