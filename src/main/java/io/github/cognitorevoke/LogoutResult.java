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
 */
public record LogoutResult(Status status, boolean accessTokenDenylisted, Optional<Refusal> refusal) {

    /** What became of the revocation at Cognito. */
    public enum Status {
        /** Everything is done: Cognito revoked the refresh token, or none was presented. */
        COMPLETED,
        /** Cognito could not be reached or throttled; the revocation is retried in the background. */
        PENDING,
        /** Cognito refused for a reason that retrying will not fix; see {@link #refusal()}. */
        REFUSED
    }

    /**
     * Why Cognito refused a revocation.
     *
     * @param cognitoError the Cognito error name, e.g. {@code UnsupportedOperationException}
     * @param clientFault  true when the presented refresh token is at fault (the caller should get a
     *                     4xx), false when the app client's setup is (an operator must act)
     * @param description  a description safe to show to the client: no token, no secret
     */
    public record Refusal(String cognitoError, boolean clientFault, String description) {

        /**
         * Checks the components.
         *
         * @param cognitoError the Cognito error name
         * @param clientFault  whether the presented token is at fault
         * @param description  a description safe to show to the client
         */
        public Refusal {
            Objects.requireNonNull(cognitoError, "cognitoError");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Checks the components.
     *
     * @param status                what became of the revocation at Cognito
     * @param accessTokenDenylisted whether an access token was verified and denylisted
     * @param refusal               why Cognito refused; present exactly for {@link Status#REFUSED}
     */
    public LogoutResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(refusal, "refusal");
        if (refusal.isPresent() != (status == Status.REFUSED)) {
            throw new IllegalArgumentException("a refusal goes with status REFUSED and only with it");
        }
    }
}
