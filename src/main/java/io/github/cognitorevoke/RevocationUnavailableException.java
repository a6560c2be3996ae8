package io.github.cognitorevoke;

/**
 * The library cannot take the request now, and it is not the client's fault: a dependency that
 * verification needs could not be reached (the user pool's JWKS endpoint), or too many revocations
 * already wait for Cognito to accept a new one that arrived with a refresh token alone. Nothing was
 * changed and the client may try again later ({@link RevocationFilter} answers 503
 * {@code temporarily_unavailable} with {@code Retry-After}). The message is safe to show to the
 * client.
 */
public final class RevocationUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be reached; never contains a token or a secret
     * @param cause   the underlying failure
     */
    public RevocationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception for a refusal that has no underlying failure (a cap was reached).
     *
     * @param message what is unavailable, safe to show to the client; never contains a token
     */
    public RevocationUnavailableException(String message) {
        super(message, null, false, false);
    }
}
