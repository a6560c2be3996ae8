package io.github.cognitorevoke;

/**
 * A dependency that verification needs could not be reached, for example the user pool's JWKS
 * endpoint. This is not the client's fault; nothing was changed and the client may try again
 * ({@link RevocationFilter} answers 503 {@code temporarily_unavailable}).
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
}
