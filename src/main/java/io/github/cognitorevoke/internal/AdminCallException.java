package io.github.cognitorevoke.internal;

import java.util.Objects;

/**
 * A call that needs AWS credentials ({@code DescribeUserPoolClient}, {@code AdminGetUser},
 * {@code AdminUserGlobalSignOut}) could not be made or was refused; the message says why and what
 * to do, and never holds a token, a secret or a credential.
 */
final class AdminCallException extends RuntimeException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** Why the call did not happen. */
    enum Cause {
        /** No credentials anywhere in the SDK's default chain. */
        NO_CREDENTIALS,
        /** Credentials were found, but IAM does not let them make the call (or Cognito does not accept them). */
        ACCESS_DENIED,
        /** The user (or the app client) does not exist in the pool. */
        NOT_FOUND,
        /** Cognito could not be reached, throttled, or failed: try again later. */
        UNAVAILABLE
    }

    private final Cause cause;
    private final CognitoError error;

    AdminCallException(Cause cause, String message) {
        this(cause, message, null);
    }

    /**
     * @param cause   why the call did not happen
     * @param message what an operator reads: no token, secret or credential
     * @param error   Cognito's answer as the table reads it, or null when no call was made
     */
    AdminCallException(Cause cause, String message, CognitoError error) {
        super(message, null, false, false);
        this.cause = Objects.requireNonNull(cause, "cause");
        this.error = error;
    }

    /** @return Cognito's answer as the table reads it, or null when no call was made */
    CognitoError error() {
        return error;
    }

    /** @return why the call did not happen */
    Cause why() {
        return cause;
    }
}
